import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createInputBuffer, InputChannelReader } from '../../shared/exec/input-channel'
import { OutputTailWriter } from '../../shared/exec/output-tail'
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

  /** The output tail this worker was given, written as the worker writes it. */
  outputTail(): OutputTailWriter {
    const init = this.received[0]
    if (init?.type !== 'init' || !init.outputTail) throw new Error('no output tail was given')
    return new OutputTailWriter(init.outputTail)
  }

  /** The interrupt buffer this worker was given, as the worker sees it. */
  interruptSignal(): Int32Array {
    const init = this.received[0]
    if (init?.type !== 'init' || !init.interruptBuffer) throw new Error('no interrupt buffer was given')
    return new Int32Array(init.interruptBuffer)
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
    outputTail: false,
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

const ok = { status: 'ok', durationMs: 3, tests: null } as const satisfies RunResult

/** Lets the runner's awaits (loading, input handlers) go on. */
const settle = () => vi.advanceTimersByTimeAsync(0)
/** Past the next animation frame, and the task after it. */
const nextFrame = () => vi.advanceTimersByTimeAsync(20)

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

  it('ignores messages of other runs, and ends the run when its worker sends one that does not parse', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const output: OutputChunk[] = []
    const result = r.run(request(), { onOutput: (c) => output.push(c) })
    await settle()
    const { runId } = latest().lastRun()
    latest().send({ type: 'output', runId: runId + 7, chunks: [{ stream: 'stdout', text: 'other' }] })
    latest().send({ type: 'output', runId, chunks: [{ stream: 'stdout', text: 'kept' }] })
    latest().send({ type: 'output', runId, chunks: [{ stream: 'nope', text: 'x' }] } as unknown as FromWorker)
    expect(await result).toMatchObject({ status: 'error', tests: null, message: /could not read/ })
    expect(output).toEqual([{ stream: 'stdout', text: 'kept' }])
    expect(r.droppedMessages).toBe(1)
    expect(workers[0]?.terminated).toBe(true)
    expect(workers).toHaveLength(2)
  })

  it('drops a message nested too deeply to parse at once, without overflowing the stack', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const result = r.run(request())
    await settle()
    let deep: unknown = 1
    for (let i = 0; i < 200_000; i++) deep = [deep]
    const { runId } = latest().lastRun()
    const tests = [{ actual: deep, stdout: '', durationMs: 1 }]
    latest().send({ type: 'done', runId, result: { ...ok, tests }, restart: false } as unknown as FromWorker)
    expect(await result).toMatchObject({ status: 'error', message: /could not read/ })
    expect(r.droppedMessages).toBe(1)
  })

  it('judges test runs on the page: the worker gets the arguments, never the expected values', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const tests = [
      { name: 'right', args: [1, 2], expected: 3 },
      { name: 'wrong', args: [2, 2], expected: 4 },
      { name: 'threw', args: [0, 0], expected: 0 },
    ]
    const result = r.run(request({ tests, entryFunction: 'add' }))
    await settle()
    const posted = latest().lastRun()
    expect(posted.request.tests).toEqual([{ args: [1, 2] }, { args: [2, 2] }, { args: [0, 0] }])
    expect(JSON.stringify(posted)).not.toMatch(/expected|right|wrong/)
    latest().send({
      type: 'done',
      runId: posted.runId,
      result: {
        ...ok,
        tests: [
          { actual: 3, stdout: 'a\n', durationMs: 1 },
          { actual: 5, stdout: '', durationMs: 1 },
          { error: 'ZeroDivisionError', stdout: '', durationMs: 1 },
        ],
      },
      restart: false,
    })
    expect((await result).tests).toEqual([
      { name: 'right', status: 'pass', expected: 3, actual: 3, stdout: 'a\n', durationMs: 1 },
      { name: 'wrong', status: 'fail', expected: 4, actual: 5, stdout: '', durationMs: 1 },
      { name: 'threw', status: 'error', expected: 0, error: 'ZeroDivisionError', stdout: '', durationMs: 1 },
    ])
  })

  it('refuses a report that does not match the cases, whatever it claims', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const result = r.run(request({ tests: [{ name: 'a', args: [], expected: 1 }], entryFunction: 'solve' }))
    await settle()
    const forged = { name: 'a', status: 'pass', expected: 1, actual: 1, stdout: '', durationMs: 0 }
    const tests = [forged, { ...forged, name: 'b' }]
    latest().send({ type: 'done', runId: latest().lastRun().runId, result: { ...ok, tests }, restart: false })
    expect(await result).toMatchObject({ status: 'error', tests: null, message: /2 results for 1 case,/ })
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

  it('shows what a replaced worker printed but never posted, once, after what it posted', async () => {
    const r = runner({ outputTail: true })
    latest().send({ type: 'ready' })
    const seen: OutputChunk[] = []
    const result = r.run(request(), { onOutput: (chunk) => seen.push(chunk) })
    await settle()
    const { runId } = latest().lastRun()
    const tail = latest().outputTail()
    tail.begin(runId)
    // Posted and arrived, but the worker was replaced before it cleared the tail: not shown twice.
    tail.append('stdout', 'one\n')
    latest().send({ type: 'output', runId, chunks: [{ stream: 'stdout', text: 'one\n' }] })
    r.stop()
    expect(await result).toMatchObject({ status: 'stopped' })
    expect(seen).toEqual([{ stream: 'stdout', text: 'one\n' }])

    latest().send({ type: 'ready' })
    const again: OutputChunk[] = []
    const second = r.run(request(), { onOutput: (chunk) => again.push(chunk) })
    await settle()
    const next = latest().lastRun().runId
    const nextTail = latest().outputTail()
    nextTail.begin(next)
    nextTail.append('stdout', 'posted\n')
    latest().send({ type: 'output', runId: next, chunks: [{ stream: 'stdout', text: 'posted\n' }] })
    nextTail.posted()
    nextTail.append('stdout', 'held back\n')
    nextTail.append('stderr', 'and this\n')
    r.stop()
    await second
    expect(again).toEqual([
      { stream: 'stdout', text: 'posted\n' },
      { stream: 'stdout', text: 'held back\n' },
      { stream: 'stderr', text: 'and this\n' },
    ])
  })

  it('gives workers no output tail unless asked, and ignores a tail left by another run', async () => {
    runner()
    const init = latest().received[0]
    expect(init?.type === 'init' && init.outputTail).toBeFalsy()

    const r = runner({ outputTail: true })
    latest().send({ type: 'ready' })
    const seen: OutputChunk[] = []
    const result = r.run(request(), { onOutput: (chunk) => seen.push(chunk) })
    await settle()
    const tail = latest().outputTail()
    tail.begin(latest().lastRun().runId + 1)
    tail.append('stdout', 'not this run\n')
    r.stop()
    await result
    expect(seen).toEqual([])
  })

  it('interrupts in place when it can, and replaces a worker that does not stop in time', async () => {
    const r = runner({ stopMode: 'interrupt' })
    latest().send({ type: 'ready' })
    const signal = latest().interruptSignal()
    const result = r.run(request())
    await settle()
    r.stop()
    expect(signal[0]).toBe(2)
    // The worker answers: the program was interrupted.
    const { runId } = latest().lastRun()
    latest().send({ type: 'done', runId, result: { ...ok, status: 'stopped' }, restart: false })
    expect(await result).toMatchObject({ status: 'stopped' })
    expect(latest().terminated).toBe(false)

    const stuck = r.run(request())
    await settle()
    // The stop of the last run that came too late for it is taken back before this one is posted.
    expect(signal[0]).toBe(0)
    r.stop()
    await vi.advanceTimersByTimeAsync(999)
    expect(workers).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(await stuck).toMatchObject({ status: 'stopped' })
    expect(workers[0]?.terminated).toBe(true)
    expect(workers).toHaveLength(2)
    // The new worker has a buffer of its own, free of the SIGINT.
    expect(latest().interruptSignal()[0]).toBe(0)
  })

  it('keeps a stop pressed the moment a run is posted: the buffer is cleared before, not after', async () => {
    const r = runner({ stopMode: 'interrupt' })
    latest().send({ type: 'ready' })
    const signal = latest().interruptSignal()
    signal[0] = 2
    const result = r.run(request())
    await settle()
    expect(latest().lastRun().runId).toBe(1)
    expect(signal[0]).toBe(0)
    r.stop()
    // Nothing clears it from here on but the worker, once the interrupt has stopped the program.
    expect(signal[0]).toBe(2)
    latest().send({ type: 'done', runId: 1, result: { ...ok, status: 'stopped' }, restart: false })
    expect(await result).toMatchObject({ status: 'stopped' })
  })

  it('ends a run at its time limit, with the clock stopped while the program waits for input', async () => {
    const inputBuffer = createInputBuffer()
    const r = runner({ stopMode: 'interrupt', inputBuffer })
    latest().send({ type: 'ready' })
    const signal = latest().interruptSignal()
    const interrupted = () => signal[0] === 2
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

  it('says the time limit as the run console says durations', async () => {
    const r = runner()
    latest().send({ type: 'ready' })
    const result = r.run(request({ timeoutMs: 1500 }))
    await settle()
    await vi.advanceTimersByTimeAsync(1500)
    expect(await result).toMatchObject({ status: 'timeout', message: /time limit of 1\.5 s and was stopped/ })
  })

  it('gives the program end of input when the input handler fails, and counts it', async () => {
    const inputBuffer = createInputBuffer()
    const r = runner({ stopMode: 'interrupt', inputBuffer })
    latest().send({ type: 'ready' })
    const result = r.run(request(), { onInputRequest: () => Promise.reject(new Error('no console')) })
    await settle()
    const reader = new InputChannelReader(inputBuffer)
    reader.prepare()
    const { runId } = latest().lastRun()
    latest().send({ type: 'input-request', runId, prompt: '' })
    await settle()
    expect(reader.wait()).toEqual({ kind: 'eof' })
    expect(r.inputHandlerFailures).toBe(1)
    latest().send({ type: 'done', runId, result: ok, restart: false })
    expect(await result).toEqual(ok)
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
    expect(latest().terminated).toBe(true)
    const result = r.run(request())
    await settle()
    expect(workers).toHaveLength(2)
    latest().crash()
    expect(await result).toMatchObject({ status: 'error', message: /could not start/ })
  })

  it('ends a worker whose script fails while it loads, and hears nothing more from it', async () => {
    const r = runner()
    const first = latest()
    first.crash()
    expect(first.terminated).toBe(true)
    expect(r.status().state).toBe('failed')
    first.send({ type: 'ready' })
    expect(r.status().state).toBe('failed')
  })

  it('gives each run a fresh worker when asked to, the next one loaded once the current is ready and the page has drawn', async () => {
    const r = runner({ language: 'javascript', runtimeName: 'JavaScript', workerPerRun: true })
    expect(workers).toHaveLength(1)
    const first = latest()
    first.send({ type: 'ready' })
    await settle()
    expect(workers).toHaveLength(1)
    await nextFrame()
    expect(workers).toHaveLength(2)
    const next = latest()
    next.send({ type: 'ready' })
    const result = r.run(request({ language: 'javascript' }))
    await settle()
    first.send({ type: 'done', runId: first.lastRun().runId, result: ok, restart: false })
    await result
    expect(first.terminated).toBe(true)
    expect(r.status().state).toBe('ready')
    // The result is on the page before a worker is started: that costs the page a few milliseconds.
    await settle()
    expect(workers).toHaveLength(2)
    await nextFrame()
    expect(workers).toHaveLength(3)
    void r.run(request({ language: 'javascript' }))
    await settle()
    expect(next.lastRun().request.language).toBe('javascript')
  })

  it('stops a fresh-per-run Python in place, without touching the worker loaded for the next run', async () => {
    const r = runner({ stopMode: 'interrupt', workerPerRun: true })
    latest().send({ type: 'ready' })
    await nextFrame()
    const [current, next] = workers as [FakeWorker, FakeWorker]
    const result = r.run(request())
    await settle()
    r.stop()
    expect(current.interruptSignal()[0]).toBe(2)
    expect(next.interruptSignal()[0]).toBe(0)
    current.send({ type: 'done', runId: current.lastRun().runId, result: { ...ok, status: 'stopped' }, restart: false })
    expect(await result).toMatchObject({ status: 'stopped' })
    expect(current.terminated).toBe(true)
    next.send({ type: 'ready' })
    void r.run(request())
    await settle()
    expect(next.lastRun().runId).toBe(2)
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
