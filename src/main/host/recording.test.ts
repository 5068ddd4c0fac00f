import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HostError } from '../../shared/host-errors'
import { ProblemInputSchema } from '../../shared/problem'
import { RunRecordSchema } from '../../shared/run-record'
import { AppendEventsSchema, SessionCreateSchema, type RecordedEvent } from '../../shared/session'
import { openDatabase, type Db } from './database'
import { createProblemBank } from './problem-bank'
import { createRecordingService, type RecordingService } from './recording'
import { createRunService } from './runs'
import { createSessionService, type SessionService } from './sessions'

let dir: string
let db: Db
let sessions: SessionService
let recording: RecordingService
let sessionId: string
let problemId: number
const now = () => new Date('2026-11-23T10:00:00.000Z')

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

function append(
  events: RecordedEvent[],
  snapshot?: { tMs: number; state: string; encoding?: 'v1' | 'v2' },
  id = sessionId,
) {
  return recording.append(AppendEventsSchema.parse({ sessionId: id, events, ...(snapshot ? { snapshot } : {}) }))
}

function hostErrorOf(run: () => unknown): HostError {
  try {
    run()
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a HostError')
}

const newSession = () =>
  sessions.create(SessionCreateSchema.parse({ language: 'python', problems: { mode: 'pick', ids: [problemId] } })).id

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-recording-'))
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  const bank = createProblemBank(db, now)
  problemId = bank.create(
    ProblemInputSchema.parse({
      title: 'Echo',
      slug: 'echo',
      difficulty: 'junior',
      entryFunction: 'echo',
      starterCode: { python: 'def echo(x):\n    pass\n' },
      solution: {},
    }),
  ).id
  sessions = createSessionService(db, bank, { now })
  recording = createRecordingService(db)
  sessionId = newSession()
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('append and load', () => {
  it('gives back every event exactly, in the order stored, across batches', () => {
    const update = base64(randomBytes(300))
    const paste = JSON.stringify({ length: 140, text: 'ünïcödé 🎉 "quoted"\n' })
    expect(
      append([
        { tMs: 0, kind: 'join', data: '{"name":"Ada"}' },
        { tMs: 15, kind: 'yjs', problem: 0, data: update },
        { tMs: 15, kind: 'yjs', problem: 0, data: '' },
      ]),
    ).toEqual({ stored: 3 })
    expect(
      append([
        { tMs: 20, kind: 'paste', problem: 0, data: paste },
        { tMs: 21, kind: 'focus-lost' },
      ]),
    ).toEqual({
      stored: 2,
    })
    const loaded = recording.load(sessionId)
    expect(loaded.snapshots).toEqual([])
    expect(loaded.events.map(({ tMs, kind, problem, data }) => ({ tMs, kind, problem, data }))).toEqual([
      { tMs: 0, kind: 'join', problem: null, data: '{"name":"Ada"}' },
      { tMs: 15, kind: 'yjs', problem: 0, data: update },
      { tMs: 15, kind: 'yjs', problem: 0, data: '' },
      { tMs: 20, kind: 'paste', problem: 0, data: paste },
      { tMs: 21, kind: 'focus-lost', problem: null, data: '' },
    ])
    const ids = loaded.events.map((e) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(new Set(ids).size).toBe(5)
  })

  it('numbers events per session, after those already there, whoever wrote them', () => {
    const other = newSession()
    const idsOf = (id: string) => recording.load(id).events.map((e) => e.id)
    append([
      { tMs: 0, kind: 'join' },
      { tMs: 1, kind: 'leave' },
    ])
    append([{ tMs: 0, kind: 'join' }], undefined, other)
    // The run service puts its mark on the same timeline, between two recorder batches.
    createRunService(db, now).record(
      RunRecordSchema.parse({
        sessionId,
        runId: 'run-1',
        problem: 0,
        side: 'candidate',
        kind: 'run',
        language: 'python',
        code: 'print(1)\n',
        stdout: '1\n',
        stderr: '',
        status: 'ok',
        durationMs: 5,
        testResults: null,
        message: null,
        tMs: 2,
      }),
    )
    append([{ tMs: 3, kind: 'join' }], { tMs: 3, state: 'AAA=' })
    append([{ tMs: 1, kind: 'leave' }], undefined, other)
    expect(idsOf(sessionId)).toEqual([1, 2, 3, 4])
    expect(recording.load(sessionId).events.map((e) => e.kind)).toEqual(['join', 'leave', 'run', 'join'])
    expect(recording.load(sessionId).snapshots).toEqual([{ tMs: 3, lastEventId: 4, state: 'AAA=' }])
    expect(idsOf(other)).toEqual([1, 2])

    // Rows kept from before ids were per session carry the numbers they had, which rise.
    db.prepare("INSERT INTO session_events (session_id, id, t_ms, kind) VALUES (?, 40, 4, 'leave')").run(other)
    append([{ tMs: 5, kind: 'join' }], undefined, other)
    expect(idsOf(other)).toEqual([1, 2, 40, 41])
  })

  it('stores Yjs updates as bytes', () => {
    const bytes = randomBytes(64)
    append([{ tMs: 1, kind: 'yjs', data: base64(bytes) }])
    const row = db.prepare('SELECT data FROM session_events').get() as { data: unknown }
    expect(Buffer.isBuffer(row.data) && row.data.equals(bytes)).toBe(true)
  })

  it('rebuilds the document from stored updates and from a snapshot plus the later ones', () => {
    const doc = new Y.Doc()
    const updates: string[] = []
    doc.on('update', (update: Uint8Array) => updates.push(base64(update)))
    const text = doc.getText('p0')
    text.insert(0, 'def solve():\n')
    text.insert(13, '    return 42\n')
    append(
      updates.splice(0).map((data, i) => ({ tMs: i * 10, kind: 'yjs' as const, problem: 0, data })),
      {
        tMs: 20,
        state: base64(Y.encodeStateAsUpdate(doc)),
      },
    )
    text.delete(0, 4)
    append(updates.splice(0).map((data) => ({ tMs: 30, kind: 'yjs' as const, problem: 0, data })))

    const loaded = recording.load(sessionId)
    const replay = new Y.Doc()
    for (const e of loaded.events) Y.applyUpdate(replay, Buffer.from(e.data, 'base64'))
    expect(replay.getText('p0').toString()).toBe(text.toString())

    const [snapshot] = loaded.snapshots
    if (!snapshot) throw new Error('no snapshot')
    const seek = new Y.Doc()
    Y.applyUpdate(seek, Buffer.from(snapshot.state, 'base64'))
    for (const e of loaded.events.filter((e) => e.id > snapshot.lastEventId)) {
      Y.applyUpdate(seek, Buffer.from(e.data, 'base64'))
    }
    expect(seek.getText('p0').toString()).toBe('solve():\n    return 42\n')
  })

  it('links a snapshot to the last event of its batch and lists snapshots by time', () => {
    append([{ tMs: 1, kind: 'join' }])
    const state = base64(randomBytes(1000))
    append(
      [
        { tMs: 2, kind: 'yjs', data: base64(randomBytes(8)) },
        { tMs: 3, kind: 'yjs', data: base64(randomBytes(8)) },
      ],
      { tMs: 3, state },
    )
    append([{ tMs: 9, kind: 'leave' }], { tMs: 9, state: 'AA==' })
    const { events, snapshots } = recording.load(sessionId)
    expect(snapshots).toEqual([
      { tMs: 3, lastEventId: events[2]?.id, state },
      { tMs: 9, lastEventId: events[3]?.id, state: 'AA==' },
    ])
  })

  it('stores snapshot states deflated and gives them back exactly', () => {
    const doc = new Y.Doc()
    doc.getText('problem:0').insert(0, 'def solve(nums):\n    return sorted(nums)\n'.repeat(200))
    const state = base64(Y.encodeStateAsUpdate(doc))
    append([{ tMs: 1, kind: 'join' }], { tMs: 1, state })
    const stored = db.prepare('SELECT state FROM session_snapshots').pluck().get() as Buffer
    expect(stored.length).toBeLessThan(Buffer.from(state, 'base64').length / 4)
    expect(recording.load(sessionId).snapshots[0]?.state).toBe(state)
  })

  it('stores states of a session typed by two people in the V2 encoding, giving back the V1 bytes and text', () => {
    // Two documents linked as the live link links them: their states hold two clients' items,
    // deletions and formatting, like a real session's.
    const candidate = new Y.Doc()
    const interviewer = new Y.Doc()
    const link = (from: Y.Doc, to: Y.Doc) =>
      from.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'link') Y.applyUpdate(to, update, 'link')
      })
    link(candidate, interviewer)
    link(interviewer, candidate)
    for (const p of [0, 1, 2]) interviewer.getText(`problem:${p}`).insert(0, 'def solve(nums):\n    pass\n'.repeat(3))
    const states: { state: string; texts: string[] }[] = []
    for (let round = 0; round < 30; round++) {
      const typed = candidate.getText(`problem:${round % 3}`)
      typed.insert(Math.floor(typed.length / 2), `    total += value * ${round}\n`)
      if (round % 4 === 3) typed.delete(2, 7)
      if (round % 5 === 0) interviewer.getText('problem:0').insert(0, `# round ${round}\n`, { bold: true })
      const state = base64(Y.encodeStateAsUpdate(interviewer))
      states.push({ state, texts: [0, 1, 2].map((p) => interviewer.getText(`problem:${p}`).toString()) })
      append([{ tMs: round, kind: 'join' }], { tMs: round, state })
    }
    const stored = db.prepare('SELECT state FROM session_snapshots ORDER BY id').pluck().all() as Buffer[]
    expect(stored.every((s) => s.subarray(0, 5).toString('latin1') === '\0\0DZ2')).toBe(true)
    const loaded = recording.load(sessionId).snapshots
    expect(loaded.map((s) => s.state)).toEqual(states.map((s) => s.state))
    for (const [i, snapshot] of loaded.entries()) {
      const replay = new Y.Doc()
      Y.applyUpdate(replay, Buffer.from(snapshot.state, 'base64'))
      expect([0, 1, 2].map((p) => replay.getText(`problem:${p}`).toString())).toEqual(states[i]?.texts)
    }
  })

  it('stores a state sent in V2 as it is, and gives it back in V1 with the same text', () => {
    const doc = new Y.Doc()
    doc.getText('problem:0').insert(0, 'def solve(nums):\n    return sorted(nums)\n')
    doc.getText('problem:1').insert(0, 'function solve() {}\n')
    doc.getText('problem:0').delete(4, 5)
    const v2 = Y.encodeStateAsUpdateV2(doc)
    append([{ tMs: 5, kind: 'join' }], { tMs: 5, state: base64(v2), encoding: 'v2' })

    const stored = db.prepare('SELECT state FROM session_snapshots').pluck().get() as Buffer
    expect(stored.subarray(0, 5).toString('latin1')).toBe('\0\0DZ2')
    const [loaded] = recording.load(sessionId).snapshots
    expect(loaded?.state).toBe(base64(Y.encodeStateAsUpdate(doc)))
    const replay = new Y.Doc()
    Y.applyUpdate(replay, Buffer.from(loaded?.state ?? '', 'base64'))
    expect(replay.getText('problem:0').toString()).toBe(doc.getText('problem:0').toString())
    expect(replay.getText('problem:1').toString()).toBe('function solve() {}\n')
  })

  it('reads snapshots stored raw or deflated in V1, as rows were before states were kept in V2', () => {
    append([{ tMs: 1, kind: 'join' }])
    const raw = Y.encodeStateAsUpdate(new Y.Doc())
    const doc = new Y.Doc()
    doc.getText('problem:0').insert(0, 'print(1)\n'.repeat(50))
    const older = Y.encodeStateAsUpdate(doc)
    const insert = db.prepare(
      'INSERT INTO session_snapshots (session_id, t_ms, last_event_id, state) VALUES (?, ?, ?, ?)',
    )
    insert.run(sessionId, 1, 1, Buffer.from(raw))
    insert.run(sessionId, 2, 1, Buffer.from(older))
    insert.run(sessionId, 3, 1, Buffer.concat([Buffer.from('\0\0DZ1', 'latin1'), deflateRawSync(older)]))
    expect(recording.load(sessionId).snapshots.map((s) => s.state)).toEqual([base64(raw), base64(older), base64(older)])
  })

  it('keeps a state as given when deflating would not make it smaller, even one that looks deflated', () => {
    const random = randomBytes(300)
    const lookalikes = ['1', '2'].map((v) => Buffer.concat([Buffer.from(`\0\0DZ${v}`, 'latin1'), randomBytes(40)]))
    append([{ tMs: 1, kind: 'join' }], { tMs: 1, state: base64(random) })
    for (const lookalike of lookalikes) append([{ tMs: 2, kind: 'leave' }], { tMs: 2, state: base64(lookalike) })
    expect(recording.load(sessionId).snapshots.map((s) => s.state)).toEqual([random, ...lookalikes].map(base64))
    const stored = db.prepare('SELECT state FROM session_snapshots ORDER BY id').pluck().all() as Buffer[]
    expect(stored[0]?.equals(random)).toBe(true)
  })

  it.each([
    ['does not inflate', Buffer.from([0, 0, 0x44, 0x5a, 0x31, 0xff, 0xfe, 0x01])],
    [
      'inflates to no V2 state',
      Buffer.concat([Buffer.from('\0\0DZ2', 'latin1'), deflateRawSync(Buffer.alloc(64, 0xff))]),
    ],
  ])('says which snapshot is unreadable when a deflated state %s', (_, state) => {
    append([{ tMs: 1, kind: 'join' }])
    const insert = db.prepare(
      'INSERT INTO session_snapshots (session_id, t_ms, last_event_id, state) VALUES (?, 1, 1, ?)',
    )
    insert.run(sessionId, state)
    const error = hostErrorOf(() => recording.load(sessionId))
    expect(error.code).toBe('database')
    expect(error.message).toBe(`A snapshot of session ${sessionId} is unreadable in the database: it does not unpack.`)
  })

  it('takes a late batch for an ended session', () => {
    sessions.setStatus(sessionId, 'ended')
    expect(append([{ tMs: 5000, kind: 'leave' }])).toEqual({ stored: 1 })
  })

  // How fast is for the benchmark (eventAppendPerSec); here, that full batches are all stored.
  it('stores 20,000 events sent as 40 full batches', () => {
    const update = base64(randomBytes(40))
    for (let batch = 0; batch < 40; batch++) {
      append(
        Array.from({ length: 500 }, (_, i) => ({
          tMs: batch * 250 + i,
          kind: 'yjs' as const,
          problem: 0,
          data: update,
        })),
      )
    }
    expect(count('session_events')).toBe(20_000)
  })
})

