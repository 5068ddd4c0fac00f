import type { VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runnerSourceKey } from '../../../browser/run-ui/runner-source'
import { ScriptedRunners, type RunScript } from '../../../browser/run-ui/testing/scripted-runner'
import type { TestResult } from '../../../shared/exec/test-result'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router
let twoSumId: number
let runners: ScriptedRunners

beforeEach(async () => {
  host = startRealHost()
  const page = await host.api.problems.list({ text: 'two sum' })
  twoSumId = page.items[0]?.id ?? 0
  runners = new ScriptedRunners()
  ;({ wrapper, router } = await mountApp(host.api, `/problems/${twoSumId}`, { [runnerSourceKey]: runners }))
  await eventually(() => expect(wrapper.find(tid('problem-title')).exists()).toBe(true))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('a problem in detail', () => {
  it('shows its facts, Markdown, tests and code', () => {
    expect(wrapper.find(tid('problem-title')).text()).toBe('Two Sum')
    expect(wrapper.find(tid('difficulty-badge')).text()).toBe('junior')
    expect(wrapper.text()).toContain('hashing')
    expect(wrapper.find(tid('problem-slug')).text()).toBe('two-sum')
    // Only text here: DOMPurify does not support happy-dom (cure53/DOMPurify#1457), so the HTML
    // structure of rendered Markdown is checked in a real browser by the e2e tests.
    const description = wrapper.find(tid('problem-description')).text()
    expect(description).toContain('Return the indices of the two numbers that add up to target.')
    expect(description).not.toContain('#')
    expect(description).not.toContain('`')

    const rows = wrapper.findAll(tid('test-row'))
    expect(rows).toHaveLength(2)
    expect(rows[0]?.text()).toContain('Visible')
    expect(rows[1]?.find(tid('test-hidden')).text()).toBe('Hidden')
    expect(rows[1]?.text()).toContain('[[-3,4,3,90],0]')

    const starter = wrapper.find(tid('problem-starter')).find('textarea')
    expect(starter.element.value).toContain('def two_sum')
    expect(starter.attributes('readonly')).toBeDefined()
    expect(wrapper.find(tid('problem-solution')).find('textarea').element.value).toContain('seen = {}')
  })

  it('switches the code to another language', async () => {
    await wrapper.find(tid('tab-javascript')).trigger('click')
    expect(wrapper.find(tid('problem-starter')).find('textarea').element.value).toContain('function two_sum')
  })

  it('deletes only after the user confirms', async () => {
    await wrapper.find(tid('problem-delete')).trigger('click')
    const dialog = wrapper.find<HTMLDialogElement>(tid('confirm-dialog'))
    await eventually(() => expect(dialog.element.open).toBe(true))
    expect(dialog.text()).toContain('Two Sum')

    await wrapper.find(tid('confirm-no')).trigger('click')
    await eventually(() => expect(dialog.element.open).toBe(false))
    await expect(host.api.problems.get({ id: twoSumId })).resolves.toMatchObject({ title: 'Two Sum' })

    await wrapper.find(tid('problem-delete')).trigger('click')
    await wrapper.find(tid('confirm-yes')).trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('problems'))
    await expect(host.api.problems.get({ id: twoSumId })).rejects.toMatchObject({ code: 'not-found' })
    await eventually(() => expect(wrapper.findAll(tid('problem-row'))).toHaveLength(2))
  })

  it('duplicates the problem and opens the copy', async () => {
    await wrapper.find(tid('problem-duplicate')).trigger('click')
    await eventually(() => expect(router.currentRoute.value.params.id).not.toBe(String(twoSumId)))
    await eventually(() => expect(wrapper.find(tid('problem-slug')).text()).not.toBe('two-sum'))
    const page = await host.api.problems.list({ text: 'two sum' })
    expect(page.total).toBe(2)
  })

  it('says so when the problem does not exist', async () => {
    await router.push('/problems/9999')
    await eventually(() => expect(wrapper.find(tid('problem-load-error')).exists()).toBe(true))
  })
})

describe('checking the reference solutions', () => {
  const pass = (name: string, value: TestResult['expected']): TestResult => ({
    name,
    status: 'pass',
    expected: value,
    actual: value,
    stdout: '',
    durationMs: 1,
  })
  const results = () => wrapper.findAll(tid('check-result'))

  it('runs each language’s solution against all tests, hidden ones too, and says which failed and why', async () => {
    expect(runners.runners.size).toBe(0)
    const passing: RunScript = () => ({ tests: [pass('small', [0, 1]), pass('negatives', [0, 2])] })
    const failing: RunScript = () => ({
      tests: [
        pass('small', [0, 1]),
        { name: 'negatives', status: 'fail', expected: [0, 2], actual: null, stdout: 'no pair\n', durationMs: 1 },
      ],
    })
    runners.get('python').script = passing
    runners.get('javascript').script = failing

    await wrapper.find(tid('check-references')).trigger('click')
    await eventually(() => expect(results()).toHaveLength(2))
    const problem = await host.api.problems.get({ id: twoSumId })
    for (const language of ['python', 'javascript'] as const) {
      expect(runners.get(language).requests).toEqual([
        {
          language,
          code: problem.solution[language],
          entryFunction: 'two_sum',
          timeoutMs: 10_000,
          outputLimitBytes: 1_000_000,
          tests: [
            { name: 'small', args: [[2, 7, 11, 15], 9], expected: [0, 1] },
            { name: 'negatives', args: [[-3, 4, 3, 90], 0], expected: [0, 2] },
          ],
        },
      ])
    }
    const [python, javascript] = results()
    expect(python?.attributes()).toMatchObject({ 'data-language': 'python', 'data-outcome': 'pass' })
    expect(python?.find('h3').text()).toBe('✓ Python: All 2 tests pass.')
    expect(javascript?.attributes()).toMatchObject({ 'data-language': 'javascript', 'data-outcome': 'fail' })
    expect(javascript?.find('h3').text()).toBe('✗ JavaScript: 1 of 2 tests pass.')
    const failures = javascript?.findAll(tid('check-javascript-test')) ?? []
    expect(failures.map((f) => f.find(tid('check-javascript-test-name')).text())).toEqual(['negatives'])
    expect(failures[0]?.find(tid('check-javascript-test-diff')).text()).toBe('Expected[0,2]Gotnull')
    expect(wrapper.find(tid('check-references')).attributes('disabled')).toBeUndefined()
  })

  it('shows progress while it checks, and can stop', async () => {
    runners.get('python').setStatus({ state: 'loading', progress: 0.3, error: null })
    await wrapper.find(tid('check-references')).trigger('click')
    expect(wrapper.find(tid('check-progress')).text()).toBe('Checking Python… (1 of 2)')
    expect(wrapper.find(tid('check-runtime')).text()).toBe('Loading Python… 30%')
    expect(wrapper.find(tid('check-references')).attributes('disabled')).toBeDefined()

    await wrapper.find(tid('check-stop')).trigger('click')
    await eventually(() => expect(results()).toHaveLength(1))
    expect(wrapper.find(tid('check-progress')).exists()).toBe(false)
    expect(results()[0]?.find('h3').text()).toBe('✗ Python: The tests did not finish: stopped after 12 ms.')
    expect(runners.get('javascript').requests).toHaveLength(0)
  })

  it('shows the error output of a solution that does not even load', async () => {
    runners.get('python').script = (io) => {
      io.print('  File "solution.py", line 2\nSyntaxError: invalid syntax\n', 'stderr')
      return { status: 'error', tests: null, message: 'The program failed before the tests ran.' }
    }
    runners.get('javascript').script = () => ({ tests: [pass('small', [0, 1]), pass('negatives', [0, 2])] })
    await wrapper.find(tid('check-references')).trigger('click')
    await eventually(() => expect(results()).toHaveLength(2))
    const python = results()[0]
    expect(python?.find('h3').text()).toBe('✗ Python: The tests did not finish: error after 12 ms.')
    expect(python?.find(tid('check-message')).text()).toBe('The program failed before the tests ran.')
    expect(python?.find(tid('check-python-output-text')).text()).toContain('SyntaxError: invalid syntax')
    expect(results()[1]?.attributes('data-outcome')).toBe('pass')
  })
})
