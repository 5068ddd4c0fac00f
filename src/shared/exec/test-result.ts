import { z } from 'zod'
import { JsonValueSchema } from '../json'

export const TestStatusSchema = z.enum(['pass', 'fail', 'error'])
export type TestStatus = z.infer<typeof TestStatusSchema>

/** The outcome of one function-style test case, the same shape for Python and JavaScript. */
export const TestResultSchema = z.object({
  name: z.string(),
  status: TestStatusSchema,
  expected: JsonValueSchema,
  /** The returned value after a JSON round trip; absent when the call threw or returned non-JSON. */
  actual: JsonValueSchema.optional(),
  /** Why the test is an error: the exception with the user's own stack frames. */
  error: z.string().optional(),
  /** What this call printed, kept apart from the other tests. */
  stdout: z.string(),
  durationMs: z.number().nonnegative(),
})
export type TestResult = z.infer<typeof TestResultSchema>
