import { describe, expect, it } from 'vitest'
import type { RunResult } from './exec/run'
import type { TestResult } from './exec/test-result'
import { LinkFrameSchema, MAX_RUN_OUTPUT_FRAME_BYTES } from './peer/frames'
import { MAX_LINK_FRAME_BYTES } from './peer/link'
import { frameBytes, runFinishedFrame, splitJsonText } from './run-frames'
import { appendOutput, capOutput, streamText, utf8Length, utf8Prefix } from './run-output'

const utf8 = new TextEncoder()
const jsonBytes = (text: string): number => utf8.encode(JSON.stringify(text)).length

describe('UTF-8 sizes and cuts', () => {
  it('measures like TextEncoder, surrogate pairs and lone surrogates included', () => {
    for (const text of ['', 'abc', 'é', '€', '🎉', 'a🎉b€é', '\ud800', 'x\udc00y']) {
      expect(utf8Length(text)).toBe(utf8.encode(text).length)
    }
  })

  it('cuts at a byte count without splitting a character', () => {
    expect(utf8Prefix('abc', 2)).toBe('ab')
    expect(utf8Prefix('a🎉', 4)).toBe('a')
    expect(utf8Prefix('a🎉', 5)).toBe('a🎉')
    expect(utf8Prefix('éé', 3)).toBe('é')
    expect(utf8Prefix('abc', 0)).toBe('')
  })

  it('merges output by stream and stops at the limit', () => {
    let output = appendOutput([], { stream: 'stdout', text: 'ab' }, 10).output
    output = appendOutput(output, { stream: 'stdout', text: 'cd' }, 8).output
    output = appendOutput(output, { stream: 'stderr', text: 'E' }, 6).output
    const cut = appendOutput(output, { stream: 'stderr', text: 'FGHIJK' }, 5)
    expect(cut).toEqual({
      output: [
        { stream: 'stdout', text: 'abcd' },
        { stream: 'stderr', text: 'EFGHIJ' },
      ],
      addedBytes: 5,
    })
    expect(output).toHaveLength(2)
    expect(output[1]).toEqual({ stream: 'stderr', text: 'E' })
    expect(
      capOutput(
        [
          { stream: 'stdout', text: 'a' },
          { stream: 'stdout', text: 'b' },
          { stream: 'stderr', text: 'cc' },
          { stream: 'stdout', text: 'dd' },
        ],
        4,
      ),
    ).toEqual([
      { stream: 'stdout', text: 'ab' },
      { stream: 'stderr', text: 'cc' },
    ])
    expect(streamText(cut.output, 'stderr')).toBe('EFGHIJ')
  })
})

describe('splitting output into frames', () => {
  it('keeps every piece within the byte budget as JSON, and loses nothing', () => {
    const text = `${'plain '.repeat(3000)}"quotes" \\ back\n${'\u0001'.repeat(4000)}${'🎉é€'.repeat(3000)}\ud800 lone`
    const pieces = splitJsonText(text, MAX_RUN_OUTPUT_FRAME_BYTES)
    expect(pieces.join('')).toBe(text)
    expect(pieces.length).toBeGreaterThan(3)
    for (const piece of pieces) {
      expect(jsonBytes(piece)).toBeLessThanOrEqual(MAX_RUN_OUTPUT_FRAME_BYTES)
      expect(piece.length).toBeGreaterThan(0)
      // A surrogate pair is never split between two pieces.
      expect(/^[\udc00-\udfff]/.test(piece)).toBe(false)
    }
    expect(splitJsonText('', 100)).toEqual([])
    expect(splitJsonText('🎉🎉🎉', 9)).toEqual(['🎉', '🎉', '🎉'])
    expect(splitJsonText('🎉🎉🎉', 10)).toEqual(['🎉🎉', '🎉'])
  })

  it('fills pieces up to the budget exactly when it can', () => {
    const pieces = splitJsonText('x'.repeat(25), 12)
    expect(pieces.map((p) => p.length)).toEqual([10, 10, 5])
  })
})

describe('the run.finished frame', () => {
  const test = (name: string, extra: Partial<TestResult> = {}): TestResult => ({
    name,
    status: 'pass',
    expected: 1,
    actual: 1,
    stdout: '',
    durationMs: 1,
    ...extra,
  })

  it('is the result itself when it fits', () => {
    const result: RunResult = { status: 'ok', durationMs: 3, tests: [test('a')] }
    expect(runFinishedFrame('r', result)).toEqual({ type: 'run.finished', runId: 'r', result })
  })

  it('trims per-test output and errors first, keeping every result', () => {
    const tests = Array.from({ length: 30 }, (_, i) =>
      test(`t${i}`, { status: 'error', stdout: 'o'.repeat(5000), error: `Traceback line ${i}\n${'e'.repeat(5000)}` }),
    )
    const frame = runFinishedFrame('r', { status: 'error', durationMs: 5, tests })
    expect(frameBytes(frame)).toBeLessThanOrEqual(MAX_LINK_FRAME_BYTES)
    expect(LinkFrameSchema.parse(JSON.parse(JSON.stringify(frame)))).toEqual(frame)
    if (frame.type !== 'run.finished') throw new Error('wrong frame')
    expect(frame.result.tests).toHaveLength(30)
    expect(frame.result.tests?.[3]?.error).toMatch(/^Traceback line 3\n/)
    expect(frame.result.tests?.[3]?.error).toMatch(/…\[trimmed to fit the link\]$/)
    expect(frame.result.message).toBeUndefined()
  })

  it('replaces huge values, then leaves results off the end and says so', () => {
    const huge = test('huge', { status: 'fail', actual: 'v'.repeat(100_000) })
    const one = runFinishedFrame('r', { status: 'ok', durationMs: 1, tests: [huge] })
    if (one.type !== 'run.finished') throw new Error('wrong frame')
    expect(frameBytes(one)).toBeLessThanOrEqual(MAX_LINK_FRAME_BYTES)
    expect(one.result.tests?.[0]?.actual).toBe('[a value of 100002 bytes, too large to send]')

    const many = Array.from({ length: 500 }, (_, i) => test(`a test with a rather long name, number ${i}`))
    const frame = runFinishedFrame('r', { status: 'ok', durationMs: 1, tests: many, message: 'Done.' })
    if (frame.type !== 'run.finished') throw new Error('wrong frame')
    expect(frameBytes(frame)).toBeLessThanOrEqual(MAX_LINK_FRAME_BYTES)
    const kept = frame.result.tests?.length ?? 0
    expect(kept).toBeGreaterThan(100)
    expect(kept).toBeLessThan(500)
    expect(frame.result.message).toBe(`Done. Only the first ${kept} of 500 test results could be sent.`)
    // One more would not have fitted.
    const oneMore = { ...frame, result: { ...frame.result, tests: many.slice(0, kept + 1) } }
    expect(frameBytes(oneMore)).toBeGreaterThan(MAX_LINK_FRAME_BYTES)
  })
})
