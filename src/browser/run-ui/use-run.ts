import { computed, onScopeDispose, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import type { OutputChunk, RunRequest, RunResult, Runner, RunnerStatus } from '../../shared/exec/run'
import { newRunId, type RunKind } from '../../shared/run-record'
import { EMPTY_OUTPUT, OutputLog, type OutputView } from './output-log'

export type RunPhase = 'idle' | 'running' | 'done'

export interface StartedRun {
  runId: string
  kind: RunKind
  request: RunRequest
}

export interface FinishedRun extends StartedRun {
  result: RunResult
  /** Everything the run printed (with the lines typed into input(), as the runner echoes them), neighbouring writes joined. */
  output: OutputChunk[]
}

/** Hooks that see a run as it happens: to stream it to the interviewer, or to record it. */
export interface RunHooks {
  onStarted?(run: StartedRun): void
  onOutput?(runId: string, chunk: OutputChunk): void
  onEnded?(run: FinishedRun): void
}

export interface UseRun {
  runnerStatus: Readonly<ShallowRef<RunnerStatus>>
  phase: Readonly<Ref<RunPhase>>
  running: ComputedRef<boolean>
  kind: Readonly<Ref<RunKind | null>>
  /** The last run's result; null while running or before the first. */
  result: Readonly<ShallowRef<RunResult | null>>
  output: Readonly<ShallowRef<OutputView>>
  /** The prompt of an input() waiting for a line typed into the console; null otherwise. */
  inputPrompt: Readonly<Ref<string | null>>
  /** Runs once; resolves when the run has ended (null when one was already running). */
  start(kind: RunKind, request: RunRequest): Promise<FinishedRun | null>
  stop(): void
  /** Empties the console; a finished run's status goes too. */
  clear(): void
  /** Answers the waiting input(): a line, or null for end of input. */
  answerInput(line: string | null): void
}

/** The status shown while there is no runner to ask: nothing to load, nothing to show. */
const NO_RUNNER: RunnerStatus = { state: 'ready', progress: null, error: null }

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Runs the output's re-render at most once a frame, however many writes arrive in between. */
function frameScheduler(callback: () => void): { request(): void; cancel(): void } {
  let pending: number | null = null
  const useFrames = typeof requestAnimationFrame === 'function'
  const fire = (): void => {
    pending = null
    callback()
  }
  return {
    request() {
      if (pending !== null) return
      pending = useFrames ? requestAnimationFrame(fire) : window.setTimeout(fire, 16)
    },
    cancel() {
      if (pending === null) return
      if (useFrames) cancelAnimationFrame(pending)
      else window.clearTimeout(pending)
      pending = null
    },
  }
}

/**
 * Drives runs on a runner for a view: output (batched per frame, so a flood of writes never
 * blocks the page), status, duration, test results, interactive input, stop. The same logic on
 * the candidate's page and in the app. Call it in a component's setup: leaving the component
 * stops a run still going.
 */
export function useRun(runner: () => Runner | null, hooks: RunHooks = {}): UseRun {
  const runnerStatus = shallowRef<RunnerStatus>(NO_RUNNER)
  const phase = ref<RunPhase>('idle')
  const kind = ref<RunKind | null>(null)
  const result = shallowRef<RunResult | null>(null)
  const output = shallowRef<OutputView>(EMPTY_OUTPUT)
  const inputPrompt = ref<string | null>(null)
  let log = new OutputLog()
  let active: Runner | null = null
  let answer: ((line: string | null) => void) | null = null
  const render = frameScheduler(() => {
    output.value = log.view()
  })

  watch(
    runner,
    (current, _previous, onCleanup) => {
      runnerStatus.value = current?.status() ?? NO_RUNNER
      if (current) onCleanup(current.onStatus((status) => (runnerStatus.value = status)))
    },
    { immediate: true },
  )

  function write(runId: string, chunk: OutputChunk): void {
    log.append(chunk)
    render.request()
    hooks.onOutput?.(runId, chunk)
  }

  // The runner has printed the prompt already, and echoes the line it gets into the output.
  function ask(prompt: string): Promise<string | null> {
    answer?.(null)
    inputPrompt.value = prompt
    return new Promise((resolve) => {
      answer = (line) => {
        answer = null
        inputPrompt.value = null
        resolve(line)
      }
    })
  }

  async function start(runKind: RunKind, request: RunRequest): Promise<FinishedRun | null> {
    if (phase.value === 'running') return null
    const current = runner()
    const started: StartedRun = { runId: newRunId(), kind: runKind, request }
    active = current
    log = new OutputLog()
    render.cancel()
    output.value = EMPTY_OUTPUT
    result.value = null
    kind.value = runKind
    phase.value = 'running'
    hooks.onStarted?.(started)
    let ended: RunResult
    try {
      if (!current) throw new Error(`there is no ${request.language} runtime here`)
      ended = await current.run(request, {
        onOutput: (chunk) => write(started.runId, chunk),
        onInputRequest: current.interactiveInput ? ask : undefined,
      })
    } catch (error) {
      ended = { status: 'error', durationMs: 0, tests: null, message: `The run could not start: ${describe(error)}` }
    }
    active = null
    answer?.(null)
    render.cancel()
    output.value = log.view()
    result.value = ended
    phase.value = 'done'
    const finished: FinishedRun = { ...started, result: ended, output: log.chunks() }
    hooks.onEnded?.(finished)
    return finished
  }

  function stop(): void {
    active?.stop()
  }

  function clear(): void {
    log.clearDisplay()
    render.cancel()
    output.value = EMPTY_OUTPUT
    if (phase.value === 'done') {
      phase.value = 'idle'
      result.value = null
      kind.value = null
    }
  }

  onScopeDispose(() => {
    render.cancel()
    active?.stop()
    answer?.(null)
  })

  return {
    runnerStatus,
    phase,
    running: computed(() => phase.value === 'running'),
    kind,
    result,
    output,
    inputPrompt,
    start,
    stop,
    clear,
    answerInput: (line) => answer?.(line),
  }
}
