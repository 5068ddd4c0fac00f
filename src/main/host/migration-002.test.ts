import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostTokenSchema } from '../../shared/signaling/protocol'
import { migrate, openDatabase, type Db } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'

let dir: string
const open: Db[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-m002-'))
})

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

function columnsOf(db: Db): Record<string, { type: string; notnull: number; dflt_value: string | null }> {
  const rows = db.prepare('PRAGMA table_info(sessions)').all() as {
    name: string
    type: string
    notnull: number
    dflt_value: string | null
  }[]
  return Object.fromEntries(rows.map(({ name, ...column }) => [name, column]))
}

function reopen(path: string): Db {
  const opened = openDatabase(path)
  if (!opened.db) throw new Error(`not ready: ${JSON.stringify(opened.status)}`)
  open.push(opened.db)
  expect(opened.status).toEqual({ state: 'ready', path, schemaVersion: LATEST_SCHEMA_VERSION })
  return opened.db
}

describe('migration 2: session host token and link expiry', () => {
  it('adds the columns to a file created empty', () => {
    const db = reopen(join(dir, 'empty.sqlite'))
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2)
    expect(columnsOf(db)).toMatchObject({
      host_token: { type: 'TEXT', notnull: 1, dflt_value: "''" },
      expires_at: { type: 'INTEGER', notnull: 1, dflt_value: '0' },
    })
  })

  it('gives sessions from version 1 a random host token and an expiry seven days after creation', () => {
    const path = join(dir, 'v1.sqlite')
    const v1 = new Database(path)
    expect(migrate(v1, 1)).toBe(1)
    const insert = v1.prepare(
      "INSERT INTO sessions (id, room_id, secret, language, created_at) VALUES (?, ?, 's', 'python', ?)",
    )
    insert.run('a', 'room-a', '2026-11-23T10:00:00.000Z')
    insert.run('b', 'room-b', '2026-11-24T08:30:15.250Z')
    v1.prepare("INSERT INTO session_events (session_id, t_ms, kind, data) VALUES ('a', 5, 'join', '{}')").run()
    v1.close()

    const db = reopen(path)
    const rows = db.prepare('SELECT id, host_token, expires_at FROM sessions ORDER BY id').all() as {
      id: string
      host_token: string
      expires_at: number
    }[]
    const week = 7 * 24 * 60 * 60 * 1000
    expect(rows.map((r) => [r.id, r.expires_at])).toEqual([
      ['a', Date.parse('2026-11-23T10:00:00.000Z') + week],
      ['b', Date.parse('2026-11-24T08:30:15.250Z') + week],
    ])
    for (const row of rows) {
      expect(row.host_token).toMatch(/^[0-9a-f]{64}$/)
      expect(HostTokenSchema.safeParse(row.host_token).success).toBe(true)
    }
    expect(rows[0]?.host_token).not.toBe(rows[1]?.host_token)
    expect(db.prepare('SELECT session_id, kind, data FROM session_events').all()).toEqual([
      { session_id: 'a', kind: 'join', data: '{}' },
    ])
  })
})
