import type { HostApi } from '../../../shared/host-api'
import { openLiveSession, type LiveSession, type LiveSessionOptions } from '../session/live-session'
import type { FakeCandidate } from './fake-candidate'

/**
 * Opens session `sessionId`'s live view as the app's view does (the stored session, its recording
 * and its connection, read through `api`), linked to `candidate`. `options` replaces any of the
 * view's dependencies, such as the host API it calls or its clock.
 */
export async function openLiveView(
  api: HostApi,
  sessionId: string,
  candidate: FakeCandidate,
  options: Partial<LiveSessionOptions> = {},
): Promise<LiveSession> {
  const [session, recording, connection] = await Promise.all([
    api.sessions.get({ id: sessionId }),
    api.recording.load({ sessionId }),
    api.sessions.connection({ id: sessionId }),
  ])
  const link = await candidate.factory(connection, { forceRelay: false })
  return openLiveSession({ host: api, session, recording, link, ...options })
}
