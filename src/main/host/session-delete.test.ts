import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostApi, HostEventName } from '../../shared/host-api'
import { createHostClient } from '../../shared/host-client'
import { HostError } from '../../shared/host-errors'
import { PACK_FORMAT, PACK_VERSION } from '../../shared/pack'
import { databasePathIn } from './data-dir'
import { createHost, type Host } from './host'

let dir: string
let host: Host
let api: HostApi
let events: [HostEventName, unknown][]
let inspector: Database.Database

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-session-delete-'))
  const packPath = join(dir, 'starter-pack.json')
  const problems = ['Two Sum', 'Merge Intervals'].map((title, i) => ({
    title,
    slug: `p-${i}`,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve():\n    pass\n' },
    solution: { python: 'def solve():\n    return 1\n' },
    tests: [{ name: 'one', args: [], expected: 1 }],
  }))
  writeFileSync(packPath, JSON.stringify({ format: PACK_FORMAT, version: PACK_VERSION, problems }))
  host = createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: packPath,
    log: () => undefined,
  })
  events = []
  host.onEvent((event, payload) => events.push([event, payload]))
  api = createHostClient({
    invoke: (method, input) => host.dispatch(method, input),
    subscribe: (event, handler) => host.onEvent((name, payload) => name === event && handler(payload)),
  })
  // A second connection, as another process would see the file.
  inspector = new Database(databasePathIn(join(dir, 'data')), { readonly: true })
})

afterEach(() => {
  inspector.close()
  host.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Every table, with virtual tables' own storage left out (an FTS index keeps its pages as it likes). */
function tables(): string[] {
  const rows = inspector.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as {
    name: string
    sql: string
  }[]
  const virtual = rows.filter((r) => /CREATE VIRTUAL TABLE/i.test(r.sql)).map((r) => r.name)
  return rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('sqlite_') && !virtual.some((v) => name.startsWith(`${v}_`)))
    .sort()
}

function rowCounts(): Record<string, number> {
  return Object.fromEntries(
    tables().map((name) => [name, inspector.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]),
  )
}

/** The rows of every table that name `sessionId` in any column. */
function rowsNaming(sessionId: string): Record<string, number> {
  const found: Record<string, number> = {}
  for (const name of tables()) {
    const columns = (inspector.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name)
    const where = columns.map((c) => `"${c}" = @id`).join(' OR ')
    const count = inspector.prepare(`SELECT count(*) FROM "${name}" WHERE ${where}`).pluck().get({ id: sessionId })
    if (count !== 0) found[name] = count as number
  }
  return found
}

/** A session with something in every table a session owns. */
async function recordedSession(candidateName: string): Promise<string> {
  const bank = await api.problems.list({})
  const session = await api.sessions.create({
    candidateName,
    language: 'python',
    problems: { mode: 'pick', ids: bank.items.map((p) => p.id) },
  })
  const sessionId = session.id
  await api.sessions.setStatus({ id: sessionId, status: 'live' })
  await api.recording.append({
    sessionId,
    events: [
      { tMs: 0, kind: 'join' },
      { tMs: 10, kind: 'yjs', problem: 0, data: Buffer.from([1, 2, 3]).toString('base64') },
    ],
    snapshot: { tMs: 10, state: Buffer.from([4, 5, 6]).toString('base64') },
  })
  await api.runs.record({
    sessionId,
    problem: 0,
    side: 'candidate',
    kind: 'run',
    language: 'python',
    code: 'print(1)',
    stdout: '1\n',
    stderr: '',
    status: 'ok',
    durationMs: 12,
    testResults: null,
    tMs: 20,
  })
  await api.notes.add({ sessionId, text: 'Asked about edge cases', tMs: 30, problem: 0 })
  await api.sessions.setStatus({ id: sessionId, status: 'ended' })
  const evaluation = await api.evaluations.get({ sessionId })
  await api.evaluations.save({
    sessionId,
    problems: evaluation.problems.map(() => ({ stars: 4, comment: 'fine' })),
    criteria: evaluation.criteria.map(({ label }) => ({ label, score: 3 })),
    recommendation: 'yes',
    summary: 'Good',
  })
  return sessionId
}

async function refusal(promise: Promise<unknown>): Promise<HostError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('sessions.delete', () => {
  it('deletes the session and every row that belongs to it, leaving the others untouched', async () => {
    await recordedSession('Grace Hopper')
    const before = rowCounts()
    const doomed = await recordedSession('Ada Lovelace')
    const filled = rowsNaming(doomed)
    for (const table of [
      'sessions',
      'session_problems',
      'session_events',
      'session_snapshots',
      'runs',
      'notes',
      'evaluations',
      'evaluation_problems',
      'session_history',
    ]) {
      expect(filled[table], table).toBeGreaterThan(0)
    }

    events.length = 0
    await expect(api.sessions.delete({ id: doomed })).resolves.toEqual({ deleted: true })

    expect(rowsNaming(doomed)).toEqual({})
    expect(rowCounts()).toEqual(before)
    expect(inspector.prepare('PRAGMA foreign_key_check').all()).toEqual([])
    expect((await api.history.search({ text: 'ada' })).total).toBe(0)
    expect((await api.history.search({ text: 'grace' })).total).toBe(1)
    expect(events).toEqual([['sessions.changed', { id: doomed }]])
    await expect(api.sessions.get({ id: doomed })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('refuses a live session, saying to end it first, and keeps it whole', async () => {
    const session = await api.sessions.create({
      candidateName: 'Alan Turing',
      language: 'python',
      problems: { mode: 'random', difficulty: 'junior', count: 1 },
    })
    await api.sessions.setStatus({ id: session.id, status: 'live' })
    const error = await refusal(api.sessions.delete({ id: session.id }))
    expect(error.code).toBe('conflict')
    expect(error.message).toBe(
      'The interview with Alan Turing is still live, so it cannot be deleted. End it first, then delete it.',
    )
    expect(rowsNaming(session.id)).toMatchObject({ sessions: 1, session_problems: 1, session_history: 1 })
  })

  it('deletes a scheduled session, and says plainly when there is none', async () => {
    const session = await api.sessions.create({
      language: 'python',
      problems: { mode: 'random', difficulty: 'junior', count: 1 },
    })
    await expect(api.sessions.delete({ id: session.id })).resolves.toEqual({ deleted: true })
    const error = await refusal(api.sessions.delete({ id: session.id }))
    expect(error.code).toBe('not-found')
    expect(error.message).toBe(`There is no session with id ${session.id}.`)
  })
})
