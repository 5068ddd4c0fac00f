import type { HostApi } from '../../../shared/host-api'
import { HostError } from '../../../shared/host-errors'
import { ReplayTimeline } from '../../../shared/replay/timeline'
import type { Session } from '../../../shared/session'
import { errorMessage } from '../lib/errors'

export type LoadedReplay =
  | { status: 'ready'; session: Session; timeline: ReplayTimeline }
  | { status: 'not-found'; error: string }
  | { status: 'failed'; error: string }

/** A session's replay from the host: its problems, recording, notes and runs, all at once. */
export async function loadReplay(host: HostApi, sessionId: string): Promise<LoadedReplay> {
  try {
    const [session, recording, notes, runs] = await Promise.all([
      host.sessions.get({ id: sessionId }),
      host.recording.load({ sessionId }),
      host.notes.list({ sessionId }),
      host.runs.list({ sessionId }),
    ])
    const timeline = new ReplayTimeline({ recording, problemCount: session.problems.length, notes, runs })
    return { status: 'ready', session, timeline }
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return { status: 'not-found', error: error.message }
    return { status: 'failed', error: errorMessage(error) }
  }
}

/** The `?t=` of a replay link as a moment in ms, or null when there is none or it is not a number. */
export function momentOf(query: unknown): number | null {
  const value = Array.isArray(query) ? query[0] : query
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null
  return Number(value)
}
