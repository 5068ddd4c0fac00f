import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef } from 'vue'
import type { RunRequest, Runner } from '../../shared/exec/run'
import type { OutputChunk } from '../../shared/exec/run'
import { ScriptedRunner } from './testing/scripted-runner'
import { useRun, type FinishedRun, type RunHooks, type StartedRun } from './use-run'

const REQUEST: RunRequest = {
  language: 'python',
  code: 'print("hi")',
  timeoutMs: 10_000,
  outputLimitBytes: 1_000_000,
}

function setup(runner: Runner, hooks: RunHooks = {}) {
  const scope = effectScope()
  const run = scope.run(() => useRun(() => runner, hooks))
  if (!run) throw new Error('no scope')
  return { run, scope }
}

const shown = (run: ReturnType<typeof setup>['run']): string => run.output.value.blocks.map((b) => b.text).join('')

describe('useRun', () => {
  it('streams output as it comes, then keeps the status, duration and everything printed', async () => {
    const runner = new ScriptedRunner('python')
    const events: string[] = []
    const { run } = setup(runner, {
      onStarted: (s: StartedRun) => events.push(`started ${s.kind} ${s.request.code}`),
      onOutput: (_id, chunk: OutputChunk) => events.push(`${chunk.stream} ${chunk.text}`),
      onEnded: (f: FinishedRun) => events.push(`ended ${f.result.status}`),
    })
    expect(run.phase.value).toBe('idle')
    const done = run.start('run', REQUEST)
    expect(run.phase.value).toBe('running')
    expect(run.running.value).toBe(true)
    expect(runner.requests).toEqual([REQUEST])

    runner.print('hello\n')
    runner.print('bad\n', 'stderr')
    await vi.waitFor(() => expect(shown(run)).toBe('hello\nbad\n'))
    expect(run.output.value.blocks.map((b) => b.stream)).toEqual(['stdout', 'stderr'])

    runner.finish({ status: 'error', durationMs: 42, message: 'Boom.' })
    const finished = await done
    expect(run.phase.value).toBe('done')
    expect(run.result.value).toEqual({ status: 'error', durationMs: 42, tests: null, message: 'Boom.' })
    expect(finished?.output).toEqual([
      { stream: 'stdout', text: 'hello\n' },
      { stream: 'stderr', text: 'bad\n' },
    ])
    expect(events).toEqual(['started run print("hi")', 'stdout hello\n', 'stderr bad\n', 'ended error'])
    // The same run id throughout, usable on the link.
    expect(finished?.runId).toMatch(/^[A-Za-z0-9_-]{1,64}$/)
  })

  it('shows the last output at once when the run ends, without waiting for a frame', async () => {
    const runner = new ScriptedRunner('python', {
      script: (io) => {
        io.print('last words\n')
        return { status: 'ok' }
      },
    })
    const { run } = setup(runner)
    await run.start('run', REQUEST)
    expect(shown(run)).toBe('last words\n')
  })

  it('asks for input in the console when the runner can', async () => {
    const runner = new ScriptedRunner('python', { interactiveInput: true })
    const forwarded: string[] = []
    const { run } = setup(runner, { onOutput: (_id, c) => forwarded.push(c.text) })
    const done = run.start('run', REQUEST)
    const first = runner.ask('Name? ')
    expect(run.inputPrompt.value).toBe('Name? ')
    run.answerInput('Sam')
    await expect(first).resolves.toBe('Sam')
    expect(run.inputPrompt.value).toBeNull()

    const second = runner.ask('')
    run.answerInput(null)
    await expect(second).resolves.toBeNull()
    runner.finish()
    await done
    // The runner printed the prompt and echoed the line: the console adds nothing of its own.
    expect(shown(run)).toBe('Name? Sam\n')
    expect(forwarded).toEqual(['Name? ', 'Sam\n'])
  })

  it('gives the runner no input handler when it cannot ask (the stdin box is used instead)', async () => {
    const runner = new ScriptedRunner('python', { interactiveInput: false })
    const { run } = setup(runner)
    void run.start('run', { ...REQUEST, stdin: 'a\nb\n' })
    await expect(runner.ask('x')).rejects.toThrow('cannot ask')
    expect(runner.requests[0]?.stdin).toBe('a\nb\n')
    runner.finish()
  })

  it('ends a waiting input() with end of input when the run stops', async () => {
    const runner = new ScriptedRunner('python')
    const { run } = setup(runner)
    const done = run.start('run', REQUEST)
    const asked = runner.ask('? ')
    run.stop()
    await expect(asked).resolves.toBeNull()
    expect((await done)?.result.status).toBe('stopped')
    expect(run.inputPrompt.value).toBeNull()
    expect(runner.stops).toBe(1)
  })

  it('runs once at a time', async () => {
    const runner = new ScriptedRunner('python')
    const { run } = setup(runner)
    const first = run.start('run', REQUEST)
    await expect(run.start('tests', REQUEST)).resolves.toBeNull()
    expect(runner.requests).toHaveLength(1)
    runner.finish()
    await first
  })

  it('reports a run that could not start as an error, and still tells the hooks it ended', async () => {
    const runner = new ScriptedRunner('python', {
      status: { state: 'failed', progress: null, error: 'The Python runtime could not be downloaded' },
    })
    const ended: FinishedRun[] = []
    const { run } = setup(runner, { onEnded: (f) => ended.push(f) })
    await run.start('run', REQUEST)
    expect(run.result.value?.status).toBe('error')
    expect(run.result.value?.message).toBe('The run could not start: The Python runtime could not be downloaded')
    expect(ended).toHaveLength(1)
  })

  it('follows the runner status, also when the runner changes', async () => {
    const python = new ScriptedRunner('python', { status: { state: 'loading', progress: 0.2, error: null } })
    const javascript = new ScriptedRunner('javascript')
    const current = shallowRef<Runner>(python)
    const scope = effectScope()
    const run = scope.run(() => useRun(() => current.value))
    expect(run?.runnerStatus.value.progress).toBe(0.2)
    python.setStatus({ state: 'loading', progress: 0.7, error: null })
    expect(run?.runnerStatus.value.progress).toBe(0.7)
    current.value = javascript
    await flushPromises()
    expect(run?.runnerStatus.value.state).toBe('ready')
    python.setStatus({ state: 'failed', progress: null, error: 'x' })
    expect(run?.runnerStatus.value.state).toBe('ready')
    scope.stop()
  })

  it('clears the console but keeps the output for the record', async () => {
    const runner = new ScriptedRunner('python')
    const { run } = setup(runner)
    const done = run.start('run', REQUEST)
    runner.print('one\n')
    run.clear()
    expect(run.output.value.blocks).toEqual([])
    runner.print('two\n')
    runner.finish()
    expect((await done)?.output).toEqual([{ stream: 'stdout', text: 'one\ntwo\n' }])
    expect(shown(run)).toBe('two\n')
    run.clear()
    expect(run.phase.value).toBe('idle')
    expect(run.result.value).toBeNull()
  })

  it('stops a run still going when its component goes away', async () => {
    const runner = new ScriptedRunner('python')
    const { run, scope } = setup(runner)
    const done = run.start('run', REQUEST)
    scope.stop()
    expect((await done)?.result.status).toBe('stopped')
    expect(runner.stops).toBe(1)
  })
})
