import { toBase64 } from 'lib0/buffer'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Note } from '../notes'
import type { StoredRun } from '../run-record'
import type { Recording, StoredEvent } from '../session'
import { problemText } from '../sync/doc'
import { ReplayTimeline } from './timeline'

/**
 * Builds a recording by hand, the way the recorder and host store one: events get increasing
 * ids, and a snapshot holds the document once every event stored before it is applied.
 */
class RecordingBuilder {
  readonly events: StoredEvent[] = []
  readonly snapshots: Recording['snapshots'] = []
  readonly doc = new Y.Doc()
  /** The texts at the end of each ms an update happened in. */
  readonly texts = new Map<number, string[]>()
  private pending: Uint8Array[] = []

  constructor() {
    this.doc.on('update', (update: Uint8Array) => this.pending.push(update))
  }

  /** Changes the document at `tMs`, storing each update it makes. */
  change(tMs: number, change: (doc: Y.Doc) => void, { store = true } = {}): this {
    change(this.doc)
    for (const update of this.pending.splice(0)) {
      if (store) this.push({ tMs, kind: 'yjs', problem: 0, data: toBase64(update) })
    }
    this.texts.set(tMs, [problemText(this.doc, 0).toString(), problemText(this.doc, 1).toString()])
    return this
  }

  event(tMs: number, kind: StoredEvent['kind'], data: unknown = '', problem: number | null = null): this {
    return this.push({ tMs, kind, problem, data: data === '' ? '' : JSON.stringify(data) })
  }

  snapshot(): this {
    const last = this.events.at(-1)
    this.snapshots.push({
      tMs: last?.tMs ?? 0,
      lastEventId: last?.id ?? 0,
      state: toBase64(Y.encodeStateAsUpdate(this.doc)),
    })
    return this
  }

  get recording(): Recording {
    return { events: this.events, snapshots: this.snapshots }
  }

  private push(event: Omit<StoredEvent, 'id'>): this {
    this.events.push({ ...event, id: this.events.length + 1 })
    return this
  }
}

const typeAt = (index: number, at: number, text: string) => (doc: Y.Doc) => problemText(doc, index).insert(at, text)

