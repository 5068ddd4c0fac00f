import type { RunResult } from './exec/run'
import type { TestResult } from './exec/test-result'
import type { JsonValue } from './json'
import type { LinkFrame } from './peer/frames'
import { MAX_LINK_FRAME_BYTES } from './peer/link'
import { utf8Length } from './run-output'

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

const TRIMMED = '…[trimmed to fit the link]'

function trimTo(text: string | undefined, maxChars: number): string | undefined {
  if (text === undefined || text.length <= maxChars) return text
  // Back off one unit rather than end on half a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars
  return text.slice(0, end) + TRIMMED
}

/** Per-test output and error caps tried in turn, in characters, until the frame fits. */
const STRING_CAPS = [4096, 1024, 256, 64, 0]
/** Expected or actual values larger than this (JSON bytes) are replaced by a note, as a last resort. */
const MAX_VALUE_BYTES = 256

function shrinkValue(value: JsonValue | undefined): JsonValue | undefined {
  if (value === undefined) return undefined
  const bytes = utf8Length(JSON.stringify(value))
  return bytes <= MAX_VALUE_BYTES ? value : `[a value of ${bytes} bytes, too large to send]`
}

/**
 * The `run.finished` frame for a result, within MAX_LINK_FRAME_BYTES: per-test output and errors
 * are trimmed first, then oversized values replaced by a note, and only then are test results
 * left off the end (the message says how many).
 */
export function runFinishedFrame(runId: string, result: RunResult): LinkFrame {
  const frameOf = (r: RunResult): LinkFrame => ({ type: 'run.finished', runId, result: r })
  let frame = frameOf(result)
  if (fitsLinkFrame(frame)) return frame
  const message = trimTo(result.message, 1000)
  const base: RunResult = { ...result, ...(message === undefined ? {} : { message }) }
  const tests = result.tests
  if (tests === null) return frameOf(base)

  let trimmed: TestResult[] = tests
  for (const cap of STRING_CAPS) {
    trimmed = tests.map((t) => ({
      ...t,
      stdout: trimTo(t.stdout, cap) ?? '',
      ...(t.error === undefined ? {} : { error: trimTo(t.error, cap) }),
    }))
    frame = frameOf({ ...base, tests: trimmed })
    if (fitsLinkFrame(frame)) return frame
  }
  const small = trimmed.map((t) => {
    const actual = shrinkValue(t.actual)
    return { ...t, expected: shrinkValue(t.expected) ?? null, ...(actual === undefined ? {} : { actual }) }
  })
  const keeping = (kept: number): LinkFrame => {
    const note = `Only the first ${kept} of ${small.length} test results could be sent.`
    return frameOf({
      ...base,
      tests: small.slice(0, kept),
      message: kept === small.length ? base.message : base.message === undefined ? note : `${base.message} ${note}`,
    })
  }
  if (fitsLinkFrame(keeping(small.length))) return keeping(small.length)
  // The most results that fit, by bisection: each try serialises the whole frame.
  let fits = 0
  let tooMany = small.length
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2)
    if (fitsLinkFrame(keeping(middle))) fits = middle
    else tooMany = middle
  }
  return keeping(fits)
}
