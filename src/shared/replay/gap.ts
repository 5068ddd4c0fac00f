import { z } from 'zod'
import type { Recording, SessionStatus } from '../session'
import { eventJson } from './event-data'

/** Why nothing was recorded for a while: the interviewer's app stopped without closing the session (a crash, a kill). */
export const GapReasonSchema = z.enum(['host-restart'])

/** A `gap` event: nothing was recorded from `fromMs` until `toMs` (session time). */
export const GapDataSchema = z.object({
  fromMs: z.number().int().nonnegative(),
  toMs: z.number().int().nonnegative(),
  reason: GapReasonSchema,
})
export type GapData = z.infer<typeof GapDataSchema>

/** The `mode` event's data when the live view closes on purpose: reopening after it is no gap. */
export const VIEW_CLOSED_DATA = { mode: 'closed', reason: 'view-closed' } as const
const ViewClosedSchema = z.object({
  mode: z.literal(VIEW_CLOSED_DATA.mode),
  reason: z.literal(VIEW_CLOSED_DATA.reason),
})

/**
 * The gap a live view finds when it opens a session: live, recorded, and not closed by the view
 * the last time, so the app stopped mid-session and up to one unsent batch was lost with it. Run
 * events are left out of "the last time": the host stores those itself, also after the view closed.
 */
export function unclosedGap(status: SessionStatus, recording: Recording, nowMs: number): GapData | null {
  if (status !== 'live') return null
  const last = recording.events.findLast((event) => event.kind !== 'run')
  if (last === undefined) return null
  if (last.kind === 'mode' && eventJson(last, ViewClosedSchema) !== null) return null
  const fromMs = recording.events.reduce((latest, event) => Math.max(latest, event.tMs), 0)
  return { fromMs, toMs: Math.max(fromMs, nowMs), reason: 'host-restart' }
}
