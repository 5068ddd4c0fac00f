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

/**
 * What a code-runner worker reports of one test case: the returned value or the error, and never a
 * verdict. The worker does not even get the expected value: the page compares (see judge.ts), so
 * code in the worker can neither read the hidden answers nor claim a pass.
 */
export const TestOutcomeSchema = z.union([
  z.object({ actual: JsonValueSchema, stdout: z.string(), durationMs: z.number().nonnegative() }),
  z.object({ error: z.string(), stdout: z.string(), durationMs: z.number().nonnegative() }),
])
export type TestOutcome = z.infer<typeof TestOutcomeSchema>
