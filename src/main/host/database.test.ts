import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate, openDatabase, type Db } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'

const TABLES = [
  'evaluation_problems',
  'evaluations',
  'notes',
  'problem_tests',
  'problems',
  'problems_fts',
  'runs',
  'session_events',
  'session_history',
  'session_history_fts',
  'session_problems',
  'session_snapshots',
  'sessions',
  'settings',
]

let dir: string
let path: string
const open: Db[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-db-'))
  path = join(dir, 'duet.sqlite')
})

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

function ready(): Db {
  const opened = openDatabase(path)
  if (!opened.db) throw new Error(`not ready: ${JSON.stringify(opened.status)}`)
  open.push(opened.db)
  return opened.db
}

function tablesOf(db: Db): string[] {
  const rows = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'problems_fts_%' AND name NOT LIKE 'session_history_fts_%'",
    )
    .all()
  return rows.map((r) => (r as { name: string }).name).sort()
}

describe('openDatabase', () => {
  it('creates the file and migrates it from empty to the latest schema', () => {
    const opened = openDatabase(path)
    if (opened.db) open.push(opened.db)
    expect(opened.status).toEqual({ state: 'ready', path, schemaVersion: LATEST_SCHEMA_VERSION })
    expect(existsSync(path)).toBe(true)
    expect(tablesOf(ready())).toEqual(TABLES)
  })

  it('sets WAL, foreign keys, synchronous NORMAL and a busy timeout', () => {
    const db = ready()
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(() =>
      db
        .prepare(
          "INSERT INTO problem_tests (problem_id, position, name, args, expected) VALUES (77, 0, 'x', '[]', '1')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
  })

  it('keeps data and version when opened again', () => {
    const first = ready()
    first.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run()
    first.close()
    const again = openDatabase(path)
    if (again.db) open.push(again.db)
    expect(again.status).toEqual({ state: 'ready', path, schemaVersion: LATEST_SCHEMA_VERSION })
    expect(again.db?.prepare('SELECT value FROM settings WHERE key = ?').get('theme')).toEqual({ value: '"dark"' })
  })

  it('migrates a file from every earlier version', () => {
    for (let version = 0; version < LATEST_SCHEMA_VERSION; version++) {
      const file = join(dir, `v${version}.sqlite`)
      const old = new Database(file)
      expect(migrate(old, version)).toBe(version)
      old.close()
      const opened = openDatabase(file)
      if (opened.db) open.push(opened.db)
      expect(opened.status).toEqual({ state: 'ready', path: file, schemaVersion: LATEST_SCHEMA_VERSION })
    }
  })

  it('rolls a failing migration back whole', () => {
    // A table in the way makes the first migration fail half-way through its script.
    const blocked = new Database(path)
    blocked.exec('CREATE TABLE sessions (x)')
    blocked.close()
    const opened = openDatabase(path)
    expect(opened.status.state).toBe('corrupt')
    expect(opened.status).toMatchObject({ reason: expect.stringContaining('sessions') })
    const db = new Database(path, { readonly: true })
    open.push(db)
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(tablesOf(db)).toEqual(['sessions'])
  })

  it('reports a file of random bytes as corrupt and leaves it byte for byte', () => {
    const bytes = randomBytes(16 * 1024)
    writeFileSync(path, bytes)
    const opened = openDatabase(path)
    expect(opened.db).toBeNull()
    expect(opened.status).toMatchObject({ state: 'corrupt', path, reason: expect.stringMatching(/not a database/) })
    expect(readFileSync(path).equals(bytes)).toBe(true)
    expect(existsSync(`${path}-wal`)).toBe(false)
  })

  it('reports a database with damaged pages as corrupt and leaves it unchanged', () => {
    const db = ready()
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
    for (let i = 0; i < 200; i++) insert.run(`k${i}`, JSON.stringify('x'.repeat(500)))
    db.pragma('journal_mode = DELETE')
    db.close()
    const file = readFileSync(path)
    // Keep the 100-byte header, so SQLite takes it for a database, and scramble the schema page.
    randomBytes(4000).copy(file, 100)
    writeFileSync(path, file)
    const opened = openDatabase(path)
    expect(opened.status.state).toBe('corrupt')
    expect(readFileSync(path).equals(file)).toBe(true)
  })

  it('refuses a file from a newer schema and leaves it byte for byte', () => {
    const newer = new Database(path)
    newer.exec('CREATE TABLE future (x)')
    newer.pragma('user_version = 99')
    newer.close()
    const bytes = readFileSync(path)
    const opened = openDatabase(path)
    expect(opened.db).toBeNull()
    expect(opened.status).toEqual({ state: 'too-new', path, fileVersion: 99, supportedVersion: LATEST_SCHEMA_VERSION })
    expect(readFileSync(path).equals(bytes)).toBe(true)
  })
})
