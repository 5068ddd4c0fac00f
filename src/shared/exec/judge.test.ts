import { describe, expect, it } from 'vitest'
import { judgeRun, judgeTests, sameJson } from './judge'
import type { WorkerRunResult } from './worker-protocol'

describe('sameJson', () => {
  it('compares JSON values: numbers by value, true is not 1, keys in any order', () => {
    expect(sameJson(2, 2.0)).toBe(true)
    expect(sameJson(true, 1)).toBe(false)
    expect(sameJson(null, 0)).toBe(false)
    expect(sameJson({ a: 1, b: [2, { c: 3 }] }, { b: [2, { c: 3 }], a: 1 })).toBe(true)
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(sameJson({ a: undefined as never }, { b: 1 })).toBe(false)
    expect(sameJson([1, 2], [2, 1])).toBe(false)
    expect(sameJson([], {})).toBe(false)
  })
})

describe('judgeTests', () => {
  const cases = [
    { name: 'a', expected: [1] },
    { name: 'b', expected: 'x' },
  ]

  it('gives each outcome its case’s name and expected value, and a verdict', () => {
    expect(
      judgeTests(cases, [
        { actual: [1], stdout: 'hi\n', durationMs: 2 },
        { error: 'boom', stdout: '', durationMs: 1 },
      ]),
    ).toEqual([
      { name: 'a', status: 'pass', expected: [1], actual: [1], stdout: 'hi\n', durationMs: 2 },
      { name: 'b', status: 'error', expected: 'x', error: 'boom', stdout: '', durationMs: 1 },
    ])
  })

  it('returns null for a report that does not have one outcome per case', () => {
    expect(judgeTests(cases, [{ actual: [1], stdout: '', durationMs: 0 }])).toBeNull()
  })
})

describe('judgeRun', () => {
  const result: WorkerRunResult = { status: 'ok', durationMs: 5, tests: [{ actual: 3, stdout: '', durationMs: 1 }] }

  it('judges a test run, and leaves a plain run without tests', () => {
    expect(judgeRun([{ name: 'a', expected: 4 }], result).tests).toEqual([
      { name: 'a', status: 'fail', expected: 4, actual: 3, stdout: '', durationMs: 1 },
    ])
    expect(judgeRun(undefined, result)).toEqual({ status: 'ok', durationMs: 5, tests: null })
  })

  it('makes a run whose report cannot be matched with its cases an error', () => {
    const cases = [
      { name: 'a', expected: 3 },
      { name: 'b', expected: 3 },
    ]
    expect(judgeRun(cases, result)).toMatchObject({ status: 'error', tests: null, message: /1 result for 2 cases/ })
  })
})
