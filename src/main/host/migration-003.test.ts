import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, type Db } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'
import { databaseFiles } from './test-support/database-files'

const files = databaseFiles('duet-m003-')

function columnsOf(db: Db): Record<string, { notnull: number; dflt_value: string | null }> {
  const rows = db.prepare('PRAGMA table_info(runs)').all() as {
    name: string
    notnull: number
    dflt_value: string | null
  }[]
  return Object.fromEntries(rows.map(({ name, notnull, dflt_value }) => [name, { notnull, dflt_value }]))
}

const insertRun = (db: Db, runId: string) =>
  db
    .prepare(
      `INSERT INTO runs (session_id, run_id, problem, side, language, code, code_hash, status, duration_ms, t_ms, created_at)
       VALUES ('a', ?, 0, 'candidate', 'python', '', '', 'ok', NULL, 0, '')`,
    )
    .run(runId)

describe('migration 3: run id, message and optional duration', () => {
  it('gives a file created empty the new columns, a unique run id per session and the index', () => {
    const db = files.reopen(files.path('empty.sqlite'))
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(3)
    expect(columnsOf(db)).toMatchObject({
      run_id: { notnull: 1, dflt_value: null },
      message: { notnull: 0, dflt_value: null },
      duration_ms: { notnull: 0, dflt_value: null },
      test_results: { notnull: 1, dflt_value: "'null'" },
    })
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs'")
      .pluck()
      .all()
    expect(indexes).toContain('runs_by_session')
    db.prepare(
      "INSERT INTO sessions (id, room_id, secret, language, created_at) VALUES ('a', 'room-a', 's', 'python', '')",
    ).run()
    insertRun(db, 'r1')
    expect(() => insertRun(db, 'r1')).toThrow(/UNIQUE/)
    expect(db.prepare('SELECT duration_ms FROM runs').pluck().all()).toEqual([null])
  })

  it('keeps runs stored at version 2, naming each by its row, and still deletes them with their session', () => {
    const path = files.path('v2.sqlite')
    const v2 = new Database(path)
    v2.pragma('foreign_keys = ON')
    expect(migrate(v2, 2)).toBe(2)
    v2.prepare(
      "INSERT INTO sessions (id, room_id, secret, language, created_at) VALUES ('a', 'room-a', 's', 'python', '2026-11-23T10:00:00.000Z')",
    ).run()
    v2.prepare(
      `INSERT INTO runs (id, session_id, problem, side, kind, language, code, code_hash, stdout, stderr, status,
         duration_ms, test_results, t_ms, created_at)
       VALUES (7, 'a', 1, 'interviewer', 'hidden-tests', 'javascript', 'f()', 'hash', 'out', 'err', 'error',
         33, '[{"name":"t"}]', 4200, '2026-11-23T10:01:00.000Z')`,
    ).run()
    v2.close()

    const db = files.reopen(path)
    expect(db.prepare('SELECT * FROM runs').all()).toEqual([
      {
        id: 7,
        session_id: 'a',
        run_id: 'row-7',
        problem: 1,
        side: 'interviewer',
        kind: 'hidden-tests',
        language: 'javascript',
        code: 'f()',
        code_hash: 'hash',
        stdout: 'out',
        stderr: 'err',
        status: 'error',
        duration_ms: 33,
        test_results: '[{"name":"t"}]',
        message: null,
        t_ms: 4200,
        created_at: '2026-11-23T10:01:00.000Z',
      },
    ])
    db.prepare("DELETE FROM sessions WHERE id = 'a'").run()
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0)
  })
})
