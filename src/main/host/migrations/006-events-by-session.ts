import type { Migration } from './index'

/**
 * Session events clustered by session. Every keystroke is a row, and each row was stored twice
 * under its 36-character session id: in the table and in `session_events_by_session`, an index
 * that was a quarter of the space an hour of recording took. In a WITHOUT ROWID table keyed by
 * (session_id, id) the rows themselves are kept in that order, so the index goes. Ids are now
 * numbered per session (the next is the session's highest plus one, see recording.ts); rows
 * written before keep theirs, which already rise within each session, so snapshots still name the
 * same events.
 */
export const m006EventsBySession: Migration = {
  version: 6,
  name: 'session events clustered by session',
  sql: /* sql */ `
CREATE TABLE session_events_v6 (
  id INTEGER NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  t_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  problem INTEGER,
  data BLOB,
  PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
INSERT INTO session_events_v6 (id, session_id, t_ms, kind, problem, data)
SELECT id, session_id, t_ms, kind, problem, data FROM session_events ORDER BY session_id, id;
DROP TABLE session_events;
ALTER TABLE session_events_v6 RENAME TO session_events;
`,
}
