// Test-only, Node-only: the reliability tests report what each scenario tried and lost, and
// docs/reliability.md is generated from these lines rather than written by hand.
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** One scenario's result. `lost` says what was lost ("nothing" when nothing was). */
export interface ReliabilityEntry {
  area: string
  scenario: string
  tried: string
  lost: string
  [key: string]: string | number
}

/** The JSONL file the entries go to; unset, nothing is written. */
export const RELIABILITY_OUT_ENV = 'DUET_RELIABILITY_OUT'

/** Appends `entry` as one JSON line to $DUET_RELIABILITY_OUT, when it is set. */
export function recordReliability(entry: ReliabilityEntry): void {
  const path = process.env[RELIABILITY_OUT_ENV]
  if (!path) return
  mkdirSync(dirname(path), { recursive: true })
  // One synchronous append per line: lines from test files running in parallel never interleave.
  appendFileSync(path, `${JSON.stringify(entry)}\n`)
}
