import type { TestResult } from './exec/test-result'
import type { JsonValue } from './json'
import { utf8Length } from './run-output'

/** What may have to be cut down for a run's end to fit somewhere: its test results and message. */
export interface RunEnding {
  tests: TestResult[] | null
  message?: string
}

/** Where the ending goes: the words of the notes say so. */
export type TrimTarget = 'link' | 'storage'

const WORDS: Record<TrimTarget, { trimmed: string; done: string; doing: string }> = {
  link: { trimmed: '…[trimmed to fit the link]', done: 'sent', doing: 'send' },
  storage: { trimmed: '…[trimmed to be stored]', done: 'stored', doing: 'store' },
}

/** A message longer than this is cut before anything else, when the ending does not fit. */
const MAX_TRIMMED_MESSAGE_CHARS = 1000
/** Per-test output and error caps tried in turn, in characters, until the ending fits. */
const STRING_CAPS = [4096, 1024, 256, 64, 0]
/** Expected or actual values larger than this (JSON bytes) are replaced by a note, as a last resort. */
const MAX_VALUE_BYTES = 256

function trimTo(text: string, maxChars: number, mark: string): string
function trimTo(text: string | undefined, maxChars: number, mark: string): string | undefined
function trimTo(text: string | undefined, maxChars: number, mark: string): string | undefined {
  if (text === undefined || text.length <= maxChars) return text
  // Back off one unit rather than end on half a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars
  return text.slice(0, end) + mark
}

function shrinkValue(value: JsonValue | undefined, doing: string): JsonValue | undefined {
  if (value === undefined) return undefined
  const bytes = utf8Length(JSON.stringify(value))
  return bytes <= MAX_VALUE_BYTES ? value : `[a value of ${bytes} bytes, too large to ${doing}]`
}

/**
 * The ending cut down until `fits` takes it: the message to 1000 characters, then per-test
 * output and errors (to 4096 characters, then 1024, … then none), then oversized expected or
 * actual values replaced by a note, and only then test results left off the end, with a note in
 * the message saying how many. An ending that fits as it is comes back as it is.
 */
export function fitRunEnding(ending: RunEnding, fits: (ending: RunEnding) => boolean, target: TrimTarget): RunEnding {
  if (fits(ending)) return ending
  const words = WORDS[target]
  const message = trimTo(ending.message, MAX_TRIMMED_MESSAGE_CHARS, words.trimmed)
  const withMessage = (tests: TestResult[] | null, text = message): RunEnding =>
    text === undefined ? { tests } : { tests, message: text }
  const tests = ending.tests
  if (tests === null || fits(withMessage(tests))) return withMessage(tests)

  let trimmed: TestResult[] = tests
  for (const cap of STRING_CAPS) {
    trimmed = tests.map((t) => ({
      ...t,
      stdout: trimTo(t.stdout, cap, words.trimmed),
      ...(t.error === undefined ? {} : { error: trimTo(t.error, cap, words.trimmed) }),
    }))
    if (fits(withMessage(trimmed))) return withMessage(trimmed)
  }
  const small = trimmed.map((t) => {
    const actual = shrinkValue(t.actual, words.doing)
    return { ...t, expected: shrinkValue(t.expected, words.doing) ?? null, ...(actual === undefined ? {} : { actual }) }
  })
  const keeping = (kept: number): RunEnding => {
    if (kept === small.length) return withMessage(small)
    const note = `Only the first ${kept} of ${small.length} test results could be ${words.done}.`
    return withMessage(small.slice(0, kept), message === undefined ? note : `${message} ${note}`)
  }
  if (fits(keeping(small.length))) return keeping(small.length)
  // The most results that fit, by bisection: each try measures the whole ending.
  let fitting = 0
  let tooMany = small.length
  while (tooMany - fitting > 1) {
    const middle = Math.floor((fitting + tooMany) / 2)
    if (fits(keeping(middle))) fitting = middle
    else tooMany = middle
  }
  return keeping(fitting)
}
