import { z } from 'zod'
import type { StoredEvent } from '../session'

/** A `problem` event: the interviewer moved the session from one problem to another. */
export const ProblemChangeDataSchema = z.object({
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative(),
})

/** A `paste` event: the candidate pasted this many characters (only large pastes are recorded). */
export const PasteDataSchema = z.object({ chars: z.number().int().nonnegative() })

/** An event's JSON data parsed with `schema`, or null when it is missing, not JSON or not that shape. */
export function eventJson<S extends z.ZodType>(event: StoredEvent, schema: S): z.output<S> | null {
  if (event.data === '') return null
  let data: unknown
  try {
    data = JSON.parse(event.data)
  } catch {
    return null
  }
  const parsed = schema.safeParse(data)
  return parsed.success ? parsed.data : null
}