describe('the replay timeline', () => {
  it('rebuilds every moment exactly, with updates of one ms split by a snapshot, in any seek order', () => {
    const b = new RecordingBuilder()
      .change(0, typeAt(0, 0, 'def f():\n'))
      .change(0, typeAt(1, 0, 'def g():\n'))
      .change(40, typeAt(0, 9, '  return'))
      .snapshot()
      // Two more updates stamped 40 ms, stored after the snapshot.
      .change(40, typeAt(0, 17, ' 1'))
      .change(40, typeAt(1, 9, '  pass'))
      .change(900, (doc) => problemText(doc, 0).delete(0, 4))
      .snapshot()
      .change(901, typeAt(0, 0, '# hi\n'))
      .change(7000, typeAt(1, 0, '# end\n'))
    const timeline = new ReplayTimeline({ recording: b.recording, problemCount: 2 })
    const expected = (t: number): string[] => {
      const before = [...b.texts.keys()].filter((k) => k <= t)
      return b.texts.get(Math.max(...before)) ?? ['', '']
    }
    const probes = [0, 1, 39, 40, 41, 899, 900, 901, 902, 6999, 7000]
    for (const order of [probes, [...probes].reverse(), [900, 0, 7000, 40, 901, 39, 6999, 1, 902, 41, 899]]) {
      for (const t of order) expect(timeline.frameAt(t).texts, `at ${t} ms`).toEqual(expected(t))
    }
    expect(timeline.frameAt(40).texts).toEqual(['def f():\n  return 1', 'def g():\n  pass'])
    expect(timeline.durationMs).toBe(7000)
  })

  it('gives the same document whichever way a moment is reached, when a snapshot holds more than the log', () => {
    // An update the host never stored (its batch was refused) is still in the next snapshot.
    const b = new RecordingBuilder()
      .change(10, typeAt(0, 0, 'abc'))
      .change(20, typeAt(0, 3, 'LOST'), { store: false })
      .change(30, typeAt(0, 7, 'd'))
      .snapshot()
      .change(40, typeAt(0, 8, 'e'))
    const timeline = new ReplayTimeline({ recording: b.recording, problemCount: 2 })
    const direct = timeline.frameAt(40).texts
    timeline.frameAt(0)
    timeline.frameAt(10)
    expect(timeline.frameAt(40).texts).toEqual(direct)
    expect(direct[0]).toBe('abcLOSTde')
  })

  it('keeps updates in stored order when the clock stepped back while recording', () => {
    const b = new RecordingBuilder()
      .change(500, typeAt(0, 0, 'a'))
      .change(300, typeAt(0, 1, 'b'))
      .change(600, typeAt(0, 2, 'c'))
    const timeline = new ReplayTimeline({ recording: b.recording, problemCount: 1 })
    expect(timeline.frameAt(299).texts).toEqual([''])
    expect(timeline.frameAt(300).texts).toEqual([''])
    expect(timeline.frameAt(500).texts).toEqual(['ab'])
    expect(timeline.frameAt(600).texts).toEqual(['abc'])
  })

  it('follows the current problem from the problem events', () => {
    const b = new RecordingBuilder()
      .event(0, 'join', { name: 'Ada' })
      .event(1000, 'problem', { from: 0, to: 2 }, 2)
      .event(5000, 'problem', { from: 2, to: 1 }, 1)
      .event(5000, 'problem', 'not an object', null)
    const timeline = new ReplayTimeline({ recording: b.recording, problemCount: 3 })
    expect([0, 999, 1000, 4999, 5000, 9000].map((t) => timeline.problemAt(t))).toEqual([0, 0, 2, 2, 1, 1])
    expect(timeline.frameAt(1500)).toMatchObject({ tMs: 1500, problem: 2, texts: ['', '', ''] })
  })

  it('marks runs, notes, problem changes, large pastes and focus losses, by time', () => {
    const b = new RecordingBuilder()
      .event(100, 'paste', { chars: 99 }, 0)
      .event(200, 'paste', { chars: 140 }, 0)
      .event(300, 'focus-lost', '', 0)
      .event(4300, 'focus-gained', '', 0)
      .event(5000, 'problem', { from: 0, to: 1 }, 1)
      .event(6000, 'run', { runId: 'only-marked', side: 'interviewer', kind: 'hidden-tests', status: 'error' }, 1)
      .event(6500, 'run', { runId: 'stored', side: 'candidate', kind: 'run', status: 'stopped' }, 1)
      .event(9000, 'focus-lost', '', 1)
    const runs: StoredRun[] = [
      {
        id: 1,
        runId: 'stored',
        problem: 1,
        side: 'candidate',
        kind: 'run',
        language: 'python',
        code: '',
        codeHash: '0'.repeat(64),
        stdout: '',
        stderr: '',
        status: 'ok',
        durationMs: 15,
        testResults: null,
        message: null,
        tMs: 6500,
        createdAt: '2030-01-01T09:00:00.000Z',
      },
    ]
    const notes: Note[] = [
      {
        id: 4,
        sessionId: 's',
        text: 'Good question',
        tMs: 200,
        problem: 0,
        createdAt: '2030-01-01T09:00:00.000Z',
        updatedAt: '2030-01-01T09:00:00.000Z',
      },
    ]
    const timeline = new ReplayTimeline({ recording: b.recording, problemCount: 2, notes, runs })
    expect(timeline.markers).toEqual([
      { key: 'note:4', kind: 'note', tMs: 200, problem: 0, noteId: 4, text: 'Good question' },
      { key: 'event:2', kind: 'paste', tMs: 200, problem: 0, chars: 140 },
      { key: 'event:3', kind: 'focus-lost', tMs: 300, problem: 0, awayMs: 4000 },
      { key: 'event:5', kind: 'problem', tMs: 5000, problem: 1, from: 0, to: 1 },
      {
        key: 'run:only-marked',
        kind: 'run',
        tMs: 6000,
        problem: 1,
        runId: 'only-marked',
        side: 'interviewer',
        runKind: 'hidden-tests',
        status: 'error',
        durationMs: null,
      },
      {
        key: 'run:stored',
        kind: 'run',
        tMs: 6500,
        problem: 1,
        runId: 'stored',
        side: 'candidate',
        runKind: 'run',
        status: 'ok',
        durationMs: 15,
      },
      { key: 'event:8', kind: 'focus-lost', tMs: 9000, problem: 1, awayMs: null },
    ])
    expect(timeline.durationMs).toBe(9000)
    // Nothing is more than 5 s from the next thing that happened.
    expect(timeline.idleGaps).toEqual([])
  })

  it('says when nothing was recorded', () => {
    const timeline = new ReplayTimeline({ recording: { events: [], snapshots: [] }, problemCount: 2 })
    expect(timeline.isEmpty).toBe(true)
    expect(timeline.durationMs).toBe(0)
    expect(timeline.markers).toEqual([])
    expect(timeline.frameAt(1234)).toEqual({ tMs: 0, problem: 0, steps: 0, texts: ['', ''] })
  })
})
