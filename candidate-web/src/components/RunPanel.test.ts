import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_OUTPUT_LIMIT_BYTES } from '../../../src/shared/exec/run'
import type { LinkFrame, SessionInfo } from '../../../src/shared/peer/frames'
import type { CandidateProblem } from '../../../src/shared/session'
import { problemText } from '../../../src/shared/sync/doc'
import { runnerSourceKey } from '../../../src/browser/run-ui/runner-source'
import { ScriptedRunners, type ScriptedRunner } from '../../../src/browser/run-ui/testing/scripted-runner'
import type { CandidateSession } from '../session/candidate-session'
import { INFO, startPage, type Harness } from '../test-support'
import RunPanel from './RunPanel.vue'

const tid = (id: string): string => `[data-testid="${id}"]`

const TWO_SUM: CandidateProblem = {
  title: 'Two sum',
  difficulty: 'junior',
  description: 'Find two numbers.',
  entryFunction: 'two_sum',
  starterCode: 'def two_sum(nums, target):\n    pass\n',
  tests: [
    { name: 'basic', args: [[2, 7, 11, 15], 9], expected: [0, 1], hidden: false },
    { name: 'repeated', args: [[3, 3], 6], expected: [0, 1], hidden: false },
  ],
  timeoutMs: 4000,
}
const WITH_TESTS: SessionInfo = { ...INFO, problems: [TWO_SUM, ...INFO.problems.slice(1)] }

let page: Harness | null = null
afterEach(async () => {
  await page?.dispose()
  page = null
})

async function joined(options: { runners?: ScriptedRunners; info?: SessionInfo } = {}): Promise<Harness> {
  page = await startPage({ runners: options.runners })
  await page.mode('direct')
  await page.hostSends({ type: 'session.info', info: options.info ?? WITH_TESTS })
  await page.byTestId('cand-name').setValue('Sam Lee')
  await page.byTestId('cand-join-button').trigger('submit')
  await page.settle()
  return page
}

const python = (p: Harness): ScriptedRunner => p.runners.get('python')
const runFrames = (p: Harness): LinkFrame[] => p.received.filter((f) => f.type.startsWith('run.'))

/** Lets the page update, and the run reporter's coalesced output reach the host. */
async function until(p: Harness, assertion: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await p.settle()
    assertion()
  })
}

