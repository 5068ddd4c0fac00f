import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const DATABASE_FILE_NAME = 'duet.sqlite'

/** The folder that holds Duet's data: `DUET_DATA_DIR` when set, else `defaultDir`; created if missing. */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>>, defaultDir: string): string {
  const override = env.DUET_DATA_DIR?.trim()
  const dir = resolve(override ? override : defaultDir)
  mkdirSync(dir, { recursive: true })
  return dir
}

export function databasePathIn(dir: string): string {
  return join(dir, DATABASE_FILE_NAME)
}
