import type { Migration } from './index'

// The problems' titles in order, as a JSON array, for the session named by `ref`.
const titlesOf = (ref: string) => /* sql */ `(
    SELECT json_group_array(coalesce(json_extract(p.problem, '$.title'), '') ORDER BY p.position)
    FROM session_problems p WHERE p.session_id = ${ref}
  )`

// Milliseconds from start to end; null until the session has both.
const durationOf = (row: string) => /* sql */ `CASE WHEN ${row}.started_at IS NOT NULL AND ${row}.ended_at IS NOT NULL
    THEN max(0, CAST(round((julianday(${row}.ended_at) - julianday(${row}.started_at)) * 86400000) AS INTEGER)) END`

/**
 * What the History page searches, filters and sorts on, in one narrow table with an integer key:
 * `session_history` has a row per session with the candidate's name, the title, the frozen
 * problems' titles as a JSON array (the tokenizer splits on its quotes and commas), the status,
 * when it started (or was created, if never started), its duration, and the evaluation's
 * recommendation and score. Joining `sessions` and `evaluations` on their text keys for every row
 * made a sorted search of 10,000 sessions cost tens of milliseconds; this table makes it a few.
 * It is not keyed by `sessions.rowid`, which VACUUM may renumber; its rows go with their session
 * by the foreign key. Triggers keep it in step with `sessions`, `session_problems` and
 * `evaluations`, and the FTS index in step with it, whoever writes (creation, evaluation, bundle
 * import, deletion, retention).
 */
export const m004HistorySearch: Migration = {
  version: 4,
  name: 'history search',
  sql: /* sql */ `
CREATE TABLE session_history (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
  candidate_name TEXT NOT NULL,
  title TEXT NOT NULL,
  problems TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(problems)),
  status TEXT NOT NULL,
  start_at TEXT NOT NULL,
  duration_ms INTEGER,
  recommendation TEXT,
  score REAL
);

CREATE VIRTUAL TABLE session_history_fts USING fts5 (
  candidate_name, title, problems,
  content = 'session_history', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER session_history_fts_insert AFTER INSERT ON session_history BEGIN
  INSERT INTO session_history_fts (rowid, candidate_name, title, problems)
  VALUES (new.id, new.candidate_name, new.title, new.problems);
END;
CREATE TRIGGER session_history_fts_delete AFTER DELETE ON session_history BEGIN
  INSERT INTO session_history_fts (session_history_fts, rowid, candidate_name, title, problems)
  VALUES ('delete', old.id, old.candidate_name, old.title, old.problems);
END;
-- Only the searched columns: a status or score change leaves the text index alone.
CREATE TRIGGER session_history_fts_update AFTER UPDATE OF candidate_name, title, problems ON session_history BEGIN
  INSERT INTO session_history_fts (session_history_fts, rowid, candidate_name, title, problems)
  VALUES ('delete', old.id, old.candidate_name, old.title, old.problems);
  INSERT INTO session_history_fts (rowid, candidate_name, title, problems)
  VALUES (new.id, new.candidate_name, new.title, new.problems);
END;

CREATE TRIGGER session_history_on_session_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO session_history (session_id, candidate_name, title, problems, status, start_at, duration_ms)
  VALUES (new.id, new.candidate_name, new.title, ${titlesOf('new.id')}, new.status,
    coalesce(new.started_at, new.created_at), ${durationOf('new')});
END;
CREATE TRIGGER session_history_on_session_rename AFTER UPDATE OF candidate_name, title ON sessions BEGIN
  UPDATE session_history SET candidate_name = new.candidate_name, title = new.title WHERE session_id = new.id;
END;
CREATE TRIGGER session_history_on_session_times AFTER UPDATE OF status, created_at, started_at, ended_at ON sessions
BEGIN
  UPDATE session_history SET status = new.status, start_at = coalesce(new.started_at, new.created_at),
    duration_ms = ${durationOf('new')}
  WHERE session_id = new.id;
END;

CREATE TRIGGER session_history_on_problem_insert AFTER INSERT ON session_problems BEGIN
  UPDATE session_history SET problems = ${titlesOf('new.session_id')} WHERE session_id = new.session_id;
END;
CREATE TRIGGER session_history_on_problem_update AFTER UPDATE ON session_problems BEGIN
  UPDATE session_history SET problems = ${titlesOf('new.session_id')} WHERE session_id = new.session_id;
END;
-- Skipped when the whole session is being deleted: its history row goes with it.
CREATE TRIGGER session_history_on_problem_delete AFTER DELETE ON session_problems
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = old.session_id) BEGIN
  UPDATE session_history SET problems = ${titlesOf('old.session_id')} WHERE session_id = old.session_id;
END;

CREATE TRIGGER session_history_on_evaluation_insert AFTER INSERT ON evaluations BEGIN
  UPDATE session_history SET recommendation = new.recommendation, score = new.score
  WHERE session_id = new.session_id;
END;
CREATE TRIGGER session_history_on_evaluation_update AFTER UPDATE OF recommendation, score ON evaluations BEGIN
  UPDATE session_history SET recommendation = new.recommendation, score = new.score
  WHERE session_id = new.session_id;
END;
CREATE TRIGGER session_history_on_evaluation_delete AFTER DELETE ON evaluations
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = old.session_id) BEGIN
  UPDATE session_history SET recommendation = NULL, score = NULL WHERE session_id = old.session_id;
END;

INSERT INTO session_history (session_id, candidate_name, title, problems, status, start_at, duration_ms,
  recommendation, score)
SELECT s.id, s.candidate_name, s.title, ${titlesOf('s.id')}, s.status, coalesce(s.started_at, s.created_at),
  ${durationOf('s')}, e.recommendation, e.score
FROM sessions s LEFT JOIN evaluations e ON e.session_id = s.id;

-- One per order History offers, each read backwards for the descending ones; ties go newest first.
-- Unscored or unfinished sessions sort as 0 and -1, below every real score and duration.
CREATE INDEX session_history_by_start ON session_history (start_at);
CREATE INDEX session_history_by_candidate ON session_history
  (candidate_name = '', candidate_name COLLATE NOCASE, start_at DESC, id DESC);
CREATE INDEX session_history_by_score ON session_history (coalesce(score, 0), start_at);
CREATE INDEX session_history_by_duration ON session_history (coalesce(duration_ms, -1), start_at);
`,
}
