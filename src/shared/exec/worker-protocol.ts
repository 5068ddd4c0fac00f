import { z } from 'zod'
import { OutputStreamSchema, RunRequestSchema, RunResultSchema } from './run'

/**
 * Messages between a page's runner and its code-runner worker, both directions parsed with these
 * schemas. The worker posts output in batches, never one message per write.
 */

const RunIdSchema = z.number().int().nonnegative()

/** Only cross-origin isolated pages have SharedArrayBuffer at all, so test for it before use. */
const SharedBufferSchema = z.custom<SharedArrayBuffer>(
  (value) => typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer,
  'expected a SharedArrayBuffer',
)

export const OutputChunkSchema = z.object({ stream: OutputStreamSchema, text: z.string().min(1) })

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    /** Shared with the page when isolated: the page writes 2 (SIGINT) to stop the program in place. */
    interruptBuffer: SharedBufferSchema.optional(),
    /** Shared with the page when isolated: input() blocks on it until the page writes a line. */
    inputBuffer: SharedBufferSchema.optional(),
  }),
  z.object({
    type: z.literal('run'),
    runId: RunIdSchema,
    request: RunRequestSchema,
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
    result: RunResultSchema,
    /** The interpreter cannot be trusted any more (a fatal error): replace the worker. */
    restart: z.boolean(),
  }),
])
export type FromWorker = z.infer<typeof FromWorkerSchema>
