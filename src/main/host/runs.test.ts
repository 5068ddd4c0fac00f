import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MAX_CODE_CHARS } from '../../shared/exec/run'
import type { HostReply } from '../../shared/host-errors'
import { PACK_FORMAT } from '../../shared/pack'
import type { ProblemDraft } from '../../shared/problem'
import { MAX_STORED_OUTPUT_CHARS, RunMarkSchema, StoredRunSchema, type RunRecord } from '../../shared/run-record'
import { RecordingSchema, SessionSchema, type Session } from '../../shared/session'
import { databasePathIn } from './data-dir'
import { createHost, type Host } from './host'

let dir: string
let host: Host
let session: Session

function draft(slug: string): ProblemDraft {
  return {
    title: `Title ${slug}`,
    slug,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve(x):\n    pass\n' },
    solution: { python: 'def solve(x):\n    return x\n' },
    tests: [{ name: 'one', args: [1], expected: 1 }],
  }
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

function errorOf(reply: HostReply) {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value)}`)
  return reply.error
}

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    sessionId: session.id,
    runId: 'run-1',
    problem: 0,
    side: 'candidate',
    kind: 'run',
    language: 'python',
    code: 'print("hé")\n',
    stdout: 'hé\n',
    stderr: '',
    status: 'ok',
    durationMs: 12.6,
    testResults: null,
    message: null,
    tMs: 1500,
    ...overrides,
  }
}

const record = async (input: unknown) => StoredRunSchema.parse(valueOf(await host.dispatch('runs.record', input)))
const list = async (sessionId = session.id) =>
  z.array(StoredRunSchema).parse(valueOf(await host.dispatch('runs.list', { sessionId })))
const marks = async () =>
  RecordingSchema.parse(valueOf(await host.dispatch('recording.load', { sessionId: session.id })))
    .events.filter((e) => e.kind === 'run')
    .map((e) => ({ tMs: e.tMs, problem: e.problem, mark: RunMarkSchema.parse(JSON.parse(e.data)) }))

const openHost = (): Host =>
  createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: join(dir, 'starter-pack.yaml'),
    now: () => new Date('2026-11-23T10:00:00.000Z'),
    log: () => undefined,
  })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duet-runs-'))
  const packPath = join(dir, 'starter-pack.yaml')
  writeFileSync(packPath, stringify({ format: PACK_FORMAT, version: 1, problems: [draft('one'), draft('two')] }))
  host = openHost()
  session = SessionSchema.parse(
    valueOf(
      await host.dispatch('sessions.create', {
        language: 'python',
        problems: { mode: 'random', difficulty: 'junior', count: 2 },
      }),
    ),
  )
})

afterEach(() => {
  host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('runs.record and runs.list', () => {
  it('stores a run with its code hash and marks it on the timeline', async () => {
    const stored = await record(run())
    expect(stored).toEqual({
      id: stored.id,
      runId: 'run-1',
      problem: 0,
      side: 'candidate',
      kind: 'run',
      language: 'python',
      code: 'print("hé")\n',
      codeHash: createHash('sha256').update('print("hé")\n', 'utf8').digest('hex'),
      stdout: 'hé\n',
      stderr: '',
      status: 'ok',
      durationMs: 13,
      testResults: null,
      message: null,
      tMs: 1500,
      createdAt: '2026-11-23T10:00:00.000Z',
    })
    expect(await list()).toEqual([stored])
    expect(await marks()).toEqual([
      { tMs: 1500, problem: 0, mark: { runId: 'run-1', side: 'candidate', kind: 'run', status: 'ok' } },
    ])
  })

  it('keeps test results, messages and unfinished runs exactly, ordered by start time', async () => {
    const tests = [
      { name: 'one', status: 'pass' as const, expected: [1, 2], actual: [1, 2], stdout: 'a\n', durationMs: 0.5 },
      {
        name: 'two',
        status: 'error' as const,
        expected: { k: null },
        error: 'line 3: boom',
        stdout: '',
        durationMs: 1,
      },
    ]
    await record(run({ runId: 'late', side: 'interviewer', kind: 'hidden-tests', testResults: tests, tMs: 9000 }))
    await record(
      run({ runId: 'early', status: 'stopped', durationMs: null, message: 'The link dropped.', tMs: 10, problem: 1 }),
    )
    const runs = await list()
    expect(runs.map((r) => r.runId)).toEqual(['early', 'late'])
    expect(runs[0]).toMatchObject({ status: 'stopped', durationMs: null, message: 'The link dropped.', problem: 1 })
    expect(runs[1]).toMatchObject({ side: 'interviewer', kind: 'hidden-tests', testResults: tests })
  })

  it('replaces a run recorded again under the same id, and marks it again with its final status', async () => {
    const first = await record(run({ status: 'stopped', durationMs: null, message: 'The link dropped.', stdout: 'a' }))
    const second = await record(run({ stdout: 'a\nb\n', durationMs: 40 }))
    expect(second.id).toBe(first.id)
    expect(await list()).toEqual([second])
    expect(second).toMatchObject({ status: 'ok', stdout: 'a\nb\n', durationMs: 40, message: null })
    expect((await marks()).map((m) => m.mark.status)).toEqual(['stopped', 'ok'])
  })

  it('refuses to replace a run that ended, changing nothing on disk or on the timeline', async () => {
    const tests = [{ name: 'one', status: 'pass' as const, expected: 1, actual: 1, stdout: '', durationMs: 1 }]
    const original = await record(run({ kind: 'tests', testResults: tests }))
    const again = { stdout: 'overwritten', status: 'error' as const, testResults: null }
    const placeholder = { status: 'stopped' as const, durationMs: null, message: 'The link dropped.' }
    for (const attempt of [run(again), run(placeholder), run({ ...again, durationMs: null })]) {
      expect(errorOf(await host.dispatch('runs.record', attempt))).toEqual({
        code: 'conflict',
        message:
          'Run run-1 of this session is stored already and has ended; only a run stored as stopped before its end arrived can be replaced.',
        issues: [],
      })
    }
    // A stopped run that reported its own end (it has a duration) is final too.
    const stopped = await record(run({ runId: 'stopped', status: 'stopped', durationMs: 30, message: 'Stopped.' }))
    expect(errorOf(await host.dispatch('runs.record', run({ runId: 'stopped' })))).toMatchObject({ code: 'conflict' })

    // Read back from the file itself, not through the host that wrote it.
    host.close()
    const db = new Database(databasePathIn(join(dir, 'data')), { readonly: true })
    const rows = db.prepare('SELECT run_id, status, stdout, duration_ms FROM runs ORDER BY id').all()
    const events = db.prepare("SELECT count(*) FROM session_events WHERE kind = 'run'").pluck().get()
    db.close()
    expect(rows).toEqual([
      { run_id: 'run-1', status: 'ok', stdout: 'hé\n', duration_ms: 13 },
      { run_id: 'stopped', status: 'stopped', stdout: 'hé\n', duration_ms: 30 },
    ])
    expect(events).toBe(2)
    host = openHost()
    expect(await list()).toEqual([original, stopped])
  })

  it('replaces a placeholder as often as it is stored again, until a run with an end replaces it', async () => {
    const placeholder = run({ status: 'stopped', durationMs: null, message: 'The link dropped.' })
    await record(placeholder)
    await record({ ...placeholder, stdout: 'more', message: 'The session view was closed.' })
    await record(run({ durationMs: 5 }))
    expect(errorOf(await host.dispatch('runs.record', placeholder))).toMatchObject({ code: 'conflict' })
    expect(await list()).toMatchObject([{ runId: 'run-1', status: 'ok', durationMs: 5, message: null }])
    expect((await marks()).map((m) => m.mark.status)).toEqual(['stopped', 'stopped', 'ok'])
  })

  it('picks a run id when none is given', async () => {
    const { runId: omitted, ...withoutId } = run()
    expect(omitted).toBe('run-1')
    const a = await record(withoutId)
    const b = await record(withoutId)
    expect(a.runId).not.toBe(b.runId)
    expect((await list()).length).toBe(2)
  })

  it('takes runs after the session ended: the last ones arrive as it ends', async () => {
    valueOf(await host.dispatch('sessions.setStatus', { id: session.id, status: 'ended' }))
    await record(run())
    expect((await list()).length).toBe(1)
  })

  it('refuses bad runs naming the field, and stores nothing of them', async () => {
    expect(
      errorOf(
        await host.dispatch('runs.record', {
          ...run(),
          problem: -1,
          side: 'robot',
          status: 'running',
          code: 'x'.repeat(MAX_CODE_CHARS + 1),
          stdout: 'y'.repeat(MAX_STORED_OUTPUT_CHARS + 1),
          tMs: 1.5,
          runId: 'has spaces',
        }),
      ),
    ).toMatchObject({
      code: 'invalid-input',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'problem' }),
        expect.objectContaining({ path: 'side' }),
        expect.objectContaining({ path: 'status' }),
        expect.objectContaining({ path: 'code', message: `must be at most ${MAX_CODE_CHARS} characters` }),
        expect.objectContaining({ path: 'stdout' }),
        expect.objectContaining({ path: 'tMs' }),
        expect.objectContaining({ path: 'runId' }),
      ]),
    })
    expect(
      errorOf(await host.dispatch('runs.record', run({ testResults: [{ name: 'x', status: 'pass' }] as never }))),
    ).toMatchObject({
      code: 'invalid-input',
      issues: [
        { path: 'testResults[0].expected', message: 'required' },
        { path: 'testResults[0].stdout', message: 'required' },
        { path: 'testResults[0].durationMs', message: 'required' },
      ],
    })
    expect(errorOf(await host.dispatch('runs.record', run({ kind: 'hidden-tests' })))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'kind', message: 'hidden tests run only on the interviewer side' }],
    })
    expect(errorOf(await host.dispatch('runs.record', { ...run(), extra: 1 }))).toMatchObject({
      code: 'invalid-input',
    })
    expect(errorOf(await host.dispatch('runs.record', run({ problem: 2 })))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'problem', message: 'must be below 2: the session has 2 problems' }],
    })
    await record(run({ runId: 'mine', side: 'interviewer' }))
    expect(errorOf(await host.dispatch('runs.record', run({ runId: 'mine' })))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'runId', message: 'already names a run of the interviewer' }],
    })
    expect((await list()).map((r) => r.runId)).toEqual(['mine'])
    expect((await marks()).length).toBe(1)
  })

  it('answers a missing session with not-found', async () => {
    expect(errorOf(await host.dispatch('runs.record', run({ sessionId: 'nope' })))).toMatchObject({
      code: 'not-found',
      message: 'There is no session with id nope.',
    })
    expect(errorOf(await host.dispatch('runs.list', { sessionId: 'nope' }))).toMatchObject({ code: 'not-found' })
  })

  it('says which run is unreadable when the file holds a bad one', async () => {
    await record(run())
    const db = new Database(databasePathIn(join(dir, 'data')))
    db.prepare('UPDATE runs SET test_results = \'[{"name":1}]\'').run()
    db.close()
    expect(errorOf(await host.dispatch('runs.list', { sessionId: session.id }))).toMatchObject({
      code: 'database',
      message: `The test results of run run-1 of session ${session.id} are unreadable.`,
    })
  })
})
