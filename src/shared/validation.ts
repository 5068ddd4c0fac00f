import type { z } from 'zod'

/** One problem with a value: where it is (`problems[3].tests[1].expected`) and what is wrong. */
export interface FieldIssue {
  path: string
  message: string
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out
}

// A missing field reads "required" rather than zod's "expected string, received undefined".
const errorMap: z.core.$ZodErrorMap = (issue) =>
  (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined
    ? 'required'
    : undefined

export function toFieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]) || '(value)',
    message: issue.message,
  }))
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] }

/** Parses an untrusted value; issues name the field and say what is wrong. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): Parsed<z.output<S>> {
  const result = schema.safeParse(value, { error: errorMap })
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toFieldIssues(result.error, prefix) }
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n')
}
