import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { TestResult } from '../../shared/exec/test-result'
import TestResultsList from './TestResultsList.vue'

const tid = (id: string): string => `[data-testid="${id}"]`

const TESTS: TestResult[] = [
  { name: 'simple', status: 'pass', expected: [0, 1], actual: [0, 1], stdout: '', durationMs: 0.4 },
  { name: 'negatives', status: 'fail', expected: [1, 2], actual: null, stdout: 'checking\n', durationMs: 1 },
  {
    name: 'empty',
    status: 'error',
    expected: [],
    error: 'Traceback (most recent call last):\n  File "solution.py", line 3\nIndexError: list index out of range',
    stdout: '',
    durationMs: 2,
  },
]

describe('the test results list', () => {
  it('shows each test’s outcome in words, with expected and actual on a failure and the error text', () => {
    const w = mount(TestResultsList, { props: { tests: TESTS, idPrefix: 'x' } })
    expect(w.find(tid('x-tests-summary')).text()).toBe('1 of 3 tests passed')
    const rows = w.findAll(tid('x-test'))
    expect(rows.map((r) => r.attributes('data-status'))).toEqual(['pass', 'fail', 'error'])
    expect(rows.map((r) => r.find('.badge').text())).toEqual(['✓ Passed', '✗ Failed', '! Error'])
    expect(rows[0]?.find(tid('x-test-diff')).exists()).toBe(false)
    expect(rows[1]?.find(tid('x-test-diff')).text()).toBe('Expected[1,2]Gotnull')
    expect(rows[1]?.find(tid('x-test-stdout')).text()).toBe('checking')
    expect(rows[2]?.find(tid('x-test-error')).text()).toContain('IndexError: list index out of range')
    expect(rows[2]?.find(tid('x-test-diff')).exists()).toBe(false)
  })

  it('says when all passed, naming the tests as asked', () => {
    const w = mount(TestResultsList, { props: { tests: TESTS.slice(0, 1), noun: 'hidden tests' } })
    expect(w.find(tid('run-tests-summary')).text()).toBe('All 1 hidden tests passed')
  })

  it('shows a missing actual value as a dash', () => {
    const w = mount(TestResultsList, {
      props: { tests: [{ ...TESTS[1], actual: undefined } as TestResult], idPrefix: 'x' },
    })
    expect(w.find(tid('x-test-diff')).text()).toBe('Expected[1,2]Got—')
  })
})
