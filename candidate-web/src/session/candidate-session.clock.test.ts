import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { LinkFrame } from '../../../src/shared/peer/frames'
import { memoryLinkPair, type LinkMode, type MemoryLinkPair } from '../../../src/shared/sync/testing/memory-link'
import { createCandidateSession, PING_INTERVAL_MS, type CandidateSession } from './candidate-session'

/** Timers run by hand, so the test says when the next ping is due. */
class ManualSchedule {
  private tasks: { task: () => void; ms: number; cancelled: boolean }[] = []
  readonly schedule = (task: () => void, ms: number): (() => void) => {
    const entry = { task, ms, cancelled: false }
    this.tasks.push(entry)
    return () => {
      entry.cancelled = true
    }
  }
  pending(): number[] {
    return this.tasks.filter((t) => !t.cancelled).map((t) => t.ms)
  }
  runDue(): void {
    const due = this.tasks.filter((t) => !t.cancelled)
    this.tasks = []
    for (const entry of due) entry.task()
  }
}

let pair: MemoryLinkPair
let session: CandidateSession
let timers: ManualSchedule
let local: number
let pings: Extract<LinkFrame, { type: 'ping' }>[]

async function start(): Promise<void> {
  pair = memoryLinkPair()
  timers = new ManualSchedule()
  local = 50_000
  pings = []
  pair.a.onFrame((frame) => {
    if (frame.type === 'ping') pings.push(frame)
  })
  session = createCandidateSession({
    location: { pathname: `/s/${'A'.repeat(22)}`, hash: `#${'S'.repeat(43)}`, search: '', origin: 'http://x' },
    createLink: () => pair.b,
    fetchConfig: async () => ({ iceServers: [] }),
    openDocStore: async () => ({ clear: async () => undefined, destroy: async () => undefined }),
    storage: null,
    canEncrypt: () => true,
    now: () => local,
    schedule: timers.schedule,
  })
  await session.start()
}

async function setMode(mode: LinkMode): Promise<void> {
  pair.setMode(mode)
  pair.flush()
  await flushPromises()
}

afterEach(async () => {
  await session.dispose()
})

describe('the candidate’s estimate of the host’s clock', () => {
  it('pings as the link opens and every interval after, and follows the answers', async () => {
    await start()
    expect(session.state.clockOffsetMs).toBeNull()
    expect(session.hostNow()).toBe(local)
    await setMode('direct')
    expect(pings).toEqual([{ type: 'ping', t: 50_000 }])
    expect(timers.pending()).toEqual([PING_INTERVAL_MS])

    // The answer took 40 ms there and back; the host's clock reads 2 s ahead.
    local += 40
    pair.a.send({ type: 'pong', t: 50_000, at: 52_020 })
    pair.flush()
    expect(session.state.clockOffsetMs).toBe(2000)
    expect(session.hostNow()).toBe(local + 2000)

    local += PING_INTERVAL_MS
    timers.runDue()
    pair.flush()
    expect(pings).toHaveLength(2)
    expect(timers.pending()).toEqual([PING_INTERVAL_MS])
  })

  it('stops pinging while the link is down, and starts again when it is back', async () => {
    await start()
    await setMode('direct')
    await setMode('reconnecting')
    timers.runDue()
    expect(pings).toHaveLength(1)
    expect(timers.pending()).toEqual([])
    await setMode('relayed')
    expect(pings).toHaveLength(2)
    expect(timers.pending()).toEqual([PING_INTERVAL_MS])
  })

  it('ignores a pong without the host’s clock', async () => {
    await start()
    await setMode('direct')
    pair.a.send({ type: 'pong', t: 50_000 })
    pair.flush()
    expect(session.state.clockOffsetMs).toBeNull()
  })
})
