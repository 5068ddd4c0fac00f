import { m001Initial } from './001-initial'
import { m002SessionLink } from './002-session-link'
import { m003RunIdentity } from './003-run-identity'
import { m004HistorySearch } from './004-history-search'
import { m005RecordingSize } from './005-recording-size'
import { m006EventsBySession } from './006-events-by-session'

export interface Migration {
  /** The `user_version` the file has once this migration ran. */
  version: number
  name: string
  sql: string
}

/** Every migration in order; append only, never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  m001Initial,
  m002SessionLink,
  m003RunIdentity,
  m004HistorySearch,
  m005RecordingSize,
  m006EventsBySession,
]

export const LATEST_SCHEMA_VERSION = migrations.length