describe('running code on the candidate page', () => {
  it('starts the session language’s runtime once the editor has settled, not on the join screen', async () => {
    const p = await startPage()
    page = p
    await p.mode('direct')
    await p.hostSends({ type: 'session.info', info: WITH_TESTS })
    expect(p.byTestId('cand-join').exists()).toBe(true)
    expect([...p.runners.runners.keys()]).toEqual([])
    await p.byTestId('cand-name').setValue('Sam Lee')
    await p.byTestId('cand-join-button').trigger('submit')
    await until(p, () => expect([...p.runners.runners.keys()]).toEqual(['python']))
  })

  it('runs the current code, shows its output and status, and streams it all to the interviewer', async () => {
    const p = await joined()
    problemText(p.session.doc, 0).insert(0, 'print("hi")\n')
    await p.byTestId('cand-run').trigger('click')
    const runner = python(p)
    expect(runner.requests).toEqual([
      {
        language: 'python',
        code: `print("hi")\n${TWO_SUM.starterCode}`,
        timeoutMs: 4000,
        outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
      },
    ])
    expect(p.byTestId('cand-status').attributes('data-status')).toBe('running')
    expect(p.byTestId('cand-run').attributes('disabled')).toBeDefined()
    expect(p.byTestId('cand-stop').attributes('disabled')).toBeUndefined()

    runner.print('hi\n')
    runner.print('warning\n', 'stderr')
    await until(p, () => expect(p.byTestId('cand-output-text').text()).toContain('warning'))
    runner.finish({ status: 'ok', durationMs: 3 })
    await until(p, () => expect(p.byTestId('cand-status').attributes('data-status')).toBe('ok'))
    expect(p.byTestId('cand-status').text()).toBe('Finished in 3 ms')
    expect(p.byTestId('cand-stop').attributes('disabled')).toBeDefined()

    await until(p, () => expect(runFrames(p).at(-1)?.type).toBe('run.finished'))
    const [started, ...rest] = runFrames(p)
    expect(started).toMatchObject({
      type: 'run.started',
      problem: 0,
      kind: 'run',
      language: 'python',
      code: `print("hi")\n${TWO_SUM.starterCode}`,
    })
    const runId = started?.type === 'run.started' ? started.runId : ''
    expect(rest).toEqual([
      { type: 'run.output', runId, stream: 'stdout', text: 'hi\n' },
      { type: 'run.output', runId, stream: 'stderr', text: 'warning\n' },
      { type: 'run.finished', runId, result: { status: 'ok', durationMs: 3, tests: null } },
    ])
  })

  it('runs the visible tests with the entry function and time limit, and lists each result', async () => {
    const p = await joined()
    await p.byTestId('cand-run-tests').trigger('click')
    const runner = python(p)
    expect(runner.requests[0]).toMatchObject({
      entryFunction: 'two_sum',
      timeoutMs: 4000,
      outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
      tests: [
        { name: 'basic', args: [[2, 7, 11, 15], 9], expected: [0, 1] },
        { name: 'repeated', args: [[3, 3], 6], expected: [0, 1] },
      ],
    })
    // Only what a test case is: nothing else of the problem goes to the runner.
    expect(Object.keys(runner.requests[0]?.tests?.[0] ?? {})).toEqual(['name', 'args', 'expected'])
    runner.finish({
      tests: [
        { name: 'basic', status: 'pass', expected: [0, 1], actual: [0, 1], stdout: '', durationMs: 1 },
        { name: 'repeated', status: 'fail', expected: [0, 1], actual: null, stdout: '', durationMs: 1 },
      ],
    })
    await until(p, () => expect(p.byTestId('cand-tests-summary').text()).toBe('1 of 2 tests passed'))
    expect(p.wrapper.findAll(tid('cand-test')).map((t) => t.attributes('data-status'))).toEqual(['pass', 'fail'])
    await until(p, () => expect(runFrames(p).at(-1)?.type).toBe('run.finished'))
    expect(runFrames(p)[0]).toMatchObject({ type: 'run.started', kind: 'tests' })
  })

  it('offers no test run for a problem without visible tests', async () => {
    const p = await joined({ info: INFO })
    expect(p.byTestId('cand-run-tests').attributes('disabled')).toBeDefined()
  })

  it('stops a runaway program, and the code stays as it was', async () => {
    const p = await joined()
    const code = problemText(p.session.doc, 0).toString()
    await p.byTestId('cand-run').trigger('click')
    await p.byTestId('cand-stop').trigger('click')
    expect(python(p).stops).toBe(1)
    await until(p, () => expect(p.byTestId('cand-status').attributes('data-status')).toBe('stopped'))
    expect(p.byTestId('cand-message').text()).toBe('Stopped.')
    expect(problemText(p.session.doc, 0).toString()).toBe(code)
    expect(p.byTestId('cand-run').attributes('disabled')).toBeUndefined()
  })

  it('runs with Ctrl+Enter from anywhere on the page', async () => {
    const p = await joined()
    await p.byTestId('cand-session').trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(python(p).requests).toHaveLength(1)
    // A second press while it runs does not start another.
    await p.byTestId('cand-session').trigger('keydown', { key: 'Enter', metaKey: true })
    expect(python(p).requests).toHaveLength(1)
    python(p).finish()
  })

  it('asks for input() in the console when the page can, and shows what was typed', async () => {
    const p = await joined()
    expect(p.byTestId('cand-stdin').exists()).toBe(false)
    await p.byTestId('cand-run').trigger('click')
    const answer = python(p).ask('Your name? ')
    await p.settle()
    expect(p.byTestId('cand-input-line').text()).toContain('The program asks: Your name?')
    await p.byTestId('cand-input').setValue('Sam')
    await p.byTestId('cand-input-line').trigger('submit')
    await expect(answer).resolves.toBe('Sam')
    const eof = python(p).ask('')
    await p.settle()
    await p.byTestId('cand-input').trigger('keydown', { key: 'd', ctrlKey: true })
    await expect(eof).resolves.toBeNull()
    python(p).finish()
    await until(p, () => expect(p.byTestId('cand-output-text').text()).toBe('Your name? Sam'))
  })

  it('reads input() from the stdin box when the page cannot ask while the program runs', async () => {
    const p = await joined({ runners: new ScriptedRunners({ interactiveInput: false }) })
    const box = p.byTestId('cand-stdin')
    expect(p.wrapper.find('label[for="' + box.attributes('id') + '"]').text()).toBe(
      'Input for input(), one line per call',
    )
    await box.setValue('3\n4\n')
    await p.byTestId('cand-run').trigger('click')
    expect(python(p).requests[0]?.stdin).toBe('3\n4\n')
    expect(p.byTestId('cand-stdin').attributes('disabled')).toBeDefined()
    python(p).finish()
  })

  it('keeps the page light under a flood of output', async () => {
    const p = await joined()
    await p.byTestId('cand-run').trigger('click')
    for (let i = 0; i < 100_000; i++) python(p).print('spam spam spam\n')
    python(p).finish({ status: 'output-limit', message: 'The program printed more than 1 MB; the rest was cut off.' })
    await until(p, () => expect(p.byTestId('cand-status').attributes('data-status')).toBe('output-limit'))
    expect(p.wrapper.findAll('.chunk').length).toBeLessThan(30)
    expect(p.byTestId('cand-output-hidden').text()).toContain('characters of earlier output are not shown here')
    expect(p.byTestId('cand-message').text()).toContain('more than 1 MB')
  })

  it('shows the runtime loading, and why it failed', async () => {
    const runners = new ScriptedRunners({ status: { state: 'loading', progress: 0.25, error: null } })
    const p = await joined({ runners })
    expect(p.byTestId('cand-runtime').text()).toContain('Loading Python… 25%')
    python(p).setStatus({
      state: 'failed',
      progress: null,
      error: 'Python could not be downloaded: 404 pyodide.asm.wasm',
    })
    await p.settle()
    expect(p.byTestId('cand-runtime').attributes('role')).toBe('alert')
    expect(p.byTestId('cand-runtime-error').text()).toContain('404 pyodide.asm.wasm')
    await p.byTestId('cand-run').trigger('click')
    await until(p, () => expect(p.byTestId('cand-status').attributes('data-status')).toBe('error'))
    expect(p.byTestId('cand-message').text()).toContain('404 pyodide.asm.wasm')
  })

  it('reports a run on the problem it started on, and starts the next problem with a clear console', async () => {
    const p = await joined()
    await p.byTestId('cand-run').trigger('click')
    python(p).print('first\n')
    await p.hostSends({
      type: 'session.state',
      state: { status: 'live', currentProblem: 1, startedAt: 1, timeLimitMs: null },
    })
    // Still running: the output stays until it ends.
    await until(p, () => expect(p.byTestId('cand-output-text').text()).toBe('first'))
    python(p).finish()
    await until(p, () => expect(runFrames(p).at(-1)?.type).toBe('run.finished'))
    expect(runFrames(p)[0]).toMatchObject({ type: 'run.started', problem: 0 })

    await p.hostSends({
      type: 'session.state',
      state: { status: 'live', currentProblem: 0, startedAt: 1, timeLimitMs: null },
    })
    expect(p.byTestId('cand-status').attributes('data-status')).toBe('idle')
    expect(p.byTestId('cand-output-text').text()).toBe('')
  })

  it('stops a run still going when the interview ends', async () => {
    const p = await joined()
    await p.byTestId('cand-run').trigger('click')
    await p.hostSends({
      type: 'session.state',
      state: { status: 'ended', currentProblem: 0, startedAt: 1, timeLimitMs: null },
    })
    expect(p.byTestId('cand-run').exists()).toBe(false)
    expect(python(p).stops).toBe(1)
  })
})

describe('the run panel before the code arrives', () => {
  it('cannot run yet', () => {
    const session = {
      doc: new Y.Doc(),
      runs: { started: vi.fn(), output: vi.fn(), ended: vi.fn() },
    } as unknown as CandidateSession
    const runners = new ScriptedRunners()
    const w = mount(RunPanel, {
      props: { session, problem: TWO_SUM, index: 0, language: 'python', ready: false },
      global: { provide: { [runnerSourceKey as symbol]: runners } },
    })
    expect(w.find(tid('cand-run')).attributes('disabled')).toBeDefined()
    expect(w.find(tid('cand-run-tests')).attributes('disabled')).toBeDefined()
    w.unmount()
  })
})
