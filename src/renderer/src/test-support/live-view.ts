import { afterEach, beforeEach } from 'vitest'
import type { HostApi } from '../../../shared/host-api'
import { openLiveSession, type LiveSession, type LiveSessionOptions } from '../session/live-session'
import { FakeCandidate } from './fake-candidate'
import { startRealHost, type RealHost } from './real-host'

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

export interface LiveViews {
  /** This test's real host (a fresh database). */
  readonly host: RealHost
  /** This test's candidate, on the other end of every view's link. */
  readonly candidate: FakeCandidate
  /** Opens a live view as openLiveView does; it is closed after the test. */
  open(sessionId: string, options?: Partial<LiveSessionOptions>): Promise<LiveSession>
}

/**
 * For a test file of live views: a real host and a fake candidate for each test, and every view
 * opened on them closed after it, before the host is disposed.
 */
export function useLiveViews(): LiveViews {
  let current: { host: RealHost; candidate: FakeCandidate } | null = null
  const views: LiveSession[] = []
  const get = (): { host: RealHost; candidate: FakeCandidate } => {
    if (!current) throw new Error('live views are only there inside a test')
    return current
  }
  beforeEach(() => {
    current = { host: startRealHost(), candidate: new FakeCandidate() }
  })
  afterEach(async () => {
    for (const view of views.splice(0)) await view.close()
    current?.host.dispose()
    current = null
  })
  return {
    get host() {
      return get().host
    },
    get candidate() {
      return get().candidate
    },
    async open(sessionId, options = {}) {
      const { host, candidate } = get()
      const view = await openLiveView(host.api, sessionId, candidate, options)
      views.push(view)
      return view
    },
  }
}
