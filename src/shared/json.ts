import { z } from 'zod'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/**
 * How deeply arrays and objects may nest in a JSON value (a test's arguments, expected value or
 * result). Recursive code (zod, a deep comparison, JSON.stringify) overflows the stack somewhere in
 * the thousands of levels; no test needs a hundred.
 */
export const MAX_JSON_DEPTH = 100

/** A message (a link frame, a worker message) nests a JSON value in at most this many more levels. */
export const MAX_MESSAGE_DEPTH = MAX_JSON_DEPTH + 16

/**
 * Whether arrays and objects nest in `value` at most `maxDepth` levels deep (a scalar is 0 levels,
 * `[1]` one), checked without recursion so that no depth can overflow the stack. A cycle nests
 * without end. With `tree`, an array or object met twice fails too: JSON text never has one, while
 * structured clone keeps shared parts, and walking every path through them could take exponential
 * time.
 */
export function nestsWithin(value: unknown, maxDepth: number, { tree = false } = {}): boolean {
  // The deepest level each container was met at: met again no deeper, its contents are known to fit.
  const deepest = new Map<object, number>()
  const pending: { node: object; depth: number }[] = []
  const visit = (item: unknown, depth: number): boolean => {
    if (!isContainer(item)) return true
    if (depth >= maxDepth) return false
    const seenAt = deepest.get(item)
    if (seenAt !== undefined) {
      if (tree) return false
      if (seenAt >= depth) return true
    }
    deepest.set(item, depth)
    pending.push({ node: item, depth: depth + 1 })
    return true
  }
  if (!visit(value, 0)) return false
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const child of Object.values(next.node)) if (!visit(child, next.depth)) return false
  }
  return true
}

/** Arrays and plain objects, of this realm or another (structured clone); anything else is a leaf. */
function isContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return true
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === null || Object.getPrototypeOf(prototype) === null
}

const JsonTreeSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
    z.null(),
    z.array(JsonTreeSchema),
    z.record(z.string(), JsonTreeSchema),
  ]),
)

/**
 * Any value that survives a JSON round trip unchanged: test arguments and expected results. The
 * depth is checked first, so a value nested too deeply is refused before the recursive schema
 * walks it.
 */
export const JsonValueSchema: z.ZodType<JsonValue> = z
  .unknown()
  .refine((value) => nestsWithin(value, MAX_JSON_DEPTH), `must nest at most ${MAX_JSON_DEPTH} levels deep`)
  .pipe(JsonTreeSchema)

/**
 * Parses a message from outside this realm (a peer frame, a worker message) with `schema`; null
 * when it nests deeper than any valid message can (or is not a tree), does not match, or makes the
 * parser throw. Never throws itself.
 */
export function parseMessage<T>(schema: z.ZodType<T>, value: unknown): T | null {
  if (!nestsWithin(value, MAX_MESSAGE_DEPTH, { tree: true })) return null
  try {
    const parsed = schema.safeParse(value)
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
