import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { startRealHost, type RealHost } from '../test-support/real-host'
import { createRecorder, type AppendBatch, type Recorder } from './recorder'
import { applyRecording, hasDocumentState } from './replay'

const START = Date.UTC(2030, 0, 1, 9, 0, 0)

let host: RealHost
let sessionId: string
let doc: Y.Doc
let calls: AppendBatch[]
let failures: number
let recorder: Recorder | undefined

/** The host's real append, counted; `failures` makes the next calls fail as a dropped IPC would. */
async function append(batch: AppendBatch): Promise<unknown> {
  calls.push(structuredClone(batch))
  if (failures > 0) {
    failures--
    throw new Error('the host is busy')
  }
  return host.api.recording.append(batch)
}

function record(options: { startedAt?: number | null } = {}): Recorder {
  const startedAt = options.startedAt === undefined ? START : options.startedAt
  recorder = createRecorder({ sessionId, doc, append, startedAt: () => startedAt })
  return recorder
}

const text = (): Y.Text => doc.getText('problem:0')
const typeChars = (n: number): void => {
  for (let i = 0; i < n; i++) text().insert(text().length, String.fromCharCode(97 + (i % 26)))
}

beforeEach(async () => {
  vi.useFakeTimers({ now: START })
  host = startRealHost()
  const session = await host.api.sessions.create({
    language: 'python',
    problems: { mode: 'random', difficulty: 'junior', count: 1 },
  })
  sessionId = session.id
  doc = new Y.Doc()
  calls = []
  failures = 0
  recorder = undefined
})

afterEach(async () => {
  await recorder?.stop()
  vi.useRealTimers()
  host.dispose()
})

