import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import type { DatabaseStatus } from '../../shared/app-status'
import { LATEST_SCHEMA_VERSION, migrations } from './migrations'

export type Db = Database.Database

export type OpenedDatabase =
  { status: Extract<DatabaseStatus, { state: 'ready' }>; db: Db } | { status: DatabaseStatus; db: null }

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${error.message} (${code})` : error.message
  }
  return String(error)
}

/** Reads the schema version without writing a byte, so a file we must refuse stays untouched. */
function inspect(path: string): { version: number } | { reason: string } {
  if (!existsSync(path)) return { version: 0 }
  let db: Db | null = null
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    const version = db.pragma('user_version', { simple: true })
    const check = db.pragma('quick_check(1)', { simple: true })
    if (check !== 'ok') return { reason: `integrity check failed: ${String(check)}` }
    return { version: typeof version === 'number' ? version : 0 }
  } catch (error) {
    return { reason: reasonOf(error) }
  } finally {
    db?.close()
  }
}

/** Runs every migration above the file's version, each in its own transaction. */
export function migrate(db: Db, target = LATEST_SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Opens (creating if needed) the SQLite file at `path`, migrated to the latest schema.
 * A corrupt or unreadable file, or one from a newer Duet, is reported, never repaired or deleted.
 */
export function openDatabase(path: string): OpenedDatabase {
  const inspected = inspect(path)
  if ('reason' in inspected) return { status: { state: 'corrupt', path, reason: inspected.reason }, db: null }
  if (inspected.version > LATEST_SCHEMA_VERSION) {
    return {
      status: { state: 'too-new', path, fileVersion: inspected.version, supportedVersion: LATEST_SCHEMA_VERSION },
      db: null,
    }
  }
  let db: Db | null = null
  try {
    db = new Database(path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
    const schemaVersion = migrate(db)
    return { status: { state: 'ready', path, schemaVersion }, db }
  } catch (error) {
    db?.close()
    return { status: { state: 'corrupt', path, reason: reasonOf(error) }, db: null }
  }
}
