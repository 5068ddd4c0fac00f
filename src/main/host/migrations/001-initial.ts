import type { Migration } from './index'

/**
 * The schema for the whole design, so later features add code, not tables.
 * Times are ISO-8601 UTC text; session-relative times are integer milliseconds (`t_ms`).
 */
export const m001Initial: Migration = {
  version: 1,
  name: 'initial schema',
  sql: /* sql */ `
CREATE TABLE problems (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  difficulty TEXT NOT NULL CHECK (difficulty IN ('junior', 'middle', 'senior')),
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  description TEXT NOT NULL DEFAULT '',
  entry_function TEXT NOT NULL,
  starter_python TEXT NOT NULL DEFAULT '',
  starter_javascript TEXT NOT NULL DEFAULT '',
  solution_python TEXT NOT NULL DEFAULT '',
  solution_javascript TEXT NOT NULL DEFAULT '',
  timeout_ms INTEGER NOT NULL DEFAULT 10000,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX problems_difficulty ON problems (difficulty, title);

CREATE TABLE problem_tests (
  id INTEGER PRIMARY KEY,
  problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  args TEXT NOT NULL CHECK (json_valid(args)),
  expected TEXT NOT NULL CHECK (json_valid(expected)),
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  UNIQUE (problem_id, position)
);

-- Full-text search over the bank, kept in step by triggers.
CREATE VIRTUAL TABLE problems_fts USING fts5 (
  title, slug, description, tags,
  content = 'problems', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER problems_fts_insert AFTER INSERT ON problems BEGIN
  INSERT INTO problems_fts (rowid, title, slug, description, tags)
  VALUES (new.id, new.title, new.slug, new.description, new.tags);
END;
CREATE TRIGGER problems_fts_delete AFTER DELETE ON problems BEGIN
  INSERT INTO problems_fts (problems_fts, rowid, title, slug, description, tags)
  VALUES ('delete', old.id, old.title, old.slug, old.description, old.tags);
END;
CREATE TRIGGER problems_fts_update AFTER UPDATE ON problems BEGIN
  INSERT INTO problems_fts (problems_fts, rowid, title, slug, description, tags)
  VALUES ('delete', old.id, old.title, old.slug, old.description, old.tags);
  INSERT INTO problems_fts (rowid, title, slug, description, tags)
  VALUES (new.id, new.title, new.slug, new.description, new.tags);
END;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL UNIQUE,
  secret TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  candidate_name TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL CHECK (language IN ('python', 'javascript')),
  status TEXT NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'live', 'ended')),
  time_limit_ms INTEGER,
  current_problem INTEGER NOT NULL DEFAULT 0,
  signaling_url TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT
);
CREATE INDEX sessions_created ON sessions (created_at DESC);
CREATE INDEX sessions_status ON sessions (status, created_at DESC);

-- A frozen copy of each problem as it was when the session was created.
CREATE TABLE session_problems (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  source_problem_id INTEGER REFERENCES problems (id) ON DELETE SET NULL,
  problem TEXT NOT NULL CHECK (json_valid(problem)),
  PRIMARY KEY (session_id, position)
);

-- The append-only timeline: Yjs updates and every event, in session milliseconds.
CREATE TABLE session_events (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  t_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  problem INTEGER,
  data BLOB
);
CREATE INDEX session_events_by_session ON session_events (session_id, id);
CREATE INDEX session_events_by_kind ON session_events (session_id, kind, t_ms);

-- Full document states so that replay can seek without applying every update.
CREATE TABLE session_snapshots (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  t_ms INTEGER NOT NULL,
  last_event_id INTEGER NOT NULL,
  state BLOB NOT NULL
);
CREATE INDEX session_snapshots_by_session ON session_snapshots (session_id, t_ms);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  problem INTEGER NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('candidate', 'interviewer')),
  kind TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'tests', 'hidden-tests')),
  language TEXT NOT NULL CHECK (language IN ('python', 'javascript')),
  code TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  stdout TEXT NOT NULL DEFAULT '',
  stderr TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'timeout', 'stopped', 'output-limit')),
  duration_ms INTEGER NOT NULL,
  test_results TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(test_results)),
  t_ms INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX runs_by_session ON runs (session_id, t_ms);

-- Private notes: never sent to the candidate.
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  t_ms INTEGER NOT NULL,
  problem INTEGER,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX notes_by_session ON notes (session_id, t_ms);

CREATE TABLE evaluations (
  session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  recommendation TEXT CHECK (recommendation IN ('strong-no', 'no', 'yes', 'strong-yes')),
  summary TEXT NOT NULL DEFAULT '',
  rubric TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(rubric)),
  score REAL,
  submitted_at TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE evaluation_problems (
  session_id TEXT NOT NULL REFERENCES evaluations (session_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  stars INTEGER CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, position)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
);
`,
}
