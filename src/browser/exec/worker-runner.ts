import { formatDuration } from '../../shared/exec/duration'
import { InputChannelWriter } from '../../shared/exec/input-channel'
import { judgeRun } from '../../shared/exec/judge'
import {
  RunRequestSchema,
  type RunHandlers,
  type RunRequest,
  type RunResult,
  type Runner,
  type RunnerStatus,
  type StopMode,
} from '../../shared/exec/run'
import { toWorkerRequest, type FromWorker } from '../../shared/exec/worker-protocol'
import type { Language } from '../../shared/problem'
import { afterNextPaint } from './after-next-paint'
import { RunnerWorker } from './runner-worker'

export interface WorkerRunnerConfig {
  language: Language
  /** "Python", "JavaScript": for messages. */
  runtimeName: string
  spawn(): Worker
  /** 'interrupt' needs a cross-origin isolated page: each worker gets an interrupt buffer of its own. */
  stopMode: StopMode
  /** Shared with the worker on a cross-origin isolated page, for input() (see worker-protocol). */
  inputBuffer?: SharedArrayBuffer
  /**
   * Each worker shares the output it holds back (cross-origin isolated pages only), so a program
   * stopped or timed out while its worker was busy has shown everything it printed.
   */
  outputTail: boolean
  /**
   * Every run in a new worker, with the next one loaded ahead once the current one is ready:
   * nothing a program leaves behind reaches the next (JavaScript everywhere; Python in the app,
   * where one candidate's code must not touch the next session's runs).
   */
  workerPerRun: boolean
  /** How long an interrupted program may take to stop before its worker is replaced. */
  stopGraceMs: number
}

type HaltReason = 'stopped' | 'timeout'

interface ActiveRun {
  id: number
  request: RunRequest
  handlers: RunHandlers
  resolve(result: RunResult): void
  /** Null while the runtime is still loading. */
  worker: RunnerWorker | null
  startedAt: number
  /** Output messages of this run that arrived. */
  batchesReceived: number
  reason: HaltReason | null
  timeoutTimer: ReturnType<typeof setTimeout> | null
  /** Time limit left; the clock stops while the program waits for the user's input. */
  remainingMs: number
  armedAt: number
  graceTimer: ReturnType<typeof setTimeout> | null
}

/** The Runner of src/shared/exec/run.ts on top of module workers. */
export class WorkerRunner implements Runner {
  readonly language: Language
  readonly stopMode: StopMode
  readonly interactiveInput: boolean
  private current: RunnerWorker
  /** The worker for the next run, when each run gets its own. */
  private next: RunnerWorker | null = null
  private active: ActiveRun | null = null
  private nextRunId = 1
  private readonly listeners = new Set<(status: RunnerStatus) => void>()
  private lastStatus: RunnerStatus | null = null
  private readonly input: InputChannelWriter | null
  private disposed = false
  private dropped = 0
  private failedInputHandlers = 0

  constructor(private readonly config: WorkerRunnerConfig) {
    this.language = config.language
    this.stopMode = config.stopMode
    this.interactiveInput = config.inputBuffer !== undefined
    this.input = config.inputBuffer ? new InputChannelWriter(config.inputBuffer) : null
    this.current = this.spawn()
    this.preloadNext()
  }

  /** Messages from workers that did not parse (malformed, or nested too deeply) and were dropped. */
  get droppedMessages(): number {
    return this.dropped
  }

  /** Input handlers that threw; the program got end of input instead. */
  get inputHandlerFailures(): number {
    return this.failedInputHandlers
  }

  status(): RunnerStatus {
    if (this.active?.worker) return { state: 'running', progress: null, error: null }
    const { state, progress, error } = this.current
    return { state, progress: state === 'loading' ? progress : null, error }
  }

