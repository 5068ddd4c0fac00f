import Database from 'better-sqlite3'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  BUNDLE_MAGIC,
  BundleContentSchema,
  BundleInspectionSchema,
  ExportedBundleSchema,
  MAX_BUNDLE_BYTES,
  type BundleContent,
  type BundleHeader,
} from '../../shared/bundle'
import { draftOf, EvaluationSchema } from '../../shared/evaluation'
import type { HostEventName } from '../../shared/host-api'
import type { HostErrorShape, HostReply } from '../../shared/host-errors'
import { PACK_FORMAT } from '../../shared/pack'
import type { ProblemDraft } from '../../shared/problem'
import { RecordingSchema, SessionSchema, type Recording } from '../../shared/session'
import { problemText, seedUpdate } from '../../shared/sync/doc'
import { assembleBundle, readBundle, writeBundle } from './bundle-file'
import { databasePathIn } from './data-dir'
import { createHost, type Host, type HostOptions } from './host'

let dir: string
const hosts: Host[] = []
const readers: Database.Database[] = []

function draft(slug: string, title: string): ProblemDraft {
  return {
    title,
    slug,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: `def solve(x):\n    # ${title}\n    pass\n` },
    solution: { python: 'def solve(x):\n    return x\n' },
    tests: [
      { name: 'shown', args: [1], expected: 1 },
      { name: 'hidden', args: [2], expected: 2, hidden: true },
    ],
  }
}

interface Started {
  host: Host
  events: [HostEventName, unknown][]
  /** A second, read-only connection to the host's SQLite file. */
  db: Database.Database
  /** What the injected random source handed out, in order. */
  randoms: Buffer[]
}

function start(name: string, overrides: Partial<HostOptions> = {}): Started {
  const packPath = join(dir, `${name}-pack.yaml`)
  writeFileSync(
    packPath,
    stringify({ format: PACK_FORMAT, version: 1, problems: [draft('echo', 'Echo'), draft('twice', 'Twice')] }),
  )
  const randoms: Buffer[] = []
  const dataDir = join(dir, name)
  const host = createHost({
    dataDir,
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: packPath,
    now: () => new Date('2026-11-23T10:00:00.000Z'),
    random: (n) => {
      const bytes = randomBytes(n)
      randoms.push(bytes)
      return bytes
    },
    log: () => undefined,
    ...overrides,
  })
  hosts.push(host)
  const events: [HostEventName, unknown][] = []
  host.onEvent((event, payload) => events.push([event, payload]))
  const db = new Database(databasePathIn(dataDir), { readonly: true })
  readers.push(db)
  return { host, events, db, randoms }
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

function errorOf(reply: HostReply): HostErrorShape {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value).slice(0, 200)}`)
  return reply.error
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

/** Every table's row count: proof that a refused import wrote nothing anywhere. */
function tableCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[]
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]))
}

/** Tables whose rows belong to a session by a `session_id` column. */
function sessionTables(db: Database.Database): string[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  return tables.filter((t) => db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = 'session_id'`).get(t))
}

type Row = Record<string, unknown>
const rowsOf = (db: Database.Database, sql: string, id: string) => db.prepare(sql).all(id) as Row[]
const without = (row: Row, ...keys: string[]) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !keys.includes(key)))

/** Every problem's final text, rebuilt from the Yjs updates on the timeline. */
function finalTexts(recording: Recording, problems: number): string[] {
  const doc = new Y.Doc()
  for (const event of recording.events) {
    if (event.kind === 'yjs') Y.applyUpdate(doc, Buffer.from(event.data, 'base64'))
  }
  return Array.from({ length: problems }, (_, i) => problemText(doc, i).toString())
}

/**
 * A whole interview on host A, with a second session's rows in between: candidate typing (Yjs),
 * focus and paste events, an event with no data, snapshots, runs of both sides with test results,
 * notes, a completed evaluation.
 */
