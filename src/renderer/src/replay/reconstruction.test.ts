import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { applyRecording } from '../../../shared/replay/recording-doc'
import { ReplayTimeline } from '../../../shared/replay/timeline'
import type { Session } from '../../../shared/session'
import { problemIndexOf, problemText, seedProblems } from '../../../shared/sync/doc'
import { createRecorder, type Recorder } from '../session/recorder'
import { startRealHost, type RealHost } from '../test-support/real-host'

// Replay reconstruction end to end: a live session between a candidate's and an interviewer's
// Y.Doc, recorded by the real recorder into the real host (SQLite in a temp folder), then rebuilt
// from what was stored. Lives here rather than in src/shared/replay because it drives renderer
// and host code, which src/shared may not import; the pure timeline tests are there.

const START = Date.UTC(2030, 0, 1, 9, 0, 0)
const PROBLEMS = 2
const STEPS = 1200
/** Small, so that a short session stores many snapshots. */
const SNAPSHOT_EVERY_UPDATES = 40
const SNAPSHOT_INTERVAL_MS = 4000

interface Moment {
  texts: string[]
  problem: number
}

let host: RealHost
let session: Session

/** A seeded generator (Park–Miller), so a failure can be replayed. */
function seeded(seed: number): (n: number) => number {
  let state = seed
  return (n) => {
    state = (state * 48271) % 2147483647
    return state % n
  }
}

const sessionMs = (): number => Date.now() - START
const textsOf = (doc: Y.Doc): string[] => Array.from({ length: PROBLEMS }, (_, i) => problemText(doc, i).toString())

/**
 * The live link between the two documents: updates go both ways, in order, each after a delay
 * (an ordered data channel with some latency), and stop while it is down.
 */
class Link {
  private queues = new Map<Y.Doc, { update: Uint8Array; dueAt: number }[]>()
  private offs: (() => void)[] = []

  constructor(
    private readonly random: (n: number) => number,
    private a: Y.Doc,
    private b: Y.Doc,
  ) {
    this.connect()
  }

  /** Joins the two documents again after a drop, exchanging what each is missing, as sync does. */
  reconnect(b: Y.Doc): void {
    this.b = b
    Y.applyUpdate(this.b, Y.encodeStateAsUpdate(this.a, Y.encodeStateVector(this.b)), this)
    Y.applyUpdate(this.a, Y.encodeStateAsUpdate(this.b, Y.encodeStateVector(this.a)), this)
    this.connect()
  }

  disconnect(): void {
    for (const off of this.offs.splice(0)) off()
    this.queues.clear()
  }

  private connect(): void {
    this.forward(this.a, this.b)
    this.forward(this.b, this.a)
  }

  private forward(from: Y.Doc, to: Y.Doc): void {
    const queue: { update: Uint8Array; dueAt: number }[] = []
    this.queues.set(to, queue)
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin === this) return
      const dueAt = Math.max(queue.at(-1)?.dueAt ?? 0, Date.now() + 5 + this.random(40))
      queue.push({ update, dueAt })
      setTimeout(() => this.deliver(to, queue), dueAt - Date.now())
    }
    from.on('update', onUpdate)
    this.offs.push(() => from.off('update', onUpdate))
  }

  private deliver(to: Y.Doc, queue: { update: Uint8Array; dueAt: number }[]): void {
    if (this.queues.get(to) !== queue) return
    while (queue[0] && queue[0].dueAt <= Date.now()) {
      const next = queue.shift()
      if (next) Y.applyUpdate(to, next.update, this)
    }
  }
}

beforeEach(async () => {
  vi.useFakeTimers({ now: START })
  host = startRealHost()
  const { items } = await host.api.problems.list({})
  session = await host.api.sessions.create({
    language: 'python',
    problems: { mode: 'pick', ids: items.slice(0, PROBLEMS).map((p) => p.id) },
  })
})

afterEach(() => {
  vi.useRealTimers()
  host.dispose()
})

