import { z } from 'zod'
import { JsonValueSchema } from '../json'
import { OutputStreamSchema, RunRequestFieldsSchema, RunResultSchema, type RunRequest } from './run'
import { TestOutcomeSchema } from './test-result'

/**
 * Messages between a page's runner and its code-runner worker, both directions parsed with these
 * schemas. The worker posts output in batches, never one message per write.
 *
 * The worker runs the user's code and is trusted with nothing: it gets each test's arguments but
 * not its expected value, and reports what each call returned; the page judges (judge.ts).
 */

/** What the page writes into a worker's interrupt buffer to stop its program in place. */
export const SIGINT = 2

const RunIdSchema = z.number().int().nonnegative()

/** Only cross-origin isolated pages have SharedArrayBuffer at all, so test for it before use. */
const SharedBufferSchema = z.custom<SharedArrayBuffer>(
  (value) => typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer,
  'expected a SharedArrayBuffer',
)

export const OutputChunkSchema = z.object({ stream: OutputStreamSchema, text: z.string().min(1) })

/** A run as the worker gets it: no time limit (the page keeps it) and no expected values. */
export const WorkerRunRequestSchema = RunRequestFieldsSchema.omit({ tests: true, timeoutMs: true }).extend({
  tests: z
    .array(z.object({ args: z.array(JsonValueSchema) }))
    .max(500)
    .optional(),
})
export type WorkerRunRequest = z.infer<typeof WorkerRunRequestSchema>

/** A run's end as the worker reports it: per test what the call returned or raised, no verdict. */
export const WorkerRunResultSchema = RunResultSchema.extend({ tests: z.array(TestOutcomeSchema).max(500).nullable() })
export type WorkerRunResult = z.infer<typeof WorkerRunResultSchema>

export function toWorkerRequest({
  language,
  code,
  stdin,
  tests,
  entryFunction,
  outputLimitBytes,
}: RunRequest): WorkerRunRequest {
  return {
    language,
    code,
    outputLimitBytes,
    ...(stdin === undefined ? {} : { stdin }),
    ...(entryFunction === undefined ? {} : { entryFunction }),
    ...(tests === undefined ? {} : { tests: tests.map(({ args }) => ({ args })) }),
  }
}

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    /** Shared with the page when isolated: the page writes SIGINT to stop the program in place. */
    interruptBuffer: SharedBufferSchema.optional(),
    /** Shared with the page when isolated: input() blocks on it until the page writes a line. */
    inputBuffer: SharedBufferSchema.optional(),
    /** Shared with the page when isolated: the output held back, for a worker replaced mid-run (output-tail). */
    outputTail: SharedBufferSchema.optional(),
  }),
  z.object({
    type: z.literal('run'),
    runId: RunIdSchema,
    request: WorkerRunRequestSchema,
    /** Ask the page for each line (through inputBuffer) instead of reading request.stdin. */
    interactiveInput: z.boolean(),
  }),
])
export type ToWorker = z.infer<typeof ToWorkerSchema>

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: z.number().min(0).max(1) }),
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('load-failed'), message: z.string() }),
  z.object({ type: z.literal('output'), runId: RunIdSchema, chunks: z.array(OutputChunkSchema).min(1) }),
  /** The worker now waits on inputBuffer; `prompt` is the unfinished line it printed last. */
  z.object({ type: z.literal('input-request'), runId: RunIdSchema, prompt: z.string() }),
  z.object({
    type: z.literal('done'),
    runId: RunIdSchema,
    result: WorkerRunResultSchema,
    /** The interpreter cannot be trusted any more (a fatal error): replace the worker. */
    restart: z.boolean(),
  }),
])
export type FromWorker = z.infer<typeof FromWorkerSchema>

/** The `done` a worker posts when something of its own failed rather than the program. */
export function internalFailure(runId: number, message: string): Extract<FromWorker, { type: 'done' }> {
  return { type: 'done', runId, result: { status: 'error', durationMs: 0, tests: null, message }, restart: true }
}