async function recordInterview(a: Started): Promise<{ sessionId: string; texts: string[] }> {
  const create = (candidateName: string) =>
    a.host.dispatch('sessions.create', {
      candidateName,
      language: 'python',
      problems: { mode: 'pick', ids: [1, 2] },
      timeLimitMinutes: 45,
    })
  const session = SessionSchema.parse(valueOf(await create('Zoë Ångström')))
  const other = SessionSchema.parse(valueOf(await create('Someone Else')))
  const sessionId = session.id
  valueOf(await a.host.dispatch('sessions.setStatus', { id: sessionId, status: 'live' }))

  const doc = new Y.Doc()
  const updates: string[] = []
  doc.on('update', (update: Uint8Array) => updates.push(base64(update)))
  Y.applyUpdate(doc, seedUpdate(session.problems.map((p) => p.starterCode.python)))
  const append = async (id: string, events: unknown[], snapshot?: { tMs: number; state: string }) =>
    valueOf(await a.host.dispatch('recording.append', { sessionId: id, events, ...(snapshot ? { snapshot } : {}) }))

  let tMs = 1000
  const flush = async (snapshot = false) => {
    const batch = updates.splice(0).map((data) => ({ tMs: (tMs += 40), kind: 'yjs', problem: 0, data }))
    await append(sessionId, batch, snapshot ? { tMs, state: base64(Y.encodeStateAsUpdate(doc)) } : undefined)
  }
  await flush()
  const text0 = problemText(doc, 0)
  for (const ch of 'return x  # done') text0.insert(text0.length, ch)
  await flush(true)
  await append(other.id, [{ tMs: 10, kind: 'join', data: '{"name":"Someone Else"}' }])
  await append(sessionId, [
    { tMs: (tMs += 100), kind: 'focus-lost', data: '' },
    { tMs: (tMs += 100), kind: 'focus-gained' },
    { tMs: (tMs += 100), kind: 'paste', problem: 1, data: JSON.stringify({ length: 140, text: 'ünï 🎉 "q"' }) },
    { tMs: (tMs += 100), kind: 'problem', problem: 1, data: '{"index":1}' },
  ])
  const text1 = problemText(doc, 1)
  text1.delete(0, text1.length)
  text1.insert(0, 'def solve(x):\n    return x * 2\n')
  await flush()
  text0.insert(0, '# reviewed\n')
  await flush(true)

  valueOf(
    await a.host.dispatch('runs.record', {
      sessionId,
      runId: 'cand-run-1',
      problem: 0,
      side: 'candidate',
      kind: 'tests',
      language: 'python',
      code: text0.toString(),
      stdout: 'hello\n',
      stderr: '',
      status: 'ok',
      durationMs: 12.6,
      testResults: [{ name: 'shown', status: 'pass', expected: 1, actual: 1, stdout: '', durationMs: 0.4 }],
      tMs: 5000,
    }),
  )
  valueOf(
    await a.host.dispatch('runs.record', {
      sessionId,
      runId: 'int-run-1',
      problem: 1,
      side: 'interviewer',
      kind: 'hidden-tests',
      language: 'python',
      code: text1.toString(),
      stdout: '',
      stderr: 'Traceback…\n',
      status: 'error',
      durationMs: null,
      testResults: [{ name: 'hidden', status: 'error', expected: 2, error: 'boom', stdout: 'x', durationMs: 1 }],
      message: 'It broke.',
      tMs: 6000,
    }),
  )
  valueOf(await a.host.dispatch('notes.add', { sessionId, text: 'Asked about edge cases', tMs: 4000, problem: 0 }))
  valueOf(await a.host.dispatch('notes.add', { sessionId, text: 'General impression: calm', tMs: 7000, problem: null }))
  valueOf(await a.host.dispatch('settings.update', { rubric: ['Design', 'Testing'] }))
  const evaluation = EvaluationSchema.parse(valueOf(await a.host.dispatch('evaluations.get', { sessionId })))
  valueOf(
    await a.host.dispatch('evaluations.complete', {
      ...draftOf(evaluation),
      problems: [
        { stars: 4, comment: 'Neat' },
        { stars: 3, comment: '' },
      ],
      criteria: [
        { label: 'Design', score: 3 },
        { label: 'Testing', score: 4 },
      ],
      recommendation: 'yes',
      summary: 'Solid.',
    }),
  )
  valueOf(await a.host.dispatch('sessions.setStatus', { id: sessionId, status: 'ended' }))
  return { sessionId, texts: [text0.toString(), text1.toString()] }
}

async function exported(a: Started, sessionId: string) {
  return ExportedBundleSchema.parse(valueOf(await a.host.dispatch('bundles.export', { sessionId })))
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-bundles-'))
})

