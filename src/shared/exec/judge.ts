import type { JsonValue } from '../json'
import type { RunResult } from './run'
import type { TestOutcome, TestResult } from './test-result'
import type { WorkerRunResult } from './worker-protocol'

export interface JudgedCase {
  name: string
  expected: JsonValue
}

/**
 * A run's result as the page gives it out: the worker's report of a test run judged against the
 * request's own test cases. A report that cannot be matched with them makes the run an error.
 */
export function judgeRun(cases: readonly JudgedCase[] | undefined, result: WorkerRunResult): RunResult {
  if (cases === undefined || result.tests === null) return { ...result, tests: null }
  const tests = judgeTests(cases, result.tests)
  if (tests !== null) return { ...result, tests }
  return {
    status: 'error',
    durationMs: result.durationMs,
    tests: null,
    message: `The tests reported ${count(result.tests.length, 'result')} for ${count(cases.length, 'case')}, so none can be trusted.`,
  }
}

/**
 * Turns what the worker reported into verdicts, comparing each returned value with the expected one
 * held here. Null when the report does not have one outcome per case (it cannot be matched up).
 */
export function judgeTests(cases: readonly JudgedCase[], outcomes: readonly TestOutcome[]): TestResult[] | null {
  if (outcomes.length !== cases.length) return null
  return cases.map(({ name, expected }, i) => {
    const outcome = outcomes[i] as TestOutcome
    const { stdout, durationMs } = outcome
    if ('error' in outcome) return { name, status: 'error', expected, error: outcome.error, stdout, durationMs }
    const { actual } = outcome
    return { name, status: sameJson(actual, expected) ? 'pass' : 'fail', expected, actual, stdout, durationMs }
  })
}

/**
 * Equality of JSON values: numbers by value (a Python 2.0 is 2), true is not 1, objects regardless of
 * key order. Values come parsed, so they nest at most MAX_JSON_DEPTH levels and recursion is safe.
 */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i] as JsonValue))
    )
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const keys = Object.keys(a)
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key] as JsonValue, b[key] as JsonValue))
  )
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
