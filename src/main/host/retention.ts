import type { SessionService } from './sessions'
import type { SettingsStore } from './settings-store'

const DAY_MS = 24 * 60 * 60 * 1000
/** How often retention runs while Duet is open, after once at open. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000

export interface RetentionOptions {
  sessions: SessionService
  settings: SettingsStore
  now: () => Date
  log: (message: string, error?: unknown) => void
  /** Told the ids of the sessions deleted, when there were any. */
  deleted: (ids: string[]) => void
}

/**
 * Applies the `retentionDays` setting: deletes every ended session whose end (or creation, for
 * one without an end) is more than that many days ago. Live and scheduled sessions are never
 * touched. Returns the number deleted; a failure is logged, never thrown, so a timer survives it.
 */
export function applyRetention(options: RetentionOptions): number {
  try {
    const days = options.settings.get().retentionDays
    if (days === null) return 0
    const cutoff = new Date(options.now().getTime() - days * DAY_MS)
    const ids = options.sessions.removeEndedBefore(cutoff)
    if (ids.length > 0) {
      options.log(
        `retention: deleted ${ids.length} ended session${ids.length === 1 ? '' : 's'} older than ${days} days`,
      )
      options.deleted(ids)
    }
    return ids.length
  } catch (error) {
    options.log('retention: old sessions could not be deleted', error)
    return 0
  }
}

/** Runs retention now and then every hour; the timer never keeps the process alive. Returns the stop. */
export function startRetention(options: RetentionOptions): () => void {
  applyRetention(options)
  const timer = setInterval(() => applyRetention(options), RETENTION_INTERVAL_MS)
  timer.unref()
  return () => clearInterval(timer)
}
