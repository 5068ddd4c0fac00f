import { parseMessage } from '../../shared/json'
import { createOutputTailBuffer, readOutputTail } from '../../shared/exec/output-tail'
import type { OutputChunk } from '../../shared/exec/run'
import { FromWorkerSchema, SIGINT, type FromWorker, type ToWorker } from '../../shared/exec/worker-protocol'

export type RunnerWorkerState = 'loading' | 'ready' | 'failed'

export interface RunnerWorkerOptions {
  spawn(): Worker
  /**
   * Give the worker an interrupt buffer of its own (cross-origin isolated pages only): a stop
   * then reaches this worker and no other, such as the next one loading meanwhile.
   */
  interruptible: boolean
  /** Shared with the worker when the page is cross-origin isolated. */
  inputBuffer?: SharedArrayBuffer
  /** Share an output tail with the worker (cross-origin isolated pages only; see output-tail). */
  outputTail: boolean
  /** Names the runtime in messages: "Python could not start: …". */
  runtimeName: string
  /** Loading progress or state changed. */
  onChange(): void
  /** A message about a run (output, input request, done). */
  onRunMessage(worker: RunnerWorker, message: Extract<FromWorker, { runId: number }>): void
  /** The worker sent something that does not parse; it has been counted and dropped. */
  onInvalidMessage(worker: RunnerWorker): void
  /** The worker died after it had loaded. */
  onCrash(worker: RunnerWorker, message: string): void
}

/** One code-runner worker: starts it, follows its loading, and parses everything it sends. */
export class RunnerWorker {
  state: RunnerWorkerState = 'loading'
  progress: number | null = null
  error: string | null = null
  /** Messages from the worker that did not parse (too deep, malformed), dropped. */
  droppedMessages = 0
  /** Settles when the worker is ready or has failed to load; never rejects. */
  readonly loaded: Promise<void>
  private readonly worker: Worker
  private readonly interruptSignal: Int32Array | null
  private readonly outputTail: SharedArrayBuffer | null
  private markLoaded: () => void = () => {}
  private terminated = false

  constructor(private readonly options: RunnerWorkerOptions) {
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve))
    const interruptBuffer = options.interruptible ? new SharedArrayBuffer(4) : undefined
    this.interruptSignal = interruptBuffer ? new Int32Array(interruptBuffer) : null
    this.outputTail = options.outputTail ? createOutputTailBuffer() : null
    this.worker = options.spawn()
    this.worker.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data))
    this.worker.addEventListener('error', (event) => {
      event.preventDefault()
      this.died(
        event instanceof ErrorEvent && event.message ? event.message : 'its script could not be loaded or crashed',
      )
    })
    this.post({
      type: 'init',
      ...(interruptBuffer ? { interruptBuffer } : {}),
      ...(options.inputBuffer ? { inputBuffer: options.inputBuffer } : {}),
      ...(this.outputTail ? { outputTail: this.outputTail } : {}),
    })
  }

  /** Whether a stop can interrupt this worker's program in place. */
  get interruptible(): boolean {
    return this.interruptSignal !== null
  }

  post(message: ToWorker): void {
    if (!this.terminated) this.worker.postMessage(message)
  }

  /** Asks the running program to stop (a KeyboardInterrupt in Python). */
  interrupt(): void {
    if (this.interruptSignal) Atomics.store(this.interruptSignal, 0, SIGINT)
  }

  /** Takes back a stop that came too late for the last run, before the next one is posted. */
  clearInterrupt(): void {
    if (this.interruptSignal) Atomics.store(this.interruptSignal, 0, 0)
  }

  /**
   * What run `runId` printed but the worker never posted, `batchesReceived` of its batches having
   * arrived: read before the worker is replaced in the middle of a run.
   */
  unpostedOutput(runId: number, batchesReceived: number): OutputChunk[] {
    return this.outputTail ? readOutputTail(this.outputTail, runId, batchesReceived) : []
  }

  terminate(): void {
    this.stop()
    this.fail('The worker was stopped.')
  }

  private receive(data: unknown): void {
    // A worker that has failed or been replaced has nothing more to say: a late `ready` from one
    // that failed to load must not bring it back.
    if (this.terminated) return
    const message = parseMessage(FromWorkerSchema, data)
    if (message === null) {
      this.droppedMessages++
      this.options.onInvalidMessage(this)
      return
    }
    switch (message.type) {
      case 'progress':
        if (this.state === 'loading') {
          this.progress = message.progress
          this.options.onChange()
        }
        return
      case 'ready':
        if (this.state !== 'loading') return
        this.state = 'ready'
        this.progress = null
        this.markLoaded()
        this.options.onChange()
        return
      case 'load-failed':
        this.failToLoad(message.message)
        return
      default:
        this.options.onRunMessage(this, message)
    }
  }

  private died(reason: string): void {
    if (this.terminated) return
    if (this.state === 'loading') {
      this.failToLoad(`${this.options.runtimeName} could not start: ${reason}. Reload the page to try again.`)
      return
    }
    this.stop()
    this.fail(`${this.options.runtimeName} stopped working: ${reason}.`)
    this.options.onCrash(this, reason)
  }

  /** A worker that could not load is of no more use: it is ended, and says nothing more. */
  private failToLoad(message: string): void {
    this.stop()
    this.fail(message)
    this.options.onChange()
  }

  private stop(): void {
    this.terminated = true
    this.worker.terminate()
  }

  private fail(message: string): void {
    if (this.state === 'failed') return
    this.state = 'failed'
    this.progress = null
    this.error = message
    this.markLoaded()
  }
}
