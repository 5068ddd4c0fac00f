import { describe, expect, it } from 'vitest'
import type { TestResult } from './exec/test-result'
import {
  MAX_RUN_MESSAGE_CHARS,
  MAX_RUN_TESTS,
  MAX_TEST_RESULTS_JSON_CHARS,
  newRunId,
  RunIdSchema,
  storableRunEnding,
} from './run-record'

const test = (name: string, extra: Partial<TestResult> = {}): TestResult => ({
  name,
  status: 'pass',
  expected: 1,
  actual: 1,
  stdout: '',
  durationMs: 1,
  ...extra,
})

const MARK = '…[trimmed to be stored]'
const jsonChars = (tests: TestResult[] | null): number => JSON.stringify(tests).length

describe('test results cut down to what the host stores', () => {
  it('leaves an ending that fits as it is', () => {
    const ending = { tests: [test('a', { stdout: 'x'.repeat(100_000) })], message: 'Done.' }
    expect(storableRunEnding(ending)).toBe(ending)
    const plain = { tests: null }
    expect(storableRunEnding(plain)).toBe(plain)
  })

  it('keeps all 80 results of tests that each printed 64 KB, with their output trimmed', () => {
    const tests = Array.from({ length: 80 }, (_, i) => test(`t${i}`, { stdout: `${i}:`.padEnd(64 * 1024, 'o') }))
    expect(jsonChars(tests)).toBeGreaterThan(MAX_TEST_RESULTS_JSON_CHARS)
    const ending = storableRunEnding({ tests })
    expect(ending.message).toBeUndefined()
    expect(ending.tests).toHaveLength(80)
    expect(jsonChars(ending.tests)).toBeLessThanOrEqual(MAX_TEST_RESULTS_JSON_CHARS)
    for (const [i, t] of (ending.tests ?? []).entries()) {
      expect(t).toEqual({ ...tests[i], stdout: `${i}:`.padEnd(4096, 'o') + MARK })
    }
  })

  it('trims a message too long to store without touching test results that fit', () => {
    const tests = [test('a', { stdout: 'o'.repeat(10_000) })]
    const ending = storableRunEnding({ tests, message: 'm'.repeat(MAX_RUN_MESSAGE_CHARS + 1) })
    expect(ending.tests).toBe(tests)
    expect(ending.message).toBe('m'.repeat(1000) + MARK)
  })

  it('replaces huge values, then leaves results off the end and says so', () => {
    const huge = Array.from({ length: 300 }, (_, i) => test(`h${i}`, { status: 'fail', actual: 'v'.repeat(20_000) }))
    const shrunk = storableRunEnding({ tests: huge })
    expect(shrunk.tests).toHaveLength(300)
    expect(shrunk.tests?.[0]?.actual).toBe('[a value of 20002 bytes, too large to store]')

    const many = Array.from({ length: MAX_RUN_TESTS + 100 }, (_, i) => test(`t${i}`))
    const ending = storableRunEnding({ tests: many, message: 'Done.' })
    expect(ending.tests).toEqual(many.slice(0, MAX_RUN_TESTS))
    expect(ending.message).toBe(
      `Done. Only the first ${MAX_RUN_TESTS} of ${MAX_RUN_TESTS + 100} test results could be stored.`,
    )
  })
})

describe('run ids', () => {
  it('are valid, and new each time', () => {
    const ids = Array.from({ length: 100 }, newRunId)
    for (const id of ids) expect(RunIdSchema.parse(id)).toHaveLength(22)
    expect(new Set(ids).size).toBe(100)
  })
})
