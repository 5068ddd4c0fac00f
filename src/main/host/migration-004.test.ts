import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, type Db } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'
import { databaseFiles } from './test-support/database-files'

const files = databaseFiles('duet-m004-')

const insertSession = (db: Db, id: string, candidate: string, title: string) =>
  db
    .prepare(
      `INSERT INTO sessions (id, room_id, secret, title, candidate_name, language, created_at)
       VALUES (?, ?, 's', ?, ?, 'python', '2026-11-23T10:00:00.000Z')`,
    )
    .run(id, `room-${id}`, title, candidate)

const insertProblem = (db: Db, sessionId: string, position: number, title: string) =>
  db
    .prepare('INSERT INTO session_problems (session_id, position, problem) VALUES (?, ?, ?)')
    .run(sessionId, position, JSON.stringify({ title, description: 'not searched' }))

/** Session ids whose history row matches an FTS query. */
const matching = (db: Db, query: string): string[] =>
  db
    .prepare(
      `SELECT h.session_id FROM session_history_fts f JOIN session_history h ON h.id = f.rowid
       WHERE session_history_fts MATCH ? ORDER BY h.session_id`,
    )
    .pluck()
    .all(query) as string[]
const historyRows = (db: Db) =>
  db
    .prepare(
      `SELECT session_id, candidate_name, title, problems, status, start_at, duration_ms, recommendation, score
       FROM session_history ORDER BY session_id`,
    )
    .all()

/** FTS5's own check that the index agrees with its content table; throws when it does not. */
const checkIndex = (db: Db) =>
  db.prepare("INSERT INTO session_history_fts (session_history_fts) VALUES ('integrity-check')").run()

const CREATED = '2026-11-23T10:00:00.000Z'

describe('migration 4: history search', () => {
  it('gives a file created empty the history table, its text index, the triggers and the indexes', () => {
    const db = files.reopen(files.path('empty.sqlite'))
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(4)
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')").pluck().all()
    expect(names).toEqual(
      expect.arrayContaining([
        'session_history',
        'session_history_fts',
        'session_history_on_session_insert',
        'session_history_on_problem_delete',
        'session_history_on_evaluation_update',
        'session_history_by_start',
        'session_history_by_candidate',
        'session_history_by_score',
        'session_history_by_duration',
      ]),
    )
  })

  it('keeps the text in step with sessions, their frozen problems and deletion', () => {
    const db = files.reopen(files.path('text.sqlite'))
    insertSession(db, 'a', 'Ada Lovelace', 'Backend screen')
    insertSession(db, 'b', 'Grace Hopper', '')
    insertProblem(db, 'a', 1, 'Merge Intervals')
    insertProblem(db, 'a', 0, 'Two Sum')
    expect(historyRows(db)).toMatchObject([
      {
        session_id: 'a',
        candidate_name: 'Ada Lovelace',
        title: 'Backend screen',
        problems: '["Two Sum","Merge Intervals"]',
      },
      { session_id: 'b', candidate_name: 'Grace Hopper', title: '', problems: '[]' },
    ])
    expect(matching(db, 'merge')).toEqual(['a'])

    db.prepare("UPDATE sessions SET candidate_name = 'Grace Brewster Hopper', title = 'Pairing' WHERE id = 'b'").run()
    db.prepare('UPDATE session_problems SET problem = ? WHERE session_id = ? AND position = 1').run(
      JSON.stringify({ title: 'Balanced Brackets' }),
      'a',
    )
    db.prepare("DELETE FROM session_problems WHERE session_id = 'a' AND position = 0").run()
    expect(matching(db, 'brewster AND pairing')).toEqual(['b'])
    expect(matching(db, 'merge OR two')).toEqual([])
    expect(matching(db, 'balanced')).toEqual(['a'])

    db.prepare("DELETE FROM sessions WHERE id = 'a'").run()
    expect(historyRows(db)).toHaveLength(1)
    expect(matching(db, 'balanced OR ada')).toEqual([])
    checkIndex(db)
  })

  it('follows the status, the start and end, and the evaluation', () => {
    const db = files.reopen(files.path('facts.sqlite'))
    insertSession(db, 'a', 'Ada Lovelace', '')
    expect(historyRows(db)).toMatchObject([{ status: 'created', start_at: CREATED, duration_ms: null }])

    db.prepare("UPDATE sessions SET status = 'live', started_at = '2026-11-23T11:00:00.000Z' WHERE id = 'a'").run()
    expect(historyRows(db)).toMatchObject([{ status: 'live', start_at: '2026-11-23T11:00:00.000Z', duration_ms: null }])
    db.prepare("UPDATE sessions SET status = 'ended', ended_at = '2026-11-23T11:45:30.250Z' WHERE id = 'a'").run()
    expect(historyRows(db)).toMatchObject([{ status: 'ended', duration_ms: 45 * 60_000 + 30_250 }])

    db.prepare("INSERT INTO evaluations (session_id, updated_at) VALUES ('a', ?)").run(CREATED)
    expect(historyRows(db)).toMatchObject([{ recommendation: null, score: null }])
    db.prepare("UPDATE evaluations SET recommendation = 'yes', score = 3.5 WHERE session_id = 'a'").run()
    expect(historyRows(db)).toMatchObject([{ recommendation: 'yes', score: 3.5 }])
    db.prepare("DELETE FROM evaluations WHERE session_id = 'a'").run()
    expect(historyRows(db)).toMatchObject([{ recommendation: null, score: null }])
    checkIndex(db)
  })

  it('fills the table from the sessions stored at version 3, with their problems in order and evaluations', () => {
    const path = files.path('v3.sqlite')
    const v3 = new Database(path)
    v3.pragma('foreign_keys = ON')
    expect(migrate(v3, 3)).toBe(3)
    insertSession(v3, 'a', 'Zoë Ångström', 'Interview with Zoë Ångström')
    insertSession(v3, 'b', '', 'Unnamed')
    insertProblem(v3, 'a', 1, 'Café Orders')
    insertProblem(v3, 'a', 0, 'Two Sum')
    v3.prepare(
      `UPDATE sessions SET status = 'ended', started_at = '2026-11-23T10:30:00.000Z',
         ended_at = '2026-11-23T11:00:00.000Z' WHERE id = 'a'`,
    ).run()
    v3.prepare(
      "INSERT INTO evaluations (session_id, recommendation, score, updated_at) VALUES ('a', 'strong-no', 1.5, ?)",
    ).run(CREATED)
    v3.close()

    const db = files.reopen(path)
    expect(historyRows(db)).toEqual([
      {
        session_id: 'a',
        candidate_name: 'Zoë Ångström',
        title: 'Interview with Zoë Ångström',
        problems: '["Two Sum","Café Orders"]',
        status: 'ended',
        start_at: '2026-11-23T10:30:00.000Z',
        duration_ms: 30 * 60_000,
        recommendation: 'strong-no',
        score: 1.5,
      },
      {
        session_id: 'b',
        candidate_name: '',
        title: 'Unnamed',
        problems: '[]',
        status: 'created',
        start_at: CREATED,
        duration_ms: null,
        recommendation: null,
        score: null,
      },
    ])
    expect(matching(db, 'zoe AND cafe')).toEqual(['a'])
    checkIndex(db)
  })
})
