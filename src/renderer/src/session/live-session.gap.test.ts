import { beforeEach, describe, expect, it } from 'vitest'
import { GapDataSchema } from '../../../shared/replay/gap'
import type { Session, StoredEvent } from '../../../shared/session'
import { eventually } from '../test-support/mount-app'
import { useLiveViews } from '../test-support/live-view'
import type { LiveSession } from './live-session'

const env = useLiveViews()
let session: Session
let clock = 0

const open = (): Promise<LiveSession> => env.open(session.id, { now: () => clock })

const events = async (): Promise<StoredEvent[]> => (await env.host.api.recording.load({ sessionId: session.id })).events
const gaps = async () =>
  (await events()).filter((e) => e.kind === 'gap').map((e) => GapDataSchema.parse(JSON.parse(e.data)))

beforeEach(async () => {
  const [first] = (await env.host.api.problems.list({})).items
  session = await env.host.api.sessions.create({
    language: 'python',
    problems: { mode: 'pick', ids: [first?.id ?? 0] },
  })
  clock = Date.now()
})

describe('a gap in the live recording', () => {
  it('is recorded when the view opens a live session that the app left without closing, and not after a clean close', async () => {
    const first = await open()
    env.candidate.setMode('direct')
    env.candidate.hello('Ada Lovelace')
    await eventually(() => expect(first.state.session.startedAt).not.toBeNull())
    const startedAt = Date.parse(first.state.session.startedAt ?? '')
    clock = startedAt + 4_000
    env.candidate.type(0, '# typed before the crash\n')
    await eventually(async () => expect((await events()).at(-1)?.kind).toBe('yjs'))
    expect(await gaps()).toEqual([])

    // The app stops here without closing the view (a crash); it is opened again a minute later.
    clock = startedAt + 64_000
    const second = await open()
    await eventually(async () =>
      expect(await gaps()).toEqual([{ fromMs: 4_000, toMs: 64_000, reason: 'host-restart' }]),
    )
    expect((await events()).find((e) => e.kind === 'gap')?.tMs).toBe(64_000)

    // Closed on purpose this time: opening it again finds no gap.
    await second.close()
    clock = startedAt + 90_000
    // Closing flushes everything the view recorded.
    await (await open()).close()
    expect(await gaps()).toHaveLength(1)
    expect((await events()).filter((e) => e.kind === 'mode' && e.data.includes('view-closed'))).toHaveLength(2)
  })

  it('is never recorded for a session the candidate has not joined yet', async () => {
    const first = await open()
    await eventually(async () => expect((await events()).some((e) => e.kind === 'yjs')).toBe(true))
    expect(first.state.session.status).toBe('created')
    await (await open()).close()
    expect(await gaps()).toEqual([])
  })
})