describe('the recorder', () => {
  it('sends one batch at most every 250 ms, stamped with ms since the start', async () => {
    record()
    await vi.advanceTimersByTimeAsync(40)
    typeChars(10)
    await vi.advanceTimersByTimeAsync(249)
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.events).toHaveLength(10)
    expect(calls[0]?.events.every((e) => e.kind === 'yjs' && e.tMs === 40)).toBe(true)
    expect(calls[0]?.snapshot).toBeUndefined()

    // Typing on through the next second: four more calls, never two within 250 ms.
    for (let ms = 0; ms < 1000; ms += 10) {
      typeChars(1)
      await vi.advanceTimersByTimeAsync(10)
    }
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.length).toBeGreaterThanOrEqual(4)
    expect(calls.length).toBeLessThanOrEqual(5)
    const stored = await host.api.recording.load({ sessionId })
    expect(stored.events).toHaveLength(110)
    expect(stored.events.map((e) => e.tMs)).toEqual([...stored.events.map((e) => e.tMs)].sort((a, b) => a - b))
  })

  it('stamps events before the session started at 0, and events carry their data as JSON', async () => {
    let startedAt: number | null = null
    recorder = createRecorder({ sessionId, doc, append, startedAt: () => startedAt })
    typeChars(1)
    await vi.advanceTimersByTimeAsync(5000)
    startedAt = Date.now()
    recorder.event('join', null, { name: 'Ada' })
    await vi.advanceTimersByTimeAsync(1200)
    recorder.event('problem', 1, { from: 0, to: 1 })
    await recorder.flush()

    const { events } = await host.api.recording.load({ sessionId })
    expect(events.map((e) => [e.kind, e.tMs, e.problem, e.kind === 'yjs' ? '' : e.data])).toEqual([
      ['yjs', 0, null, ''],
      ['join', 0, null, '{"name":"Ada"}'],
      ['problem', 1200, 1, '{"from":0,"to":1}'],
    ])
  })

  it('adds a snapshot after 500 updates', async () => {
    record()
    typeChars(499)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.at(-1)?.snapshot).toBeUndefined()
    typeChars(1)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.at(-1)?.events).toHaveLength(1)
    expect(calls.at(-1)?.snapshot).toBeDefined()

    typeChars(499)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.at(-1)?.snapshot).toBeUndefined()
    const { snapshots } = await host.api.recording.load({ sessionId })
    expect(snapshots).toHaveLength(1)
  })

  it('adds a snapshot once 30 s have passed with changes, and none while nothing changes', async () => {
    record()
    typeChars(3)
    await vi.advanceTimersByTimeAsync(29_000)
    typeChars(1)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.map((c) => c.snapshot !== undefined)).toEqual([false, false])

    await vi.advanceTimersByTimeAsync(750)
    typeChars(1)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.map((c) => c.snapshot !== undefined)).toEqual([false, false, true])
    expect(calls.at(-1)?.snapshot?.tMs).toBe(30_000)

    await vi.advanceTimersByTimeAsync(120_000)
    expect(calls).toHaveLength(3)
  })

  it('retries a failed batch, keeping the order, and loses nothing', async () => {
    const trouble: unknown[] = []
    recorder = createRecorder({ sessionId, doc, append, startedAt: () => START, onTrouble: (e) => trouble.push(e) })
    failures = 2
    typeChars(5)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls).toHaveLength(1)
    // More typing while the host is failing joins the next batch, after the failed one.
    typeChars(3)
    recorder.event('focus-lost', 0)
    await vi.advanceTimersByTimeAsync(250 + 500)
    expect(calls).toHaveLength(3)
    expect(calls[2]).toEqual(calls[0])
    await vi.advanceTimersByTimeAsync(250)
    expect(calls).toHaveLength(4)
    expect(calls[3]?.events.map((e) => e.kind)).toEqual(['yjs', 'yjs', 'yjs', 'focus-lost'])
    expect(trouble.map((t) => (t === null ? null : 'error'))).toEqual(['error', 'error', null, null])

    const { events } = await host.api.recording.load({ sessionId })
    expect(events).toHaveLength(9)
    const rebuilt = new Y.Doc()
    applyRecording(rebuilt, { events, snapshots: [] })
    expect(rebuilt.getText('problem:0').toString()).toBe(text().toString())
  })

  it('drops a batch the host refuses as invalid instead of retrying it forever', async () => {
    record()
    typeChars(1)
    // Event data is capped at 1,000,000 characters: the host refuses the whole batch.
    recorder?.event('paste', 0, 'x'.repeat(1_000_000))
    await vi.advanceTimersByTimeAsync(250)
    typeChars(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls.map((c) => c.events.length)).toEqual([2, 1])
    const { events } = await host.api.recording.load({ sessionId })
    expect(events.map((e) => e.kind)).toEqual(['yjs'])
  })

  it('flushes at once on stop with a final snapshot, and the text rebuilds exactly', async () => {
    record()
    const other = new Y.Doc()
    // Two people editing: remote updates arrive as the candidate's would, through applyUpdate.
    other.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update, 'remote'))
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') Y.applyUpdate(other, update, 'remote')
    })
    let seed = 7
    const random = (n: number): number => {
      seed = (seed * 48271) % 2147483647
      return seed % n
    }
    for (let step = 0; step < 1200; step++) {
      const target = (step % 3 === 0 ? other : doc).getText('problem:0')
      if (target.length > 0 && random(4) === 0) target.delete(random(target.length), 1 + random(3))
      else target.insert(random(target.length + 1), step % 17 === 0 ? 'é\n' : String(step % 10))
      if (step % 50 === 0) await vi.advanceTimersByTimeAsync(100)
    }
    await recorder?.stop()
    recorder = undefined
    const lastCall = calls.at(-1)
    expect(lastCall?.snapshot).toBeDefined()

    const recording = await host.api.recording.load({ sessionId })
    expect(hasDocumentState(recording)).toBe(true)
    expect(recording.snapshots.length).toBeGreaterThanOrEqual(3)
    const fromSnapshot = new Y.Doc()
    applyRecording(fromSnapshot, recording)
    const fromEvents = new Y.Doc()
    applyRecording(fromEvents, { events: recording.events, snapshots: [] })
    const final = doc.getText('problem:0').toString()
    expect(final.length).toBeGreaterThan(100)
    expect(fromSnapshot.getText('problem:0').toString()).toBe(final)
    expect(fromEvents.getText('problem:0').toString()).toBe(final)
    expect(other.getText('problem:0').toString()).toBe(final)
  })
})
