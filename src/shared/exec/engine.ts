import type { InputReply } from './input-channel'
import type { OutputTail } from './output-tail'
import type { OutputChunk } from './run'
import type { WorkerRunResult } from './worker-protocol'

/** The program's input: the stdin box's text, or a line asked of the user each time. */
export type InputSource = { kind: 'text'; text: string } | { kind: 'interactive'; read(prompt: string): InputReply }

/** What an engine needs from the worker (or a test) around one run. */
export interface EngineIo {
  /** Batches of output, in order. */
  post(chunks: OutputChunk[]): void
  now(): number
  /** Where the held-back batch is mirrored for the page (cross-origin isolated pages). */
  tail?: OutputTail
}

export interface EngineOutcome {
  result: WorkerRunResult
  /** The interpreter is no longer usable: the worker must be replaced. */
  restart: boolean
}

/** The user's code runs under these names, in runs and tests alike, so messages point at editor lines. */
export const USER_FILE = { python: 'solution.py', javascript: 'solution.js' } as const

export function outputLimitMessage(limitBytes: number): string {
  return `The program printed more than ${formatBytes(limitBytes)}, the output limit, so it was stopped.`
}

function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Number((bytes / 1_000_000).toFixed(1))} MB`
  if (bytes >= 1_000) return `${Number((bytes / 1_000).toFixed(1))} kB`
  return `${bytes} bytes`
}
