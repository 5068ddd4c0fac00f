import type {
  OutputStream,
  RunHandlers,
  RunRequest,
  RunResult,
  Runner,
  RunnerStatus,
  StopMode,
} from '../../../shared/exec/run'
import type { Language } from '../../../shared/problem'
import type { RunnerSource } from '../runner-source'

/** What a scripted run may do while it runs: print, ask for input, end. */
export interface ScriptedIo {
  print(text: string, stream?: OutputStream): void
  input(prompt: string): Promise<string | null>
  readonly request: RunRequest
}

/** Plays one run: returns its result, or leaves it to the test (`finish`) by returning nothing. */
export type RunScript = (io: ScriptedIo) => Promise<Partial<RunResult> | undefined> | Partial<RunResult> | undefined

export interface ScriptedRunnerOptions {
  interactiveInput?: boolean
  stopMode?: StopMode
  status?: RunnerStatus
  script?: RunScript
}

const READY: RunnerStatus = { state: 'ready', progress: 1, error: null }

interface Current {
  handlers: RunHandlers
  resolve(result: RunResult): void
}

/**
 * A Runner for component tests (happy-dom has no Worker): it replays scripted output, so the UI is
 * what is under test. Real runners are tested under Node and in Chromium.
 */
export class ScriptedRunner implements Runner {
  readonly stopMode: StopMode
  readonly interactiveInput: boolean
  readonly requests: RunRequest[] = []
  stops = 0
  script: RunScript | undefined
  private current: Current | null = null
  private currentStatus: RunnerStatus
  private readonly listeners = new Set<(status: RunnerStatus) => void>()

  constructor(
    readonly language: Language,
    options: ScriptedRunnerOptions = {},
  ) {
    this.interactiveInput = options.interactiveInput ?? true
    this.stopMode = options.stopMode ?? 'interrupt'
    this.currentStatus = options.status ?? READY
    this.script = options.script
  }

  status(): RunnerStatus {
    return this.currentStatus
  }

  onStatus(listener: (status: RunnerStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  setStatus(status: RunnerStatus): void {
    this.currentStatus = status
    for (const listener of this.listeners) listener(status)
  }

  async ready(): Promise<void> {
    if (this.currentStatus.state === 'failed') throw new Error(this.currentStatus.error ?? 'failed')
  }

  run(request: RunRequest, handlers: RunHandlers = {}): Promise<RunResult> {
    if (this.current) return Promise.reject(new Error('A run is already going'))
    if (this.currentStatus.state === 'failed') return Promise.reject(new Error(this.currentStatus.error ?? 'failed'))
    this.requests.push(request)
    const ended = new Promise<RunResult>((resolve) => {
      this.current = { handlers, resolve }
    })
    const io: ScriptedIo = {
      request,
      print: (text, stream = 'stdout') => this.print(text, stream),
      input: (prompt) => this.ask(prompt),
    }
    void Promise.resolve(this.script?.(io)).then((result) => {
      if (result) this.finish(result)
    })
    return ended
  }

  print(text: string, stream: OutputStream = 'stdout'): void {
    this.current?.handlers.onOutput?.({ stream, text })
  }

  /** As the real runners do: the prompt is printed, then asked for, and the line echoed. */
  async ask(prompt: string): Promise<string | null> {
    const ask = this.current?.handlers.onInputRequest
    if (!ask) throw new Error('This run cannot ask for input')
    if (prompt) this.print(prompt)
    const line = await ask(prompt)
    if (line !== null) this.print(`${line}\n`)
    return line
  }

  finish(result: Partial<RunResult> = {}): void {
    const current = this.current
    if (!current) throw new Error('Nothing is running')
    this.current = null
    current.resolve({ status: 'ok', durationMs: 12, tests: null, ...result })
  }

  stop(): void {
    if (!this.current) return
    this.stops++
    this.finish({ status: 'stopped', message: 'Stopped.' })
  }

  dispose(): void {
    this.listeners.clear()
  }
}

/** A RunnerSource over scripted runners, one per language, made on first use. */
export class ScriptedRunners implements RunnerSource {
  readonly runners = new Map<Language, ScriptedRunner>()
  readonly preloaded: Language[] = []

  constructor(private readonly options: ScriptedRunnerOptions = {}) {}

  get = (language: Language): ScriptedRunner => {
    let runner = this.runners.get(language)
    if (!runner) {
      runner = new ScriptedRunner(language, this.options)
      this.runners.set(language, runner)
    }
    return runner
  }

  preload = (language: Language): void => {
    this.preloaded.push(language)
    this.get(language)
  }
}
