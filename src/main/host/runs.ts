import { createHash } from 'node:crypto'
import { z } from 'zod'
import { RunStatusSchema } from '../../shared/exec/run'
import { TestResultSchema } from '../../shared/exec/test-result'
import { HostError } from '../../shared/host-errors'
import { LanguageSchema } from '../../shared/problem'
import {
  MAX_TEST_RESULTS_JSON_CHARS,
  newRunId,
  RunIdSchema,
  RunKindSchema,
  RunSideSchema,
  type RunMark,
  type RunRecordSchema,
  type StoredRun,
} from '../../shared/run-record'
import { describeIssues, parseWith, type FieldIssue } from '../../shared/validation'
import type { Db } from './database'

export type ParsedRunRecord = z.output<typeof RunRecordSchema>

export interface RunService {
  /**
   * Stores a run and puts a `run` mark on the session timeline, in one transaction. A record
   * with a runId the session already has replaces that run only while it is a placeholder, stored
   * as stopped with no duration when the link dropped, whose real end arrived later; any other
   * is refused as a conflict. The timeline gets a mark for each record.
   */
  record(input: ParsedRunRecord): StoredRun
  /** A session's runs by the time they started, then by when they were stored. */
  list(sessionId: string): StoredRun[]
}

const RunRowSchema = z.object({
  id: z.number().int(),
  run_id: RunIdSchema,
  problem: z.number().int().nonnegative(),
  side: RunSideSchema,
  kind: RunKindSchema,
  language: LanguageSchema,
  code: z.string(),
  code_hash: z.string(),
  stdout: z.string(),
  stderr: z.string(),
  status: RunStatusSchema,
  duration_ms: z.number().int().nonnegative().nullable(),
  test_results: z.string(),
  message: z.string().nullable(),
  t_ms: z.number().int().nonnegative(),
  created_at: z.string(),
})

const StoredTestResultsSchema = z.array(TestResultSchema).nullable()

const COLUMNS =
  'id, run_id, problem, side, kind, language, code, code_hash, stdout, stderr, status, duration_ms, ' +
  'test_results, message, t_ms, created_at'