  onStatus(listener: (status: RunnerStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async ready(): Promise<void> {
    const worker = this.current
    await worker.loaded
    if (worker.state === 'failed') throw new Error(worker.error ?? `${this.config.runtimeName} could not start.`)
  }

  run(request: RunRequest, handlers: RunHandlers = {}): Promise<RunResult> {
    if (this.disposed) return Promise.reject(new Error('This runner has been disposed.'))
    const parsed = RunRequestSchema.safeParse(request)
    if (!parsed.success) return Promise.reject(new Error(`Invalid run request: ${parsed.error.message}`))
    if (parsed.data.language !== this.language) {
      return Promise.reject(new Error(`This runner runs ${this.language}, not ${parsed.data.language}.`))
    }
    if (this.active) return Promise.reject(new Error('A run is already in progress: stop it before starting another.'))
    return new Promise((resolve) => {
      const active: ActiveRun = {
        id: this.nextRunId++,
        request: parsed.data,
        handlers,
        resolve,
        worker: null,
        startedAt: 0,
        batchesReceived: 0,
        reason: null,
        timeoutTimer: null,
        remainingMs: parsed.data.timeoutMs,
        armedAt: 0,
        graceTimer: null,
      }
      this.active = active
      void this.start(active)
    })
  }

  stop(): void {
    if (this.active) this.halt(this.active, 'stopped')
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    const active = this.active
    if (active) {
      active.reason ??= 'stopped'
      this.settle(active, {
        status: 'stopped',
        durationMs: active.worker ? performance.now() - active.startedAt : 0,
        tests: null,
        message: this.haltMessage(active),
      })
    }
    this.current.terminate()
    this.next?.terminate()
    this.next = null
    this.listeners.clear()
  }

  private async start(active: ActiveRun): Promise<void> {
    if (this.current.state === 'failed') this.replaceCurrent()
    const worker = this.current
    await worker.loaded
    if (this.active !== active) return
    if (worker.state === 'failed') {
      this.settle(active, { status: 'error', durationMs: 0, tests: null, message: worker.error ?? undefined })
      return
    }
    active.worker = worker
    active.startedAt = performance.now()
    // Here rather than in the worker when the run starts: a Stop pressed from now on must count.
    worker.clearInterrupt()
    worker.post({
      type: 'run',
      runId: active.id,
      request: toWorkerRequest(active.request),
      interactiveInput: this.interactiveInput && active.handlers.onInputRequest !== undefined,
    })
    this.armTimeout(active)
    this.emitStatus()
  }

  private onRunMessage(worker: RunnerWorker, message: Extract<FromWorker, { runId: number }>): void {
    const active = this.active
    if (!active || active.worker !== worker || message.runId !== active.id) return
    switch (message.type) {
      case 'output':
        active.batchesReceived++
        for (const chunk of message.chunks) active.handlers.onOutput?.(chunk)
        return
      case 'input-request':
        void this.answerInput(active, message.prompt)
        return
      case 'done': {
        const result = judgeRun(active.request.tests, message.result)
        const halted = active.reason !== null && result.status !== 'output-limit'
        this.settle(
          active,
          halted && active.reason ? { ...result, status: active.reason, message: this.haltMessage(active) } : result,
        )
        // A fresh worker for each JavaScript run; a Python interpreter that failed is replaced, and
        // a JavaScript program that passed the output limit may still be running.
        if (this.config.workerPerRun || message.restart) this.retire(worker)
        return
      }
    }
  }

  private async answerInput(active: ActiveRun, prompt: string): Promise<void> {
    this.pauseTimeout(active)
    let line: string | null = null
    try {
      line = (await active.handlers.onInputRequest?.(prompt)) ?? null
    } catch {
      this.failedInputHandlers++
    }
    if (this.active !== active || active.reason !== null) return
    this.input?.answer(line)
    this.armTimeout(active)
  }

  private halt(active: ActiveRun, reason: HaltReason): void {
    if (active.reason !== null) return
    active.reason = reason
    const worker = active.worker
    if (worker === null) {
      this.settle(active, { status: reason, durationMs: 0, tests: null, message: this.haltMessage(active) })
      return
    }
    this.clearTimeout(active)
    if (this.stopMode === 'interrupt' && worker.interruptible) {
      worker.interrupt()
      this.input?.cancel()
      // Code that catches KeyboardInterrupt or sits in one long native call gets replaced instead.
      active.graceTimer = setTimeout(() => this.kill(active, worker), this.config.stopGraceMs)
    } else this.kill(active, worker)
  }

  private kill(active: ActiveRun, worker: RunnerWorker): void {
    if (this.active !== active) return
    for (const chunk of worker.unpostedOutput(active.id, active.batchesReceived)) active.handlers.onOutput?.(chunk)
    this.settle(active, {
      status: active.reason ?? 'stopped',
      durationMs: performance.now() - active.startedAt,
      tests: null,
      message: this.haltMessage(active),
    })
    this.retire(worker)
  }

  /** A message that did not parse may have been the run's `done`: end the run rather than wait for its time limit. */
  private onInvalidMessage(worker: RunnerWorker): void {
    this.dropped++
    const active = this.active
    if (!active || active.worker !== worker) return
    this.settle(active, {
      status: 'error',
      durationMs: performance.now() - active.startedAt,
      tests: null,
      message: `${this.config.runtimeName} sent a message the page could not read, so the run was ended.`,
    })
    this.retire(worker)
  }

  private onCrash(worker: RunnerWorker, reason: string): void {
    const active = this.active
    if (active && active.worker === worker) {
      this.settle(active, {
        status: 'error',
        durationMs: performance.now() - active.startedAt,
        tests: null,
        message: `${this.config.runtimeName} stopped working (${reason}) and is restarting.`,
      })
    }
    this.retire(worker)
  }

  /** Ends the current run with `result`. */
  private settle(active: ActiveRun, result: RunResult): void {
    if (this.active !== active) return
    this.clearTimeout(active)
    if (active.graceTimer !== null) clearTimeout(active.graceTimer)
    this.active = null
    active.resolve(result)
    this.emitStatus()
  }

  /** Replaces a worker that must not run again. */
  private retire(worker: RunnerWorker): void {
    if (this.disposed) return
    worker.terminate()
    if (this.current === worker) this.replaceCurrent()
    this.emitStatus()
  }

  private replaceCurrent(): void {
    this.current = this.next ?? this.spawn()
    this.next = null
    this.preloadNext()
  }

  /**
   * With a worker per run, loads the next one once the current one is ready (loading both at once
   * would slow the first: Python takes seconds of both cores to start), and once the page has
   * drawn: a run's result shows first, not after the milliseconds a new worker costs the page.
   */
  private preloadNext(): void {
    if (!this.config.workerPerRun) return
    const current = this.current
    void current.loaded.then(() =>
      afterNextPaint(() => {
        if (!this.disposed && this.current === current && this.next === null) this.next = this.spawn()
      }),
    )
  }

  private spawn(): RunnerWorker {
    return new RunnerWorker({
      spawn: this.config.spawn,
      interruptible: this.stopMode === 'interrupt',
      inputBuffer: this.config.inputBuffer,
      outputTail: this.config.outputTail,
      runtimeName: this.config.runtimeName,
      onChange: () => this.emitStatus(),
      onRunMessage: (worker, message) => this.onRunMessage(worker, message),
      onInvalidMessage: (worker) => this.onInvalidMessage(worker),
      onCrash: (worker, reason) => this.onCrash(worker, reason),
    })
  }

  private armTimeout(active: ActiveRun): void {
    active.armedAt = performance.now()
    active.timeoutTimer = setTimeout(() => this.halt(active, 'timeout'), active.remainingMs)
  }

  private pauseTimeout(active: ActiveRun): void {
    if (active.timeoutTimer === null) return
    this.clearTimeout(active)
    active.remainingMs = Math.max(0, active.remainingMs - (performance.now() - active.armedAt))
  }

  private clearTimeout(active: ActiveRun): void {
    if (active.timeoutTimer !== null) clearTimeout(active.timeoutTimer)
    active.timeoutTimer = null
  }

  private haltMessage(active: ActiveRun): string {
    if (active.reason === 'timeout') {
      return `The program ran longer than the time limit of ${formatDuration(active.request.timeoutMs)} and was stopped.`
    }
    return 'The run was stopped.'
  }

  private emitStatus(): void {
    if (this.disposed) return
    const status = this.status()
    const last = this.lastStatus
    if (last && last.state === status.state && last.progress === status.progress && last.error === status.error) return
    this.lastStatus = status
    for (const listener of this.listeners) listener(status)
  }
}
