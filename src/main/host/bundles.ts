import { randomBytes } from 'node:crypto'
import {
  BUNDLE_EXTENSION,
  BundleContentSchema,
  MAX_BUNDLE_BYTES,
  megabytes,
  type BundleContent,
  type BundleFile,
  type BundleInspection,
  type ExportedBundle,
} from '../../shared/bundle'
import { HostError } from '../../shared/host-errors'
import { describeIssues, parseWith } from '../../shared/validation'
import { readBundle, writeBundle, type ReadBundle } from './bundle-file'
import type { Db } from './database'
import type { RandomBytes } from './sessions'

/** One session to a portable `.duet` file and back, into this database or another. */
export interface BundleService {
  exportSession(sessionId: string): Promise<ExportedBundle>
  /** Reads and checks a file in full and says what it holds; writes nothing. */
  inspect(file: BundleFile): Promise<BundleInspection>
  /** Writes every row of the bundle's session in one transaction, or nothing. */
  importBundle(file: BundleFile): Promise<{ sessionId: string }>
}

export interface BundleServiceOptions {
  now: () => Date
  appVersion: string
  /** Fresh room ids, secrets and host tokens for imported sessions. */
  random?: RandomBytes
}

type Row = Record<string, unknown>

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return undefined
  }
}

/** A BLOB column's bytes as base64; anything else is left for the schema to refuse. */
const base64Of = (value: unknown): unknown =>
  value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value

function eventDataOf(value: unknown): unknown {
  if (value === null) return null
  if (typeof value === 'string') return { text: value }
  if (value instanceof Uint8Array) return { bytes: base64Of(value) }
  return value
}

function columnOf(data: BundleContent['events'][number]['data']): Buffer | string | null {
  if (data === null) return null
  return 'text' in data ? data.text : Buffer.from(data.bytes, 'base64')
}

/**
 * Base64 to bytes, only when encoding them again gives the same text: Node's decoder skips stray
 * characters, and a file must be read exactly as it was sent.
 */
function decodeBase64(file: BundleFile): Buffer {
  const bytes = Buffer.from(file.data, 'base64')
  if (bytes.toString('base64') !== file.data) {
    throw new HostError('invalid-input', `${file.fileName} could not be read: its data did not arrive as base64.`, [
      { path: 'data', message: 'must be padded base64' },
    ])
  }
  return bytes
}

function localDate(iso: string): string {
  const date = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

function fileSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
}

function fileNameOf(session: BundleContent['session']): string {
  const name = fileSlug(session.candidateName) || fileSlug(session.title) || 'session'
  return `duet-${name}-${localDate(session.createdAt)}${BUNDLE_EXTENSION}`
}

function describeSession(session: BundleContent['session']): string {
  const candidate = session.candidateName ? ` with ${session.candidateName}` : ''
  return `“${session.title}”${candidate} on ${localDate(session.createdAt)}`
}

