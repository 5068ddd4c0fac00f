import type { RunResult } from './exec/run'
import type { LinkFrame } from './peer/frames'
import { MAX_LINK_FRAME_BYTES } from './peer/link'
import { utf8Length } from './run-output'
import { fitRunEnding, type RunEnding } from './run-trim'

/** Bytes of a frame as the link sends it: UTF-8 JSON. */
export function frameBytes(frame: LinkFrame): number {
  return utf8Length(JSON.stringify(frame))
}

export const fitsLinkFrame = (frame: LinkFrame): boolean => frameBytes(frame) <= MAX_LINK_FRAME_BYTES

const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c])

/** Bytes one UTF-16 unit (or a surrogate pair, then `pair`) takes inside a JSON string, as JSON.stringify writes it. */
function jsonUnitBytes(code: number, next: number): { bytes: number; pair: boolean } {
  if (SHORT_ESCAPES.has(code)) return { bytes: 2, pair: false }
  if (code < 0x20) return { bytes: 6, pair: false }
  if (code < 0x80) return { bytes: 1, pair: false }
  if (code < 0x800) return { bytes: 2, pair: false }
  if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return { bytes: 4, pair: true }
  // A lone surrogate is written as a \uXXXX escape.
  if (code >= 0xd800 && code <= 0xdfff) return { bytes: 6, pair: false }
  return { bytes: 3, pair: false }
}

/**
 * Cuts `text` into pieces whose JSON string form (quotes included) is at most `maxJsonBytes` of
 * UTF-8, never inside a surrogate pair. Joined, the pieces are `text`.
 */
export function splitJsonText(text: string, maxJsonBytes: number): string[] {
  const room = maxJsonBytes - 2
  if (room < 6) throw new RangeError(`a JSON string needs more than ${maxJsonBytes} bytes`)
  const pieces: string[] = []
  let start = 0
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = jsonUnitBytes(text.charCodeAt(i), text.charCodeAt(i + 1))
    if (bytes + unit.bytes > room) {
      pieces.push(text.slice(start, i))
      start = i
      bytes = 0
    }
    bytes += unit.bytes
    if (unit.pair) i++
  }
  if (start < text.length) pieces.push(text.slice(start))
  return pieces
}

/**
 * The `run.finished` frame for a result, within MAX_LINK_FRAME_BYTES: per-test output and errors
 * are trimmed first, then oversized values replaced by a note, and only then are test results
 * left off the end (the message says how many).
 */
export function runFinishedFrame(runId: string, result: RunResult): LinkFrame {
  const frameOf = (ending: RunEnding): LinkFrame => ({
    type: 'run.finished',
    runId,
    result: { status: result.status, durationMs: result.durationMs, ...ending },
  })
  return frameOf(fitRunEnding(result, (ending) => fitsLinkFrame(frameOf(ending)), 'link'))
}
