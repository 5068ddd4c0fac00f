import { z } from 'zod'
import { JsonValueSchema } from '../json'
import { LanguageSchema, type Language } from '../problem'
import { TestResultSchema } from './test-result'

/** Output a run may print before it is ended with `output-limit` (1 MB). */
export const DEFAULT_OUTPUT_LIMIT_BYTES = 1_000_000

/** The largest program a runner accepts: far beyond any interview answer, small enough to store. */
export const MAX_CODE_CHARS = 200_000

export const RunStatusSchema = z.enum(['ok', 'error', 'timeout', 'stopped', 'output-limit'])
export type RunStatus = z.infer<typeof RunStatusSchema>

export const OutputStreamSchema = z.enum(['stdout', 'stderr'])
export type OutputStream = z.infer<typeof OutputStreamSchema>

export const RunTestCaseSchema = z.object({
  name: z.string(),
  args: z.array(JsonValueSchema),
  expected: JsonValueSchema,
})
export type RunTestCase = z.infer<typeof RunTestCaseSchema>

/**
 * One run. With `tests`, the code is loaded as a module and `entryFunction` is called once per
 * case; without, the code runs as a script reading `stdin`. The fields alone, for the worker
 * protocol to derive its own request from; RunRequestSchema adds the rule that joins them.
 */
export const RunRequestFieldsSchema = z.object({
  language: LanguageSchema,
  code: z.string().max(MAX_CODE_CHARS),
  /** Read by input() when the page cannot ask interactively (not cross-origin isolated). */
  stdin: z.string().max(1_000_000).optional(),
  tests: z.array(RunTestCaseSchema).max(500).optional(),
  entryFunction: z.string().optional(),
  timeoutMs: z.number().int().min(100).max(300_000),
  outputLimitBytes: z.number().int().min(1).max(50_000_000),
})

export const RunRequestSchema = RunRequestFieldsSchema.refine(
  (r) => r.tests === undefined || r.entryFunction !== undefined,
  { message: 'entryFunction is required with tests', path: ['entryFunction'] },
)
export type RunRequest = z.infer<typeof RunRequestSchema>

export const RunResultSchema = z.object({
  status: RunStatusSchema,
  /** From the program's start to its end, without the interpreter's loading time. */
  durationMs: z.number().nonnegative(),
  /** One per test case, in order; null for a plain run or when the tests never finished. */
  tests: z.array(TestResultSchema).nullable(),
  /** A short human sentence for timeout, stopped, output-limit or an internal failure. */
  message: z.string().optional(),
})
export type RunResult = z.infer<typeof RunResultSchema>

export interface OutputChunk {
  stream: OutputStream
  text: string
}

export interface RunHandlers {
  /** Called in order with every piece of output, already decoded; never with an empty string. */
  onOutput?(chunk: OutputChunk): void
  /**
   * Called when the program reads a line and the runner can ask interactively (cross-origin
   * isolated pages). Resolve with the line without its newline, or null for end of input.
   */
  onInputRequest?(prompt: string): Promise<string | null>
}

export type RunnerState = 'loading' | 'ready' | 'running' | 'failed'

export interface RunnerStatus {
  state: RunnerState
  /** Loading progress from 0 to 1, when known. */
  progress: number | null
  /** Why the runner failed to load, in words for the user. */
  error: string | null
}

/** How a running program is stopped: by interrupting it in place, or by replacing its worker. */
export type StopMode = 'interrupt' | 'respawn'

/** One language's runtime in a worker. The same interface on the candidate page and in the app. */
export interface Runner {
  readonly language: Language
  readonly stopMode: StopMode
  /** Whether input() can ask the user while the program runs (otherwise it reads `stdin`). */
  readonly interactiveInput: boolean
  status(): RunnerStatus
  onStatus(listener: (status: RunnerStatus) => void): () => void
  /** Resolves when loaded; rejects with the load error. Runs wait for it themselves. */
  ready(): Promise<void>
  /** One run at a time: a second call while one runs rejects. */
  run(request: RunRequest, handlers?: RunHandlers): Promise<RunResult>
  /** Ends the current run with status `stopped`; does nothing when idle. */
  stop(): void
  dispose(): void
}
