import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Db } from './database'
import { readPack } from './pack-io'
import { createProblemBank } from './problem-bank'
import { createSettingsStore } from './settings-store'

export interface StarterPackOptions {
  /** Recorded as `starterPack.version`, so the pack is offered to a database only once. */
  appVersion: string
  now: () => Date
}

export type StarterPackResult = { loaded: false } | { loaded: true; created: string[]; ids: number[] }

/**
 * Adds the bundled problems on the first start of a database: only slugs the bank does not have,
 * so a user's edits are never overwritten, and never again afterwards, so deleted problems stay
 * deleted. A missing or broken pack file throws and records nothing, so the next start retries.
 */
export function loadStarterPack(db: Db, packFilePath: string, options: StarterPackOptions): StarterPackResult {
  const settings = createSettingsStore(db)
  const done = () => settings.getInternal('starterPack.version') !== null
  if (done()) return { loaded: false }
  const pack = readPack({ fileName: basename(packFilePath), text: readFileSync(packFilePath, 'utf8') })
  const bank = createProblemBank(db, options.now)
  // Checked again under the write lock: another process on the same file may have loaded it meanwhile.
  return db
    .transaction((): StarterPackResult => {
      if (done()) return { loaded: false }
      const fresh = pack.problems.filter((p) => bank.slugOwner(p.slug) === null)
      const ids = fresh.map((p) => bank.create(p).id)
      settings.putInternal('starterPack.version', options.appVersion)
      return { loaded: true, created: fresh.map((p) => p.slug), ids }
    })
    .immediate()
}
