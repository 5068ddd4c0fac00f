import { describe, expect, it } from 'vitest'
import type { Recording, StoredEvent } from '../session'
import { unclosedGap, VIEW_CLOSED_DATA } from './gap'
import { replayMarkers } from './markers'

let nextId = 1
const event = (tMs: number, kind: StoredEvent['kind'], data: unknown = ''): StoredEvent => ({
  id: nextId++,
  tMs,
  kind,
  problem: null,
  data: typeof data === 'string' ? data : JSON.stringify(data),
})
const recordingOf = (...events: StoredEvent[]): Recording => ({ events, snapshots: [] })

describe('a gap in the recording, found when the live view opens a session', () => {
  const crashed = recordingOf(
    event(0, 'status', { status: 'live' }),
    event(1_000, 'mode', { mode: 'direct' }),
    event(4_250, 'yjs', 'AAA='),
  )

  it('is there when a live session was recorded and its view never closed: from the last event until now', () => {
    expect(unclosedGap('live', crashed, 9_000)).toEqual({ fromMs: 4_250, toMs: 9_000, reason: 'host-restart' })
  })

  it('is not there after the view closed on purpose, nor for a session that is not live or has no recording', () => {
    const closed = recordingOf(...crashed.events, event(5_000, 'mode', VIEW_CLOSED_DATA))
    expect(unclosedGap('live', closed, 9_000)).toBeNull()
    expect(unclosedGap('created', crashed, 9_000)).toBeNull()
    expect(unclosedGap('ended', crashed, 9_000)).toBeNull()
    expect(unclosedGap('live', recordingOf(), 9_000)).toBeNull()
  })

  it('is not there when the host stored a run after the view closed, and is when the link closed by itself', () => {
    // The runs service writes run marks itself: an interrupted run can land after the close.
    const runAfterClose = recordingOf(
      ...crashed.events,
      event(5_000, 'mode', VIEW_CLOSED_DATA),
      event(5_001, 'run', { runId: 'r1' }),
    )
    expect(unclosedGap('live', runAfterClose, 9_000)).toBeNull()
    const linkClosed = recordingOf(...crashed.events, event(5_000, 'mode', { mode: 'closed' }))
    expect(unclosedGap('live', linkClosed, 9_000)).toEqual({ fromMs: 5_000, toMs: 9_000, reason: 'host-restart' })
  })

  it('never ends before it starts, even when the clock went back', () => {
    expect(unclosedGap('live', crashed, 1_000)).toEqual({ fromMs: 4_250, toMs: 4_250, reason: 'host-restart' })
  })

  it('is a marker on the replay timeline where the recording stopped, readable data or not', () => {
    const gap = event(9_000, 'gap', { fromMs: 4_250, toMs: 9_000, reason: 'host-restart' })
    const unreadable = event(20_000, 'gap', '{"fromMs":"soon"}')
    const markers = replayMarkers({ recording: recordingOf(...crashed.events, gap, unreadable) })
    expect(markers).toEqual([
      { key: `event:${gap.id}`, kind: 'gap', tMs: 4_250, untilMs: 9_000, problem: null },
      { key: `event:${unreadable.id}`, kind: 'gap', tMs: 20_000, untilMs: 20_000, problem: null },
    ])
  })
})
