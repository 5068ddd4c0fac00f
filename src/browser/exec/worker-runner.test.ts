import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createInputBuffer, InputChannelReader } from '../../shared/exec/input-channel'
import type { OutputChunk, RunRequest, RunResult, RunnerStatus } from '../../shared/exec/run'
import type { FromWorker, ToWorker } from '../../shared/exec/worker-protocol'
import { WorkerRunner, type WorkerRunnerConfig } from './worker-runner'

/**
 * The runner's side of the protocol against scripted workers: the state machine (loading, runs,
 * stop both ways, time limits, crashes). The real workers run in Chromium (see the e2e specs) and
 * their engines under Node (src/shared/exec/*-engine.test.ts).
 */
class FakeWorker {
  readonly received: ToWorker[] = []
  terminated = false
  private readonly listeners = new Map<string, ((event: Event | MessageEvent) => void)[]>()

  addEventListener(type: string, listener: (event: Event | MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  postMessage(message: ToWorker): void {
    this.received.push(message)
  }

  terminate(): void {
    this.terminated = true
  }

  send(message: FromWorker): void {
    for (const listener of this.listeners.get('message') ?? []) listener(new MessageEvent('message', { data: message }))
  }

  crash(): void {
    for (const listener of this.listeners.get('error') ?? []) listener(new Event('error'))
  }

  lastRun(): Extract<ToWorker, { type: 'run' }> {
    const run = this.received.findLast((m) => m.type === 'run')
    if (run?.type !== 'run') throw new Error('no run was posted')
    return run
  }
}

let workers: FakeWorker[]
const latest = (): FakeWorker => {
  const worker = workers.at(-1)
  if (!worker) throw new Error('no worker')
  return worker
}

function runner(config: Partial<WorkerRunnerConfig> = {}): WorkerRunner {
  return new WorkerRunner({
    language: 'python',
    runtimeName: 'Python',
    spawn: () => {
      const worker = new FakeWorker()
      workers.push(worker)
      return worker as unknown as Worker
    },
    stopMode: 'respawn',
    workerPerRun: false,
    stopGraceMs: 1000,
    ...config,
  })
}

const request = (extra: Partial<RunRequest> = {}): RunRequest => ({
  language: 'python',
  code: 'print(1)',
  timeoutMs: 10_000,
  outputLimitBytes: 1000,
  ...extra,
})

const ok: RunResult = { status: 'ok', durationMs: 3, tests: null }

/** Lets the runner's awaits (loading, input handlers) go on. */
const settle = () => vi.advanceTimersByTimeAsync(0)

beforeEach(() => {
  workers = []
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('WorkerRunner', () => {
  it('reports loading progress, then ready, running and ready again', async () => {
    const r = runner()
    const statuses: RunnerStatus[] = []
    r.onStatus((s) => statuses.push(s))
    expect(latest().received).toEqual([{ type: 'init' }])
    latest().send({ type: 'progress', progress: 0.4 })
    latest().send({ type: 'ready' })
    const output: OutputChunk[] = []
    const result = r.run(request(), { onOutput: (c) => output.push(c) })
    await settle()
    const { runId } = latest().lastRun()
    latest().send({ type: 'output', runId, chunks: [{ stream: 'stdout', text: '1\n' }] })
    latest().send({ type: 'done', runId, result: ok, restart: false })
    expect(await result).toEqual(ok)
    expect(output).toEqual([{ stream: 'stdout', text: '1\n' }])
    expect(statuses.map((s) => `${s.state}:${s.progress}`)).toEqual([
      'loading:0.4',
      'ready:null',
      'running:null',
      'ready:null',
    ])
  })

  it('waits for loading before it runs, and refuses a second run meanwhile', async () => {
    const r = runner()
    const first = r.run(request())
    await expect(r.run(request())).rejects.toThrow(/already in progress/)
    await expect(r.run(request({ language: 'javascript' }))).rejects.toThrow()
    await settle()
    expect(latest().received.some((m) => m.type === 'run')).toBe(false)
    latest().send({ type: 'ready' })
    await settle()
    latest().send({ type: 'done', runId: latest().lastRun().runId, result: ok, restart: false })
    expect(await first).toEqual(ok)
  })

  it('drops messages that do not parse, and messages of other runs', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const output: OutputChunk[] = []
    const result = r.run(request(), { onOutput: (c) => output.push(c) })
    await settle()
    const { runId } = latest().lastRun()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    latest().send({ type: 'output', runId, chunks: [{ stream: 'nope', text: 'x' }] } as unknown as FromWorker)
    expect(error).toHaveBeenCalledOnce()
    latest().send({ type: 'output', runId: runId + 7, chunks: [{ stream: 'stdout', text: 'other' }] })
    latest().send({ type: 'done', runId, result: ok, restart: false })
    await result
    expect(output).toEqual([])
  })

  it('stops by replacing the worker when it cannot interrupt, and loads a new one', async () => {
    const r = runner()
    const first = latest()
    first.send({ type: 'ready' })
    const result = r.run(request())
    await settle()
    r.stop()
    expect(await result).toMatchObject({ status: 'stopped', tests: null, message: 'The run was stopped.' })
    expect(first.terminated).toBe(true)
    expect(workers).toHaveLength(2)
    expect(r.status().state).toBe('loading')
    latest().send({ type: 'ready' })
    expect(r.status().state).toBe('ready')
  })

  it('interrupts in place when it can, and replaces a worker that does not stop in time', async () => {
    const interruptBuffer = new SharedArrayBuffer(4)
    const r = runner({ stopMode: 'interrupt', interruptBuffer })
    latest().send({ type: 'ready' })
    const result = r.run(request())
    await settle()
    r.stop()
    expect(new Int32Array(interruptBuffer)[0]).toBe(2)
    // The worker answers: the program was interrupted.
    const { runId } = latest().lastRun()
    latest().send({ type: 'done', runId, result: { ...ok, status: 'stopped' }, restart: false })
    expect(await result).toMatchObject({ status: 'stopped' })
    expect(latest().terminated).toBe(false)

    const stuck = r.run(request())
    await settle()
    r.stop()
    await vi.advanceTimersByTimeAsync(999)
    expect(workers).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(await stuck).toMatchObject({ status: 'stopped' })
    expect(workers[0]?.terminated).toBe(true)
    expect(workers).toHaveLength(2)
    // The new worker must not inherit the SIGINT.
    expect(new Int32Array(interruptBuffer)[0]).toBe(0)
  })

  it('ends a run at its time limit, with the clock stopped while the program waits for input', async () => {
    const inputBuffer = createInputBuffer()
    const interruptBuffer = new SharedArrayBuffer(4)
    const interrupted = () => new Int32Array(interruptBuffer)[0] === 2
    const r = runner({ stopMode: 'interrupt', interruptBuffer, inputBuffer })
    latest().send({ type: 'ready' })
    let answer: (line: string | null) => void = () => {}
    const result = r.run(request({ timeoutMs: 1000 }), {
      onInputRequest: () => new Promise((resolve) => (answer = resolve)),
    })
    await settle()
    const { runId, interactiveInput } = latest().lastRun()
    expect(interactiveInput).toBe(true)
    await vi.advanceTimersByTimeAsync(600)
    const reader = new InputChannelReader(inputBuffer)
    reader.prepare()
    latest().send({ type: 'input-request', runId, prompt: 'Name: ' })
    await vi.advanceTimersByTimeAsync(5000)
    expect(interrupted()).toBe(false)
    answer('Ada')
    await settle()
    expect(reader.wait()).toEqual({ kind: 'line', text: 'Ada' })
    await vi.advanceTimersByTimeAsync(399)
    expect(interrupted()).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(interrupted()).toBe(true)
    latest().send({ type: 'done', runId, result: { ...ok, status: 'stopped' }, restart: false })
    expect(await result).toMatchObject({ status: 'timeout', message: /time limit of 1 s/ })
  })

  it('ends the run with an error and restarts when the worker crashes or asks to be replaced', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const crashed = r.run(request())
    await settle()
    latest().crash()
    expect(await crashed).toMatchObject({ status: 'error', message: /stopped working/ })
    expect(workers).toHaveLength(2)
    latest().send({ type: 'ready' })
    const fatal = r.run(request())
    await settle()
    latest().send({ type: 'done', runId: latest().lastRun().runId, result: { ...ok, status: 'error' }, restart: true })
    await fatal
    expect(workers).toHaveLength(3)
  })

  it('says why it could not load, and tries again on the next run', async () => {
    const r = runner()
    latest().send({ type: 'load-failed', message: 'Python could not load: 404.' })
    await expect(r.ready()).rejects.toThrow('Python could not load: 404.')
    expect(r.status()).toEqual({ state: 'failed', progress: null, error: 'Python could not load: 404.' })
    const result = r.run(request())
    await settle()
    expect(workers).toHaveLength(2)
    latest().crash()
    expect(await result).toMatchObject({ status: 'error', message: /could not start/ })
  })

  it('gives each run a fresh worker when asked to, the next one loaded ahead', async () => {
    const r = runner({ language: 'javascript', runtimeName: 'JavaScript', workerPerRun: true })
    expect(workers).toHaveLength(2)
    const [first, next] = workers as [FakeWorker, FakeWorker]
    first.send({ type: 'ready' })
    next.send({ type: 'ready' })
    const result = r.run(request({ language: 'javascript' }))
    await settle()
    first.send({ type: 'done', runId: first.lastRun().runId, result: ok, restart: false })
    await result
    expect(first.terminated).toBe(true)
    expect(r.status().state).toBe('ready')
    expect(workers).toHaveLength(3)
    void r.run(request({ language: 'javascript' }))
    await settle()
    expect(next.lastRun().request.language).toBe('javascript')
  })

  it('stops a run that waits for loading at once, and ends everything on dispose', async () => {
    const r = runner()
    const waiting = r.run(request())
    r.stop()
    expect(await waiting).toMatchObject({ status: 'stopped', durationMs: 0 })
    latest().send({ type: 'ready' })
    const running = r.run(request())
    await settle()
    r.dispose()
    expect(await running).toMatchObject({ status: 'stopped' })
    expect(latest().terminated).toBe(true)
    await expect(r.run(request())).rejects.toThrow(/disposed/)
  })
})
