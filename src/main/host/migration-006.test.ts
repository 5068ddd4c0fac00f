import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { AppendEventsSchema } from '../../shared/session'
import { migrate, type Db } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'
import { createRecordingService } from './recording'
import { databaseFiles } from './test-support/database-files'

const files = databaseFiles('duet-m006-')

/** What a migration must leave the events table: its columns, key, reference, and no index. */
function shapeOf(db: Db) {
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'session_events'").pluck().get()
  return {
    withoutRowid: typeof sql === 'string' && /\)\s*WITHOUT ROWID$/.test(sql),
    columns: db
      .prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid')
      .all('session_events'),
    references: db
      .prepare('SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)')
      .all('session_events'),
    indexes: db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'session_events'").all(),
  }
}

const SHAPE = {
  withoutRowid: true,
  columns: [
    { name: 'id', type: 'INTEGER', notnull: 1, pk: 2 },
    { name: 'session_id', type: 'TEXT', notnull: 1, pk: 1 },
    { name: 't_ms', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'kind', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'problem', type: 'INTEGER', notnull: 0, pk: 0 },
    { name: 'data', type: 'BLOB', notnull: 0, pk: 0 },
  ],
  references: [{ table: 'sessions', from: 'session_id', to: 'id', on_delete: 'CASCADE' }],
  indexes: [],
}

const addSession = (db: Database.Database, id: string) =>
  db
    .prepare(
      "INSERT INTO sessions (id, room_id, secret, language, created_at) VALUES (?, ?, 's', 'python', '2026-11-23T10:00:00.000Z')",
    )
    .run(id, `room-${id}`)

describe('migration 6: session events clustered by session', () => {
  it('gives a file created empty the clustered table', () => {
    const db = files.reopen(files.path('empty.sqlite'))
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(6)
    expect(shapeOf(db)).toEqual(SHAPE)
  })

  it('keeps every event of a version 5 file with its id, so snapshots name the same events', () => {
    const path = files.path('v5.sqlite')
    const v5 = new Database(path)
    v5.pragma('foreign_keys = ON')
    expect(migrate(v5, 5)).toBe(5)
    addSession(v5, 'a')
    addSession(v5, 'b')
    // Ids were numbered across sessions: two sessions recorded at once take turns.
    const insert = v5.prepare(
      'INSERT INTO session_events (session_id, t_ms, kind, problem, data) VALUES (?, ?, ?, ?, ?)',
    )
    const rows = [
      ['a', 0, 'join', null, '{"name":"Ada"}'],
      ['b', 0, 'join', null, ''],
      ['a', 10, 'yjs', 0, Buffer.from([1, 2, 3])],
      ['a', 20, 'yjs', 0, Buffer.from([4, 5])],
      ['b', 15, 'focus-lost', 1, null],
      ['a', 30, 'run', 0, '{"runId":"r"}'],
    ] as const
    for (const row of rows) insert.run(...row)
    v5.prepare(
      "INSERT INTO session_snapshots (session_id, t_ms, last_event_id, state) VALUES ('a', 20, 4, X'0000')",
    ).run()
    const eventsBefore = v5.prepare('SELECT * FROM session_events ORDER BY session_id, id').all()
    expect(eventsBefore).toHaveLength(rows.length)
    v5.close()

    const db = files.reopen(path)
    expect(shapeOf(db)).toEqual(SHAPE)
    expect(db.prepare('SELECT * FROM session_events ORDER BY session_id, id').all()).toEqual(eventsBefore)
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')

    const recording = createRecordingService(db)
    expect(recording.load('a')).toEqual({
      events: [
        { id: 1, tMs: 0, kind: 'join', problem: null, data: '{"name":"Ada"}' },
        { id: 3, tMs: 10, kind: 'yjs', problem: 0, data: 'AQID' },
        { id: 4, tMs: 20, kind: 'yjs', problem: 0, data: 'BAU=' },
        { id: 6, tMs: 30, kind: 'run', problem: 0, data: '{"runId":"r"}' },
      ],
      snapshots: [{ tMs: 20, lastEventId: 4, state: 'AAA=' }],
    })
    expect(recording.load('b').events.map((e) => e.id)).toEqual([2, 5])

    // New events follow each session's own last one.
    recording.append(AppendEventsSchema.parse({ sessionId: 'b', events: [{ tMs: 40, kind: 'leave' }] }))
    expect(recording.load('b').events.map((e) => e.id)).toEqual([2, 5, 6])

    // Deleting a session still takes its events with it.
    db.prepare("DELETE FROM sessions WHERE id = 'a'").run()
    expect(db.prepare('SELECT DISTINCT session_id FROM session_events').pluck().all()).toEqual(['b'])
    expect(db.pragma('foreign_key_check')).toEqual([])
  })
})
