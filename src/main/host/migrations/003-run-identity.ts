import type { Migration } from './index'

/**
 * Runs get the id their side picked (`run_id`, unique per session) so a run stored as stopped
 * when the link dropped is replaced by its real end when that arrives later, and a `message`
 * (why it timed out, stopped or hit the output limit). `duration_ms` becomes nullable: a run that
 * never reported its end has none. SQLite cannot change a column's constraints in place, so the
 * table is rebuilt; earlier rows keep their data and get `row-<id>` as their run id.
 */
export const m003RunIdentity: Migration = {
  version: 3,
  name: 'run id, message and optional duration',
  sql: /* sql */ `
CREATE TABLE runs_v3 (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  run_id TEXT NOT NULL,
  problem INTEGER NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('candidate', 'interviewer')),
  kind TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'tests', 'hidden-tests')),
  language TEXT NOT NULL CHECK (language IN ('python', 'javascript')),
  code TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  stdout TEXT NOT NULL DEFAULT '',
  stderr TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'timeout', 'stopped', 'output-limit')),
  duration_ms INTEGER,
  test_results TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(test_results)),
  message TEXT,
  t_ms INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (session_id, run_id)
);
INSERT INTO runs_v3 (
  id, session_id, run_id, problem, side, kind, language, code, code_hash, stdout, stderr, status,
  duration_ms, test_results, message, t_ms, created_at
)
SELECT
  id, session_id, 'row-' || id, problem, side, kind, language, code, code_hash, stdout, stderr, status,
  duration_ms, test_results, NULL, t_ms, created_at
FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v3 RENAME TO runs;
CREATE INDEX runs_by_session ON runs (session_id, t_ms);
`,
}
