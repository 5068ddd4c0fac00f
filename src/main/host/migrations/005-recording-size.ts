import type { Migration } from './index'

/**
 * A smaller recording. Every keystroke is a row of `session_events`, and each row was indexed
 * twice, both times under its 36-character session id: an hour of typing took 0.8 MB in
 * `session_events_by_kind` alone. Nothing looks events up by kind within a session (replay,
 * bundles and deletion read a session's events by id through `session_events_by_session`), so
 * that index goes. Snapshot states are now stored deflated (see recording.ts); older raw rows
 * are read as they are, so they need no change here.
 */
export const m005RecordingSize: Migration = {
  version: 5,
  name: 'smaller recording',
  sql: /* sql */ `
DROP INDEX session_events_by_kind;
`,
}