describe('replay reconstruction from a recorded live session', () => {
  it('gives the live text of every problem at every recorded moment and every marker, seeking in any order', async () => {
    const random = seeded(20301)
    const candidate = new Y.Doc()
    let interviewer = new Y.Doc()
    /** The interviewer's texts and current problem at the end of each ms something happened in. */
    const moments = new Map<number, Moment>()
    let problem = 0
    const remember = (): void => {
      moments.set(sessionMs(), { texts: textsOf(interviewer), problem })
    }

    function startRecording(doc: Y.Doc): Recorder {
      const recorder = createRecorder({
        sessionId: session.id,
        doc,
        append: (batch) => host.api.recording.append(batch),
        startedAt: () => START,
        problemOf: (transaction) => {
          const touched = [...doc.share].filter(([, type]) => transaction.changed.has(type))
          return touched.length === 1 ? problemIndexOf(touched[0]?.[0] ?? '') : null
        },
        snapshotEveryUpdates: SNAPSHOT_EVERY_UPDATES,
        snapshotIntervalMs: SNAPSHOT_INTERVAL_MS,
      })
      doc.on('update', remember)
      return recorder
    }

    let recorder = startRecording(interviewer)
    const link = new Link(random, candidate, interviewer)
    seedProblems(
      interviewer,
      session.problems.map((p) => p.starterCode.python),
    )

    // What each marker should show, taken live when it was made.
    const runs: { tMs: number; problem: number; code: string }[] = []
    const notes: { tMs: number; texts: string[] }[] = []
    const pastes: { tMs: number; chars: number }[] = []
    const focusLosses: { tMs: number; awayMs: number }[] = []
    const problemChanges: { tMs: number; from: number; to: number }[] = []
    let lostFocusAt: number | null = null
    let markerJustMade = false

    const edit = (doc: Y.Doc, index: number): void => {
      const text = problemText(doc, index)
      if (text.length > 0 && random(5) === 0) text.delete(random(text.length), 1 + random(4))
      else text.insert(random(text.length + 1), random(9) === 0 ? 'é\n' : 'abcdefghij'.slice(0, 1 + random(3)))
    }

    for (let step = 0; step < STEPS; step++) {
      // Often several changes land in one millisecond; now and then the candidate pauses.
      const roll = random(100)
      const advance = roll < 25 && !markerJustMade ? 0 : roll < 98 ? 1 + random(400) : 6000 + random(6000)
      markerJustMade = false
      await vi.advanceTimersByTimeAsync(advance)

      if (step === STEPS / 2) {
        // The interviewer closes the session view and opens it again: the document is rebuilt
        // from the recording and a new recorder carries on, while the candidate kept typing.
        link.disconnect()
        await recorder.stop()
        edit(candidate, problem)
        await vi.advanceTimersByTimeAsync(3000)
        interviewer = new Y.Doc()
        applyRecording(interviewer, await host.api.recording.load({ sessionId: session.id }))
        recorder = startRecording(interviewer)
        link.reconnect(interviewer)
        continue
      }

      const action = random(200)
      const ms = sessionMs()
      if (action < 150) {
        edit(candidate, problem)
      } else if (action < 165) {
        edit(interviewer, random(PROBLEMS))
      } else if (action < 175) {
        // The recorder sends what it has in this very millisecond, then more changes follow in
        // it: a snapshot can end between two updates stamped alike.
        edit(candidate, problem)
        await vi.advanceTimersByTimeAsync(50)
        edit(interviewer, problem)
        await recorder.flush()
        edit(interviewer, problem)
      } else if (action < 179) {
        const chars = 100 + random(200)
        const text = problemText(candidate, problem)
        text.insert(random(text.length + 1), 'x = 1  # pasted\n'.repeat(20).slice(0, chars))
        recorder.event('paste', problem, { chars })
        pastes.push({ tMs: ms, chars })
      } else if (action < 183) {
        if (lostFocusAt === null) {
          recorder.event('focus-lost', problem)
          lostFocusAt = ms
        } else {
          recorder.event('focus-gained', problem)
          focusLosses.push({ tMs: lostFocusAt, awayMs: ms - lostFocusAt })
          lostFocusAt = null
        }
      } else if (action < 186) {
        const to = (problem + 1) % PROBLEMS
        recorder.event('problem', to, { from: problem, to })
        problemChanges.push({ tMs: ms, from: problem, to })
        problem = to
        remember()
      } else if (action < 193) {
        const code = problemText(interviewer, problem).toString()
        await host.api.runs.record({
          sessionId: session.id,
          problem,
          side: 'candidate',
          kind: 'run',
          language: 'python',
          code,
          stdout: '',
          stderr: '',
          status: 'ok',
          durationMs: 12,
          testResults: null,
          tMs: ms,
        })
        runs.push({ tMs: ms, problem, code })
        markerJustMade = true
      } else {
        await host.api.notes.add({ sessionId: session.id, text: `note ${step}`, tMs: ms, problem })
        notes.push({ tMs: ms, texts: textsOf(interviewer) })
        markerJustMade = true
      }
    }
    await vi.advanceTimersByTimeAsync(1000)
    await recorder.stop()
    link.disconnect()

    const [recording, storedNotes, storedRuns] = await Promise.all([
      host.api.recording.load({ sessionId: session.id }),
      host.api.notes.list({ sessionId: session.id }),
      host.api.runs.list({ sessionId: session.id }),
    ])
    const timeline = new ReplayTimeline({ recording, problemCount: PROBLEMS, notes: storedNotes, runs: storedRuns })

    // The session exercised what makes reconstruction hard.
    expect(recording.snapshots.length).toBeGreaterThan(30)
    const byId = new Map(recording.events.map((e, i) => [e.id, i]))
    const splitSnapshots = recording.snapshots.filter((s) => {
      const at = byId.get(s.lastEventId)
      if (at === undefined) return false
      const last = recording.events[at]
      const next = recording.events.slice(at + 1).find((e) => e.kind === 'yjs')
      return last !== undefined && next !== undefined && next.tMs === last.tMs
    })
    expect(splitSnapshots.length).toBeGreaterThan(0)
    expect(timeline.idleGaps.length).toBeGreaterThan(0)
    expect(textsOf(interviewer)).toEqual(textsOf(candidate))

    // Every moment something happened, the moment just before it, and a few in between.
    const times = [...moments.keys()].sort((a, b) => a - b)
    const expectedAt = (t: number): Moment => {
      let low = 0
      let high = times.length
      while (low < high) {
        const mid = (low + high) >>> 1
        if ((times[mid] ?? 0) <= t) low = mid + 1
        else high = mid
      }
      const moment = moments.get(times[low - 1] ?? -1)
      return moment ?? { texts: textsOf(new Y.Doc()), problem: 0 }
    }
    const probes = [...new Set(times.flatMap((t) => [t - 1, t]))].filter((t) => t >= 0)
    for (let i = 0; i < 200; i++) probes.push(random(timeline.durationMs + 1))
    const shuffled = [...probes]
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random(i + 1)
      ;[shuffled[i], shuffled[j]] = [shuffled[j] ?? 0, shuffled[i] ?? 0]
    }
    const ascending = [...probes].sort((a, b) => a - b)
    const orders = { random: shuffled, forward: ascending, backward: [...ascending].reverse() }

    for (const [order, sequence] of Object.entries(orders)) {
      const wrong: string[] = []
      for (const t of sequence) {
        const frame = timeline.frameAt(t)
        const expected = expectedAt(t)
        if (frame.problem !== expected.problem || frame.texts.some((text, i) => text !== expected.texts[i])) {
          wrong.push(`${order} seek to ${t} ms: problem ${frame.problem}, texts ${JSON.stringify(frame.texts)}`)
        }
      }
      expect(wrong.slice(0, 3)).toEqual([])
    }
    expect(times.length).toBeGreaterThan(800)

    // Every marker, and what the editor shows there.
    const markers = timeline.markers
    expect(markers.filter((m) => m.kind === 'paste').map((m) => ({ tMs: m.tMs, chars: m.chars }))).toEqual(pastes)
    expect(markers.filter((m) => m.kind === 'focus-lost').map((m) => ({ tMs: m.tMs, awayMs: m.awayMs }))).toEqual(
      lostFocusAt === null ? focusLosses : [...focusLosses, { tMs: lostFocusAt, awayMs: null }],
    )
    expect(markers.filter((m) => m.kind === 'problem').map((m) => ({ tMs: m.tMs, from: m.from, to: m.to }))).toEqual(
      problemChanges,
    )
    expect(runs.length).toBeGreaterThan(10)
    expect(notes.length).toBeGreaterThan(10)
    const runMarkers = markers.filter((m) => m.kind === 'run')
    expect(runMarkers.map((m) => [m.tMs, m.problem])).toEqual(runs.map((r) => [r.tMs, r.problem]))
    for (const run of runs) expect(timeline.frameAt(run.tMs).texts[run.problem]).toBe(run.code)
    const noteMarkers = markers.filter((m) => m.kind === 'note')
    expect(noteMarkers.map((m) => m.tMs)).toEqual(notes.map((n) => n.tMs))
    for (const note of notes) expect(timeline.frameAt(note.tMs).texts).toEqual(note.texts)
    for (const marker of markers) expect(timeline.frameAt(marker.tMs)).toMatchObject(expectedAt(marker.tMs))

    timeline.dispose()
    candidate.destroy()
    interviewer.destroy()
  })
})