function fromDisk(raw: unknown, sessionId: string): StoredRun {
  const row = parseWith(RunRowSchema, raw)
  if (!row.ok) {
    throw new HostError('database', `A run of session ${sessionId} is unreadable: ${describeIssues(row.issues)}`)
  }
  const r = row.value
  let tests: unknown
  try {
    tests = JSON.parse(r.test_results)
  } catch {
    tests = undefined
  }
  const testResults = parseWith(StoredTestResultsSchema, tests)
  if (!testResults.ok) {
    throw new HostError('database', `The test results of run ${r.run_id} of session ${sessionId} are unreadable.`)
  }
  return {
    id: r.id,
    runId: r.run_id,
    problem: r.problem,
    side: r.side,
    kind: r.kind,
    language: r.language,
    code: r.code,
    codeHash: r.code_hash,
    stdout: r.stdout,
    stderr: r.stderr,
    status: r.status,
    durationMs: r.duration_ms,
    testResults: testResults.value,
    message: r.message,
    tMs: r.t_ms,
    createdAt: r.created_at,
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** The runs of both sides: what ran, what it printed, how it ended, and its tests. */
export function createRunService(db: Db, now: () => Date): RunService {
  const statements = {
    problemCount: db.prepare(
      'SELECT (SELECT 1 FROM sessions WHERE id = @id) AS found, (SELECT count(*) FROM session_problems WHERE session_id = @id) AS problems',
    ),
    sideOf: db.prepare('SELECT side FROM runs WHERE session_id = ? AND run_id = ?').pluck(),
    upsert: db
      .prepare(
        /* sql */ `
      INSERT INTO runs (
        session_id, run_id, problem, side, kind, language, code, code_hash, stdout, stderr, status,
        duration_ms, test_results, message, t_ms, created_at
      ) VALUES (
        @sessionId, @runId, @problem, @side, @kind, @language, @code, @codeHash, @stdout, @stderr, @status,
        @durationMs, @testResults, @message, @tMs, @createdAt
      )
      ON CONFLICT (session_id, run_id) DO UPDATE SET
        problem = excluded.problem, kind = excluded.kind, language = excluded.language,
        code = excluded.code, code_hash = excluded.code_hash, stdout = excluded.stdout,
        stderr = excluded.stderr, status = excluded.status, duration_ms = excluded.duration_ms,
        test_results = excluded.test_results, message = excluded.message, t_ms = excluded.t_ms
      WHERE runs.duration_ms IS NULL AND runs.status = 'stopped'
      RETURNING id`,
      )
      .pluck(),
    // Event ids are numbered per session (see recording.ts).
    mark: db.prepare(/* sql */ `
      INSERT INTO session_events (session_id, id, t_ms, kind, problem, data)
      SELECT @sessionId, coalesce(max(id), 0) + 1, @tMs, 'run', @problem, @data FROM session_events
      WHERE session_id = @sessionId`),
    byId: db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`),
    list: db.prepare(`SELECT ${COLUMNS} FROM runs WHERE session_id = ? ORDER BY t_ms, id`),
  }

  function problemCountOf(sessionId: string): number {
    const row = statements.problemCount.get({ id: sessionId }) as { found: number | null; problems: number }
    if (row.found === null) throw new HostError('not-found', `There is no session with id ${sessionId}.`)
    return row.problems
  }

  const write = db.transaction((input: ParsedRunRecord, runId: string, testResults: string): StoredRun => {
    const problems = problemCountOf(input.sessionId)
    const issues: FieldIssue[] = []
    if (input.problem >= problems) {
      issues.push({ path: 'problem', message: `must be below ${problems}: the session has ${problems} problems` })
    }
    const side: unknown = statements.sideOf.get(input.sessionId, runId)
    if (side !== undefined && side !== input.side) {
      issues.push({ path: 'runId', message: `already names a run of the ${String(side)}` })
    }
    if (issues.length > 0) throw new HostError('invalid-input', 'This run cannot be stored.', issues)

    const id: unknown = statements.upsert.get({
      sessionId: input.sessionId,
      runId,
      problem: input.problem,
      side: input.side,
      kind: input.kind,
      language: input.language,
      code: input.code,
      codeHash: sha256(input.code),
      stdout: input.stdout,
      stderr: input.stderr,
      status: input.status,
      durationMs: input.durationMs === null ? null : Math.round(input.durationMs),
      testResults,
      message: input.message,
      tMs: input.tMs,
      createdAt: now().toISOString(),
    })
    // The row is there and is no placeholder: the update was skipped, and nothing was written.
    if (id === undefined) {
      throw new HostError(
        'conflict',
        `Run ${runId} of this session is stored already and has ended; only a run stored as stopped before its end arrived can be replaced.`,
      )
    }
    const mark: RunMark = { runId, side: input.side, kind: input.kind, status: input.status }
    const { sessionId, tMs, problem } = input
    statements.mark.run({ sessionId, tMs, problem, data: JSON.stringify(mark) })
    return fromDisk(statements.byId.get(id), input.sessionId)
  })

  function record(input: ParsedRunRecord): StoredRun {
    // Checked before the transaction, so a refused run writes nothing.
    const testResults = JSON.stringify(input.testResults)
    if (testResults.length > MAX_TEST_RESULTS_JSON_CHARS) {
      throw new HostError('invalid-input', 'This run cannot be stored.', [
        { path: 'testResults', message: `must be at most ${MAX_TEST_RESULTS_JSON_CHARS} characters as JSON` },
      ])
    }
    return write(input, input.runId ?? newRunId(), testResults)
  }

  function list(sessionId: string): StoredRun[] {
    problemCountOf(sessionId)
    return statements.list.all(sessionId).map((raw) => fromDisk(raw, sessionId))
  }

  return { record, list }
}