describe('a batch that fails', () => {
  it('writes nothing when one event is not valid, naming each bad field', () => {
    append([{ tMs: 0, kind: 'join' }])
    const error = hostErrorOf(() =>
      append(
        [
          { tMs: 1, kind: 'yjs', data: base64(randomBytes(10)) },
          { tMs: 2, kind: 'yjs', data: 'not base64!' },
          { tMs: 3, kind: 'yjs', data: 'AQI' },
          { tMs: 4, kind: 'paste', data: '{broken' },
        ],
        { tMs: 4, state: '@@' },
      ),
    )
    expect(error.code).toBe('invalid-input')
    expect(error.issues).toEqual([
      { path: 'events[1].data', message: 'must be padded base64' },
      { path: 'events[2].data', message: 'must be padded base64' },
      { path: 'events[3].data', message: 'must be JSON text or empty' },
      { path: 'snapshot.state', message: 'must be padded base64' },
    ])
    expect(count('session_events')).toBe(1)
    expect(count('session_snapshots')).toBe(0)
  })

  it('rolls back every event when the database refuses a row half-way', () => {
    // A trigger stands in for a disk or constraint failure on the third insert.
    db.exec(`CREATE TEMP TRIGGER fail_third BEFORE INSERT ON session_events
      WHEN (SELECT count(*) FROM session_events) >= 2 BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    expect(() =>
      append(
        [1, 2, 3, 4].map((tMs) => ({ tMs, kind: 'yjs' as const, data: 'AA==' })),
        { tMs: 4, state: 'AA==' },
      ),
    ).toThrow(/disk full/)
    expect(count('session_events')).toBe(0)
    expect(count('session_snapshots')).toBe(0)
  })

  it('is not found for an unknown session', () => {
    expect(hostErrorOf(() => append([{ tMs: 0, kind: 'join' }], undefined, 'nope')).code).toBe('not-found')
    expect(hostErrorOf(() => recording.load('nope')).code).toBe('not-found')
    expect(count('session_events')).toBe(0)
  })
})

describe('deleting a session', () => {
  it('removes its timeline and snapshots with it', () => {
    append([{ tMs: 0, kind: 'yjs', data: 'AA==' }], { tMs: 0, state: 'AA==' })
    db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId)
    expect(count('session_events')).toBe(0)
    expect(count('session_snapshots')).toBe(0)
    expect(count('session_problems')).toBe(0)
  })
})