export function createBundleService(db: Db, options: BundleServiceOptions): BundleService {
  const random = options.random ?? ((n: number) => randomBytes(n))
  const token = (bytes: number) => Buffer.from(random(bytes)).toString('base64url')
  const statements = {
    exists: db.prepare('SELECT 1 FROM sessions WHERE id = ?').pluck(),
    session: db.prepare(`
      SELECT id, title, candidate_name AS candidateName, language, status, time_limit_ms AS timeLimitMs,
        current_problem AS currentProblem, signaling_url AS signalingUrl, created_at AS createdAt,
        started_at AS startedAt, ended_at AS endedAt, expires_at AS expiresAt
      FROM sessions WHERE id = ?`),
    problems: db.prepare('SELECT problem FROM session_problems WHERE session_id = ? ORDER BY position').pluck(),
    events: db.prepare(
      'SELECT id, t_ms AS tMs, kind, problem, data FROM session_events WHERE session_id = ? ORDER BY id',
    ),
    snapshots: db.prepare(
      'SELECT t_ms AS tMs, last_event_id AS lastEventId, state FROM session_snapshots WHERE session_id = ? ORDER BY id',
    ),
    runs: db.prepare(`
      SELECT run_id AS runId, problem, side, kind, language, code, code_hash AS codeHash, stdout, stderr, status,
        duration_ms AS durationMs, test_results AS testResults, message, t_ms AS tMs, created_at AS createdAt
      FROM runs WHERE session_id = ? ORDER BY id`),
    notes: db.prepare(`
      SELECT t_ms AS tMs, problem, body AS text, created_at AS createdAt, updated_at AS updatedAt
      FROM notes WHERE session_id = ? ORDER BY id`),
    evaluation: db.prepare(`
      SELECT recommendation, summary, rubric AS criteria, score, submitted_at AS completedAt, updated_at AS updatedAt
      FROM evaluations WHERE session_id = ?`),
    ratings: db.prepare(
      'SELECT position, stars, comment FROM evaluation_problems WHERE session_id = ? ORDER BY position',
    ),

    insertSession: db.prepare(`
      INSERT INTO sessions (id, room_id, secret, host_token, title, candidate_name, language, status, time_limit_ms,
        current_problem, signaling_url, created_at, started_at, ended_at, expires_at)
      VALUES (@id, @roomId, @secret, @hostToken, @title, @candidateName, @language, @status, @timeLimitMs,
        @currentProblem, @signalingUrl, @createdAt, @startedAt, @endedAt, @expiresAt)`),
    insertProblem: db.prepare(
      'INSERT INTO session_problems (session_id, position, source_problem_id, problem) VALUES (?, ?, NULL, ?)',
    ),
    insertEvent: db.prepare(
      'INSERT INTO session_events (session_id, id, t_ms, kind, problem, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertSnapshot: db.prepare(
      'INSERT INTO session_snapshots (session_id, t_ms, last_event_id, state) VALUES (?, ?, ?, ?)',
    ),
    insertRun: db.prepare(`
      INSERT INTO runs (session_id, run_id, problem, side, kind, language, code, code_hash, stdout, stderr, status,
        duration_ms, test_results, message, t_ms, created_at)
      VALUES (@sessionId, @runId, @problem, @side, @kind, @language, @code, @codeHash, @stdout, @stderr, @status,
        @durationMs, @testResults, @message, @tMs, @createdAt)`),
    insertNote: db.prepare(
      'INSERT INTO notes (session_id, t_ms, problem, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertEvaluation: db.prepare(`
      INSERT INTO evaluations (session_id, recommendation, summary, rubric, score, submitted_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    insertRating: db.prepare(
      'INSERT INTO evaluation_problems (session_id, position, stars, comment) VALUES (?, ?, ?, ?)',
    ),
  }

  // One read transaction: a session still recording is exported as it was at one moment.
  const contentOf = db.transaction((sessionId: string): BundleContent => {
    const session: unknown = statements.session.get(sessionId)
    if (session === undefined) throw new HostError('not-found', `There is no session with id ${sessionId}.`)
    const evaluation = statements.evaluation.get(sessionId) as Row | undefined
    const content = {
      session,
      problems: statements.problems.all(sessionId).map(parseJsonText),
      events: (statements.events.all(sessionId) as Row[]).map((e) => ({ ...e, data: eventDataOf(e.data) })),
      snapshots: (statements.snapshots.all(sessionId) as Row[]).map((s) => ({ ...s, state: base64Of(s.state) })),
      runs: (statements.runs.all(sessionId) as Row[]).map((r) => ({ ...r, testResults: parseJsonText(r.testResults) })),
      notes: statements.notes.all(sessionId),
      evaluation:
        evaluation === undefined
          ? null
          : {
              ...evaluation,
              criteria: parseJsonText(evaluation.criteria),
              problems: statements.ratings.all(sessionId),
            },
    }
    // Checked as an import would check it, so Duet never writes a file it would refuse.
    const parsed = parseWith(BundleContentSchema, content)
    if (!parsed.ok) {
      throw new HostError(
        'database',
        `Session ${sessionId} cannot be exported: some of its data is unreadable in the database: ` +
          describeIssues(parsed.issues.slice(0, 3)).replaceAll('\n', '; '),
      )
    }
    return parsed.value
  })

  async function exportSession(sessionId: string): Promise<ExportedBundle> {
    const content = contentOf(sessionId)
    const file = await writeBundle(content, { exportedAt: options.now(), appVersion: options.appVersion })
    if (file.length > MAX_BUNDLE_BYTES) {
      throw new HostError(
        'conflict',
        `This session is too large for a bundle: its file would be ${megabytes(file.length)}, and a bundle ` +
          `may be at most ${megabytes(MAX_BUNDLE_BYTES)}. Export a report instead.`,
      )
    }
    return { fileName: fileNameOf(content.session), data: file.toString('base64'), bytes: file.length }
  }

  function read(file: BundleFile): Promise<ReadBundle> {
    return readBundle(file.fileName, decodeBase64(file))
  }

  async function inspect(file: BundleFile): Promise<BundleInspection> {
    const { header, content } = await read(file)
    const { session } = content
    return {
      sessionId: session.id,
      title: session.title,
      candidateName: session.candidateName,
      language: session.language,
      status: session.status,
      createdAt: session.createdAt,
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      problemTitles: content.problems.map((p) => p.title),
      events: content.events.length,
      runs: content.runs.length,
      notes: content.notes.length,
      hasEvaluation: content.evaluation !== null,
      exportedAt: header.exportedAt,
      alreadyPresent: statements.exists.get(session.id) !== undefined,
    }
  }

  // Plain INSERTs into the base tables, so triggers keep every derived table (search) right.
  const write = db.transaction((content: BundleContent): void => {
    const { session } = content
    if (statements.exists.get(session.id) !== undefined) {
      throw new HostError(
        'conflict',
        `This session, ${describeSession(session)}, is already in this Duet: find it in History. ` +
          'To import this copy instead, delete that one first.',
      )
    }
    statements.insertSession.run({ ...session, roomId: token(16), secret: token(32), hostToken: token(32) })
    content.problems.forEach((problem, position) => {
      statements.insertProblem.run(session.id, position, JSON.stringify(problem))
    })
    // Event ids are numbered per session, so the bundle's (rising, checked) are kept as they are,
    // and the snapshots still name the events they include.
    for (const event of content.events) {
      statements.insertEvent.run(session.id, event.id, event.tMs, event.kind, event.problem, columnOf(event.data))
    }
    for (const snapshot of content.snapshots) {
      statements.insertSnapshot.run(
        session.id,
        snapshot.tMs,
        snapshot.lastEventId,
        Buffer.from(snapshot.state, 'base64'),
      )
    }
    for (const run of content.runs) {
      statements.insertRun.run({ ...run, sessionId: session.id, testResults: JSON.stringify(run.testResults) })
    }
    for (const note of content.notes) {
      statements.insertNote.run(session.id, note.tMs, note.problem, note.text, note.createdAt, note.updatedAt)
    }
    const { evaluation } = content
    if (evaluation) {
      statements.insertEvaluation.run(
        session.id,
        evaluation.recommendation,
        evaluation.summary,
        JSON.stringify(evaluation.criteria),
        evaluation.score,
        evaluation.completedAt,
        evaluation.updatedAt,
      )
      for (const rating of evaluation.problems) {
        statements.insertRating.run(session.id, rating.position, rating.stars, rating.comment)
      }
    }
  })

  async function importBundle(file: BundleFile): Promise<{ sessionId: string }> {
    const { content } = await read(file)
    write(content)
    return { sessionId: content.session.id }
  }

  return { exportSession, inspect, importBundle }
}
