import { FromWorkerSchema, type FromWorker, type ToWorker } from '../../shared/exec/worker-protocol'

export type RunnerWorkerState = 'loading' | 'ready' | 'failed'

export interface RunnerWorkerOptions {
  spawn(): Worker
  /** Buffers shared with the worker when the page is cross-origin isolated. */
  interruptBuffer?: SharedArrayBuffer
  inputBuffer?: SharedArrayBuffer
  /** Names the runtime in messages: "Python could not start: …". */
  runtimeName: string
  /** Loading progress or state changed. */
  onChange(): void
  /** A message about a run (output, input request, done). */
  onRunMessage(worker: RunnerWorker, message: Extract<FromWorker, { runId: number }>): void
  /** The worker died after it had loaded. */
  onCrash(worker: RunnerWorker, message: string): void
}

/** One code-runner worker: starts it, follows its loading, and parses everything it sends. */
export class RunnerWorker {
  state: RunnerWorkerState = 'loading'
  progress: number | null = null
  error: string | null = null
  /** Settles when the worker is ready or has failed to load; never rejects. */
  readonly loaded: Promise<void>
  private readonly worker: Worker
  private markLoaded: () => void = () => {}
  private terminated = false

  constructor(private readonly options: RunnerWorkerOptions) {
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve))
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
      ...(options.interruptBuffer ? { interruptBuffer: options.interruptBuffer } : {}),
      ...(options.inputBuffer ? { inputBuffer: options.inputBuffer } : {}),
    })
  }

  post(message: ToWorker): void {
    if (!this.terminated) this.worker.postMessage(message)
  }

  terminate(): void {
    this.terminated = true
    this.worker.terminate()
    this.fail('The worker was stopped.')
  }

  private receive(data: unknown): void {
    if (this.terminated) return
    const parsed = FromWorkerSchema.safeParse(data)
    if (!parsed.success) {
      console.error(`${this.options.runtimeName} runner: dropped a malformed message from its worker`, parsed.error)
      return
    }
    const message = parsed.data
    switch (message.type) {
      case 'progress':
        if (this.state === 'loading') {
          this.progress = message.progress
          this.options.onChange()
        }
        return
      case 'ready':
        this.state = 'ready'
        this.progress = null
        this.markLoaded()
        this.options.onChange()
        return
      case 'load-failed':
        this.fail(message.message)
        this.options.onChange()
        return
      default:
        this.options.onRunMessage(this, message)
    }
  }

  private died(reason: string): void {
    if (this.terminated) return
    if (this.state === 'loading') {
      this.fail(`${this.options.runtimeName} could not start: ${reason}. Reload the page to try again.`)
      this.options.onChange()
      return
    }
    this.terminated = true
    this.worker.terminate()
    this.fail(`${this.options.runtimeName} stopped working: ${reason}.`)
    this.options.onCrash(this, reason)
  }

  private fail(message: string): void {
    if (this.state === 'failed') return
    this.state = 'failed'
    this.progress = null
    this.error = message
    this.markLoaded()
  }
}
