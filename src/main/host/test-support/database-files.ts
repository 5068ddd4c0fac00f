import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect } from 'vitest'
import { openDatabase, type Db } from '../database'
import { LATEST_SCHEMA_VERSION } from '../migrations'

/**
 * Database files for migration tests: a fresh folder per test, and every database kept here
 * closed and the folder removed after it.
 */
export function databaseFiles(prefix: string) {
  let dir = ''
  const open: Db[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
  })

  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  return {
    path: (name: string): string => join(dir, name),
    /** Closes `db` after the test. */
    keep<T extends Db>(db: T): T {
      open.push(db)
      return db
    },
    /** Opens the file as the app does, which must bring it to the latest schema. */
    reopen(path: string): Db {
      const opened = openDatabase(path)
      if (!opened.db) throw new Error(`not ready: ${JSON.stringify(opened.status)}`)
      open.push(opened.db)
      expect(opened.status).toEqual({ state: 'ready', path, schemaVersion: LATEST_SCHEMA_VERSION })
      return opened.db
    },
  }
}
