import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, type Db } from './database'
import { createRecordingService } from './recording'
import { databaseFiles } from './test-support/database-files'

const files = databaseFiles('duet-m005-')

const indexesOf = (db: Db): unknown[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'session_events' ORDER BY name")
    .pluck()
    .all()

describe('migration 5: a smaller recording', () => {
  it('indexes session events by session only, from an empty file', () => {
    const db = new Database(files.path('empty.sqlite'))
    files.keep(db)
    expect(migrate(db, 5)).toBe(5)
    expect(indexesOf(db)).toEqual(['session_events_by_session'])
  })

  it('drops the index by kind from a version 4 file, keeping its events and raw snapshots readable', () => {
    const path = files.path('v4.sqlite')
    const v4 = new Database(path)
    v4.pragma('foreign_keys = ON')
    expect(migrate(v4, 4)).toBe(4)
    expect(indexesOf(v4)).toEqual(['session_events_by_kind', 'session_events_by_session'])
    v4.prepare(
      "INSERT INTO sessions (id, room_id, secret, language, created_at) VALUES ('a', 'room-a', 's', 'python', '2026-11-23T10:00:00.000Z')",
    ).run()
    v4.prepare(
      "INSERT INTO session_events (id, session_id, t_ms, kind, problem, data) VALUES (3, 'a', 5, 'join', NULL, '{}')",
    ).run()
    v4.prepare(
      "INSERT INTO session_snapshots (session_id, t_ms, last_event_id, state) VALUES ('a', 5, 3, X'0000')",
    ).run()
    expect(migrate(v4, 5)).toBe(5)
    expect(indexesOf(v4)).toEqual(['session_events_by_session'])
    v4.close()

    const db = files.reopen(path)
    expect(createRecordingService(db).load('a')).toEqual({
      events: [{ id: 3, tMs: 5, kind: 'join', problem: null, data: '{}' }],
      snapshots: [{ tMs: 5, lastEventId: 3, state: 'AAA=' }],
    })
  })
})