afterEach(() => {
  for (const db of readers.splice(0)) db.close()
  for (const host of hosts.splice(0)) host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a bundle round trip', () => {
  it('brings every row of the session to a fresh Duet, with fresh secrets and the same final code', async () => {
    const a = start('a')
    const { sessionId, texts } = await recordInterview(a)
    const file = await exported(a, sessionId)
    expect(file.fileName).toMatch(/^duet-zoe-angstrom-\d{4}-\d{2}-\d{2}\.duet$/)
    const bytes = Buffer.from(file.data, 'base64')
    expect(file.bytes).toBe(bytes.length)
    expect(bytes.subarray(0, 8).toString('ascii')).toBe(BUNDLE_MAGIC)
    // Neither secret nor token travels, in any encoding.
    const secrets = a.db.prepare('SELECT secret, host_token, room_id FROM sessions WHERE id = ?').get(sessionId) as Row
    const { content } = await readBundle('x.duet', bytes)
    const json = JSON.stringify(content)
    for (const value of Object.values(secrets)) {
      expect(json).not.toContain(String(value))
      expect(bytes.includes(Buffer.from(String(value)))).toBe(false)
    }

    const b = start('b')
    const before = b.randoms.length
    const inspection = BundleInspectionSchema.parse(
      valueOf(await b.host.dispatch('bundles.inspect', { fileName: file.fileName, data: file.data })),
    )
    expect(inspection).toEqual({
      sessionId,
      title: 'Interview with Zoë Ångström',
      candidateName: 'Zoë Ångström',
      language: 'python',
      status: 'ended',
      createdAt: '2026-11-23T10:00:00.000Z',
      startedAt: '2026-11-23T10:00:00.000Z',
      endedAt: '2026-11-23T10:00:00.000Z',
      problemTitles: ['Echo', 'Twice'],
      events: expect.any(Number) as number,
      runs: 2,
      notes: 2,
      hasEvaluation: true,
      exportedAt: '2026-11-23T10:00:00.000Z',
      alreadyPresent: false,
    })
    expect(b.events).toEqual([])
    expect(valueOf(await b.host.dispatch('bundles.import', { fileName: file.fileName, data: file.data }))).toEqual({
      sessionId,
    })
    expect(b.events).toEqual([['sessions.changed', { id: sessionId }]])

    // sessions: the same but for what must be new here, which comes from the injected random source.
    const sessionSql = 'SELECT * FROM sessions WHERE id = ?'
    const [rowA] = rowsOf(a.db, sessionSql, sessionId)
    const [rowB] = rowsOf(b.db, sessionSql, sessionId)
    const fresh = ['room_id', 'secret', 'host_token']
    expect(without(rowB ?? {}, ...fresh)).toEqual(without(rowA ?? {}, ...fresh))
    const given = b.randoms.slice(before).map((r) => r.toString('base64url'))
    expect(given).toHaveLength(3)
    expect([rowB?.room_id, rowB?.secret, rowB?.host_token]).toEqual(given)
    for (const key of fresh) expect(rowB?.[key]).not.toBe(rowA?.[key])

    // Frozen problems: the same JSON text; the source problem is in A's bank, not B's.
    const problemSql = 'SELECT * FROM session_problems WHERE session_id = ? ORDER BY position'
    expect(rowsOf(b.db, problemSql, sessionId)).toEqual(
      rowsOf(a.db, problemSql, sessionId).map((r) => ({ ...r, source_problem_id: null })),
    )

    // Events: the same in order, bytes as bytes and text as text, with their ids (numbered per session).
    const eventSql = 'SELECT * FROM session_events WHERE session_id = ? ORDER BY id'
    const eventsA = rowsOf(a.db, eventSql, sessionId)
    const eventsB = rowsOf(b.db, eventSql, sessionId)
    expect(eventsB).toEqual(eventsA)
    expect(eventsA.filter((e) => e.kind === 'yjs').every((e) => e.data instanceof Uint8Array)).toBe(true)
    expect(eventsB.filter((e) => e.kind === 'yjs').every((e) => e.data instanceof Uint8Array)).toBe(true)

    // Snapshots: the same stored states, each naming the same event.
    const snapshotSql = 'SELECT * FROM session_snapshots WHERE session_id = ? ORDER BY id'
    const snapshotsA = rowsOf(a.db, snapshotSql, sessionId)
    const snapshotsB = rowsOf(b.db, snapshotSql, sessionId)
    expect(snapshotsA).toHaveLength(2)
    expect(snapshotsB.map((s) => without(s, 'id'))).toEqual(snapshotsA.map((s) => without(s, 'id')))
    expect(snapshotsA.every((s) => eventsA.some((e) => e.id === s.last_event_id))).toBe(true)

    for (const table of ['runs', 'notes']) {
      const sql = `SELECT * FROM ${table} WHERE session_id = ? ORDER BY id`
      expect(rowsOf(b.db, sql, sessionId).map((r) => without(r, 'id'))).toEqual(
        rowsOf(a.db, sql, sessionId).map((r) => without(r, 'id')),
      )
    }
    for (const sql of [
      'SELECT * FROM evaluations WHERE session_id = ?',
      'SELECT * FROM evaluation_problems WHERE session_id = ? ORDER BY position',
    ]) {
      expect(rowsOf(b.db, sql, sessionId)).toEqual(rowsOf(a.db, sql, sessionId))
      expect(rowsOf(b.db, sql, sessionId).length).toBeGreaterThan(0)
    }
    // Every table that holds a session's rows, including derived ones kept by triggers (search).
    for (const table of sessionTables(a.db)) {
      const count = `SELECT count(*) FROM "${table}" WHERE session_id = ?`
      expect({ table, rows: b.db.prepare(count).pluck().get(sessionId) }).toEqual({
        table,
        rows: a.db.prepare(count).pluck().get(sessionId),
      })
    }

    // The rebuilt code, through the host API on both sides.
    const load = async (s: Started) =>
      RecordingSchema.parse(valueOf(await s.host.dispatch('recording.load', { sessionId })))
    const [recordingA, recordingB] = [await load(a), await load(b)]
    expect(finalTexts(recordingB, 2)).toEqual(texts)
    expect(finalTexts(recordingA, 2)).toEqual(texts)
    // Replay seeks from the snapshots: they read back as the same states.
    const states = (r: Recording) => r.snapshots.map((s) => ({ tMs: s.tMs, state: s.state }))
    expect(states(recordingB)).toEqual(states(recordingA))
    const fromSnapshot = new Y.Doc()
    Y.applyUpdate(fromSnapshot, Buffer.from(recordingB.snapshots.at(-1)?.state ?? '', 'base64'))
    expect(problemText(fromSnapshot, 0).toString()).toBe(texts[0])
    expect(texts[0]).toContain('return x  # done')

    // Exported again from B, it holds the same content (only the export differs).
    const again = await readBundle('again.duet', Buffer.from((await exported(b, sessionId)).data, 'base64'))
    expect(again.content).toEqual(content)
  })

  it('keeps the ids of a bundle from a Duet that numbered events across sessions, and numbers new ones after them', async () => {
    const a = start('a')
    const { sessionId, texts } = await recordInterview(a)
    const { content } = await readBundle('a.duet', Buffer.from((await exported(a, sessionId)).data, 'base64'))
    // Rising ids with gaps, where other sessions' events were; snapshots name them.
    const spread = (id: number) => (id === 0 ? 0 : id * 10 + 7)
    const older: BundleContent = {
      ...content,
      events: content.events.map((e) => ({ ...e, id: spread(e.id) })),
      snapshots: content.snapshots.map((s) => ({ ...s, lastEventId: spread(s.lastEventId) })),
    }
    const file = await writeBundle(older, { exportedAt: new Date(), appVersion: '0.0.9' })
    const b = start('b')
    valueOf(await b.host.dispatch('bundles.import', { fileName: 'older.duet', data: base64(file) }))

    const load = async () => RecordingSchema.parse(valueOf(await b.host.dispatch('recording.load', { sessionId })))
    const recording = await load()
    expect(recording.events.map((e) => e.id)).toEqual(older.events.map((e) => e.id))
    expect(recording.snapshots.map((s) => s.lastEventId)).toEqual(older.snapshots.map((s) => s.lastEventId))
    expect(finalTexts(recording, 2)).toEqual(texts)
    const last = older.events.at(-1)?.id ?? 0
    valueOf(await b.host.dispatch('recording.append', { sessionId, events: [{ tMs: 9000, kind: 'leave' }] }))
    expect((await load()).events.at(-1)).toMatchObject({ id: last + 1, kind: 'leave' })
  })

  it('exports a session with no events, runs, notes or evaluation', async () => {
    const a = start('a')
    const session = SessionSchema.parse(
      valueOf(await a.host.dispatch('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [2] } })),
    )
    const file = await exported(a, session.id)
    expect(file.fileName).toBe(`duet-interview-${file.fileName.slice(-15)}`)
    const b = start('b')
    valueOf(await b.host.dispatch('bundles.import', file))
    expect(SessionSchema.parse(valueOf(await b.host.dispatch('sessions.get', { id: session.id })))).toMatchObject({
      title: 'Interview',
      status: 'created',
      problems: [{ title: 'Twice', sourceProblemId: null }],
    })
  })

  it('says there is no such session to export', async () => {
    const a = start('a')
    expect(errorOf(await a.host.dispatch('bundles.export', { sessionId: 'nope' }))).toMatchObject({
      code: 'not-found',
      message: 'There is no session with id nope.',
    })
  })

  it('refuses to export a session whose file would be too large to import', async () => {
    const a = start('a')
    const session = SessionSchema.parse(
      valueOf(await a.host.dispatch('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [1] } })),
    )
    // Random bytes do not compress: two 9 MB snapshots make a file well over the limit.
    for (const tMs of [1, 2]) {
      valueOf(
        await a.host.dispatch('recording.append', {
          sessionId: session.id,
          events: [{ tMs, kind: 'focus-lost' }],
          snapshot: { tMs, state: base64(randomBytes(9_000_000)) },
        }),
      )
    }
    expect(errorOf(await a.host.dispatch('bundles.export', { sessionId: session.id }))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/too large for a bundle: its file would be 1\d MB.*at most 16 MB/) as string,
    })
  })
})

describe('refused bundles', () => {
  let a: Started
  let b: Started
  let good: Buffer
  let sessionId: string
  let content: BundleContent

  beforeEach(async () => {
    a = start('a')
    ;({ sessionId } = await recordInterview(a))
    good = Buffer.from((await exported(a, sessionId)).data, 'base64')
    ;({ content } = await readBundle('good.duet', good))
    b = start('b')
  })

  /** Both inspect and import refuse the file with this error, and no table of B gains or loses a row. */
  async function refused(bytes: Uint8Array, fileName = 'interview.duet'): Promise<HostErrorShape> {
    const counts = tableCounts(b.db)
    const input = { fileName, data: base64(bytes) }
    const inspected = errorOf(await b.host.dispatch('bundles.inspect', input))
    const imported = errorOf(await b.host.dispatch('bundles.import', input))
    expect(imported).toEqual(inspected)
    expect(tableCounts(b.db)).toEqual(counts)
    expect(b.events).toEqual([])
    return imported
  }

  const headerLength = () => good.readUInt32BE(8)

  it('refuses a file cut short anywhere, saying it is incomplete', async () => {
    const payloadStart = 12 + headerLength()
    const cuts = [3, 10, 12 + Math.floor(headerLength() / 2), payloadStart + 1, Math.floor(good.length / 2)]
    cuts.push(good.length - 33, good.length - 32, good.length - 1)
    for (const cut of cuts) {
      const error = await refused(good.subarray(0, cut))
      expect({ cut, code: error.code }).toEqual({ cut, code: 'invalid-input' })
      expect(error.message).toMatch(
        /^interview\.duet is incomplete: the file ends (inside its header|after \d+ of its \d+ bytes)\. It was probably cut short while being downloaded or copied\./,
      )
    }
    expect((await refused(good.subarray(0, good.length - 1))).message).toContain(
      `after ${good.length - 1} of its ${good.length} bytes`,
    )
  })

  it('refuses a file with one byte changed in the middle as damaged or edited', async () => {
    const flipped = Buffer.from(good)
    const middle = Math.floor(good.length / 2)
    flipped[middle] = (flipped[middle] ?? 0) ^ 0x01
    expect((await refused(flipped)).message).toMatch(
      /^interview\.duet is damaged or was edited after it was exported: its checksum does not match its content\. Copy the whole file again/,
    )
  })

  it('refuses a file whose header was edited, even to another version', async () => {
    for (const [from, to] of [
      ['"appVersion":"0.1.0"', '"appVersion":"9.9.9"'],
      ['"exportedAt":"2026-11-23', '"exportedAt":"2020-11-23'],
      ['"version":1', '"version":7'],
    ] as const) {
      const header = good.subarray(12, 12 + headerLength()).toString('utf8')
      expect(header).toContain(from)
      const edited = Buffer.concat([
        good.subarray(0, 12),
        Buffer.from(header.replace(from, to)),
        good.subarray(12 + headerLength()),
      ])
      expect(edited.length).toBe(good.length)
      expect((await refused(edited)).message).toContain('is damaged or was edited after it was exported')
    }
  })

  it('refuses a file whose checksum was edited', async () => {
    const edited = Buffer.from(good)
    edited[edited.length - 5] = (edited[edited.length - 5] ?? 0) ^ 0xff
    expect((await refused(edited)).message).toContain('its checksum does not match its content')
  })

  it('refuses a file with bytes added after its end', async () => {
    const longer = Buffer.concat([good, Buffer.from('more')])
    expect((await refused(longer)).message).toBe(
      'interview.duet is damaged or was edited: it has 4 bytes more than its header says. ' +
        'Copy the whole file again from where it was exported, or export the session again.',
    )
  })

  it('refuses a file from a newer Duet, naming both versions', async () => {
    const header = JSON.parse(good.subarray(12, 12 + headerLength()).toString('utf8')) as BundleHeader
    const payload = good.subarray(12 + headerLength(), good.length - 32)
    const newer = assembleBundle({ ...header, version: 2, somethingNew: true }, payload)
    expect((await refused(newer, 'from-2030.duet')).message).toBe(
      'from-2030.duet was made by a newer Duet (session bundle version 2; this Duet reads version 1). ' +
        'Update Duet to import it.',
    )
  })

  it('refuses an empty file and anything that is not a bundle', async () => {
    expect((await refused(Buffer.alloc(0), 'empty.duet')).message).toBe(
      'empty.duet is empty, so it is not a Duet session bundle. Choose a .duet file.',
    )
    const notBundles = [
      Buffer.from(stringify({ format: PACK_FORMAT, version: 1, problems: [] })),
      gzipSync(Buffer.from(JSON.stringify(content))),
      Buffer.from('DUET'.repeat(5)),
      randomBytes(4096),
    ]
    for (const bytes of notBundles) {
      expect((await refused(bytes, 'pack.yaml')).message).toBe(
        'pack.yaml is not a Duet session bundle. Choose a .duet file that Duet exported from a session.',
      )
    }
    // The start of the magic, and nothing more, is a bundle cut short.
    expect((await refused(Buffer.from('DUET'))).message).toContain('is incomplete')
  })

  it('refuses a header that cannot be read, with a sound checksum', async () => {
    const payload = good.subarray(12 + headerLength(), good.length - 32)
    const notJson = Buffer.concat([Buffer.from(BUNDLE_MAGIC), Buffer.from([0, 0, 0, 3]), Buffer.from('{{{')])
    const sealed = Buffer.concat([notJson, createHash('sha256').update(notJson).digest()])
    expect((await refused(sealed)).message).toMatch(/^interview\.duet is damaged: its header is not JSON\. Copy/)
    const huge = Buffer.from(good)
    huge.writeUInt32BE(0x7fff_ffff, 8)
    expect((await refused(huge)).message).toMatch(/is damaged: its header claims to be 2147483647 bytes long/)
    const strange = assembleBundle({ format: 'duet-session-bundle', version: 1, payloadBytes: payload.length }, payload)
    expect((await refused(strange)).message).toMatch(/is damaged: its header is unreadable \(contentBytes: required/)
  })

  it('refuses content that fails the schema, naming each field, even with a sound checksum', async () => {
    const cases: [string, unknown, string][] = [
      ['language', { ...content, session: { ...content.session, language: 'ruby' } }, 'session.language'],
      ['secret', { ...content, session: { ...content.session, secret: 'leaked' } }, 'session'],
      [
        'snapshot',
        { ...content, snapshots: [{ ...content.snapshots[0], lastEventId: 999_999 }] },
        'snapshots[0].lastEventId',
      ],
      ['run problem', { ...content, runs: [{ ...content.runs[0], problem: 7 }] }, 'runs[0].problem'],
      [
        'event bytes',
        { ...content, events: content.events.map((e, i) => (i === 0 ? { ...e, data: { bytes: 'not base64!' } } : e)) },
        'events[0].data.bytes',
      ],
      [
        'stars',
        { ...content, evaluation: { ...content.evaluation, problems: [{ position: 0, stars: 9, comment: '' }] } },
        'evaluation.problems[0].stars',
      ],
    ]
    for (const [what, bad, path] of cases) {
      expect({ what, valid: BundleContentSchema.safeParse(bad).success }).toEqual({ what, valid: false })
      const file = await writeBundle(bad as BundleContent, { exportedAt: new Date(), appVersion: 'test' })
      const error = await refused(file)
      expect({ what, paths: error.issues.map((i) => i.path) }).toEqual({ what, paths: [path] })
      expect(error.message).toMatch(
        new RegExp(
          `^interview\\.duet holds a session this Duet cannot import: ${path.replace(/[[\].]/g, '\\$&')}: .+\\. If a newer Duet exported it, update Duet; otherwise export the session again\\.$`,
        ),
      )
    }
  })

  it('refuses content that is not JSON or does not match its size, with a sound checksum', async () => {
    const header = JSON.parse(good.subarray(12, 12 + headerLength()).toString('utf8')) as BundleHeader
    const notJson = gzipSync(Buffer.from('not json'))
    const file = assembleBundle({ ...header, payloadBytes: notJson.length, contentBytes: 8 }, notJson)
    expect((await refused(file)).message).toMatch(/^interview\.duet is damaged: its content is not JSON\./)
    const payload = good.subarray(12 + headerLength(), good.length - 32)
    const wrongSize = assembleBundle({ ...header, contentBytes: header.contentBytes + 1 }, payload)
    expect((await refused(wrongSize)).message).toMatch(/is damaged: its content is \d+ bytes where its header says/)
    const notGzip = assembleBundle({ ...header, payloadBytes: 5 }, Buffer.from('plain'))
    expect((await refused(notGzip)).message).toMatch(/is damaged: its content cannot be decompressed/)
  })

  it('refuses a session already here, naming it and pointing to History', async () => {
    const input = { fileName: 'again.duet', data: base64(good) }
    valueOf(await b.host.dispatch('bundles.import', input))
    b.events.splice(0)
    expect(BundleInspectionSchema.parse(valueOf(await b.host.dispatch('bundles.inspect', input)))).toMatchObject({
      alreadyPresent: true,
    })
    const counts = tableCounts(b.db)
    const error = errorOf(await b.host.dispatch('bundles.import', input))
    expect(error).toMatchObject({ code: 'conflict' })
    expect(error.message).toMatch(
      /^This session, “Interview with Zoë Ångström” with Zoë Ångström on \d{4}-\d{2}-\d{2}, is already in this Duet: find it in History\./,
    )
    expect(tableCounts(b.db)).toEqual(counts)
    expect(b.events).toEqual([])
    // And on the machine it came from.
    expect(errorOf(await a.host.dispatch('bundles.import', input)).code).toBe('conflict')
  })

  it('writes nothing when the database fails halfway through the import', async () => {
    // The session, its problems, events, snapshots and runs are inserted before the notes.
    const writer = new Database(databasePathIn(join(dir, 'b')))
    writer.exec("CREATE TRIGGER fail_notes BEFORE INSERT ON notes BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
    const counts = tableCounts(b.db)
    const input = { fileName: 'interview.duet', data: base64(good) }
    expect(errorOf(await b.host.dispatch('bundles.import', input)).code).toBe('internal')
    expect(tableCounts(b.db)).toEqual(counts)
    expect(b.events).toEqual([])
    writer.exec('DROP TRIGGER fail_notes')
    writer.close()
    expect(valueOf(await b.host.dispatch('bundles.import', input))).toEqual({ sessionId })
  })

  it('refuses a file over the size limit with a clear message', async () => {
    const over = Buffer.alloc(MAX_BUNDLE_BYTES + 1)
    good.copy(over)
    expect(errorOf(await b.host.dispatch('bundles.import', { fileName: 'big.duet', data: base64(over) }))).toEqual({
      code: 'invalid-input',
      message:
        'big.duet is larger than 16 MB, the most a session bundle may be, and Duet never exports a larger one. ' +
        'Check that you chose the right file.',
      issues: [],
    })
    // Larger still, the host API refuses the call before the service sees it.
    const far = errorOf(
      await b.host.dispatch('bundles.import', { fileName: 'big.duet', data: base64(Buffer.concat([over, over])) }),
    )
    expect(far.issues).toEqual([
      { path: 'data', message: 'the file is larger than 16 MB, the most a session bundle may hold' },
    ])
  })

  it('refuses data that is not base64', async () => {
    const error = errorOf(await b.host.dispatch('bundles.import', { fileName: 'x.duet', data: 'abc*' }))
    expect(error.message).toBe('x.duet could not be read: its data did not arrive as base64.')
  })
})
