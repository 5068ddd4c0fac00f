import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { HostError } from '../../shared/host-errors'
import { linkCanCarry, MAX_CARRIED_BYTES } from '../../shared/peer/frame-parts'
import { MAX_INTERVIEWER_NAME_CHARS, type LinkFrame } from '../../shared/peer/frames'
import { languagesOf, LanguageSchema, type Language, type Problem } from '../../shared/problem'
import {
  candidateViewOf,
  FrozenProblemSchema,
  type FrozenProblem,
  SessionStatusSchema,
  type ProblemChoice,
  type Session,
  type SessionConnection,
  type SessionCreateSchema,
  type SessionStatus,
  type SessionSummary,
} from '../../shared/session'
import { SIGNALING_PATH, type IceServer } from '../../shared/signaling/protocol'
import { extendedLimit, MINUTE_MS } from '../../shared/timer'
import { describeIssues, parseWith, type FieldIssue } from '../../shared/validation'
import type { Db } from './database'
import type { ProblemBank } from './problem-bank'

export type ParsedSessionCreate = z.output<typeof SessionCreateSchema>

/** Where the signaling server is, as the host process knows it right now; plain data, no server. */
export interface SignalingInfo {
  /** `http://192.168.1.20:8787` (embedded) or `https://signal.example.org` (remote). */
  baseUrl: string
  iceServers: IceServer[]
}

/** `n` random bytes; injected so tests can be deterministic. */
export type RandomBytes = (n: number) => Uint8Array

export interface SessionService {
  create(input: ParsedSessionCreate): Session
  get(id: string): Session
  /** Newest first. */
  list(): SessionSummary[]
  setStatus(id: string, status: SessionStatus): Session
  setCurrentProblem(id: string, index: number): Session
  /** Adds `minutes` to a live session's limit; once the time is up, counted from now. */
  extendTime(id: string, minutes: number): Session
  connection(id: string, signaling: SignalingInfo | null): SessionConnection
  /** Deletes a session that is not live and every row that belongs to it. */
  remove(id: string): void
  /** Deletes every ended session whose end (or creation) is before `cutoff`; the ids deleted. */
  removeEndedBefore(cutoff: Date): string[]
}

export interface SessionServiceOptions {
  now: () => Date
  random?: RandomBytes
}

/**
 * How long a link may be used after the session is created. The signaling server also caps a
 * room at 24 h from the host registering it, so this bounds only how early a link can be sent.
 */
export const LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

const STATUS_ORDER: Record<SessionStatus, number> = { created: 0, live: 1, ended: 2 }
const LANGUAGE_NAMES: Record<Language, string> = { python: 'Python', javascript: 'JavaScript' }

const SessionRowSchema = z.object({
  id: z.string(),
  room_id: z.string(),
  secret: z.string(),
  title: z.string(),
  candidate_name: z.string(),
  language: LanguageSchema,
  status: SessionStatusSchema,
  time_limit_ms: z.number().int().nullable(),
  current_problem: z.number().int().nonnegative(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
})
type SessionRow = z.infer<typeof SessionRowSchema>

const SummaryRowSchema = SessionRowSchema.omit({ secret: true }).extend({ problem_titles: z.string() })
const ProblemRowSchema = z.object({ source_problem_id: z.number().int().nullable(), problem: z.string() })
const TitlesSchema = z.array(z.string())
const IdRowSchema = z.object({ id: z.string() })
const LinkRowSchema = z.object({
  status: SessionStatusSchema,
  room_id: z.string(),
  secret: z.string(),
  host_token: z.string(),
  expires_at: z.number().int(),
})
const CandidateRowSchema = z.object({
  id: z.number().int(),
  starter_python: z.string(),
  starter_javascript: z.string(),
})

function fromDisk<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = parseWith(schema, value)
  if (parsed.ok) return parsed.value
  throw new HostError('database', `${what} is unreadable in the database: ${describeIssues(parsed.issues)}`)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function notFound(id: string): HostError {
  return new HostError('not-found', `There is no session with id ${id}.`)
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

/** A version 4 UUID from the injected random source. */
function uuidOf(random: RandomBytes): string {
  const b = Buffer.from(random(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = b.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A uniform integer in [0, bound): rejection sampling, so no value is favoured. */
function randomIndex(random: RandomBytes, bound: number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound
  for (;;) {
    const value = Buffer.from(random(4)).readUInt32BE(0)
    if (value < limit) return value % bound
  }
}

/** `count` distinct items in random order: a partial Fisher–Yates shuffle. */
function sample<T>(items: readonly T[], count: number, random: RandomBytes): T[] {
  const pool = [...items]
  for (let i = 0; i < count; i++) {
    const j = i + randomIndex(random, pool.length - i)
    const picked = pool[j] as T
    pool[j] = pool[i] as T
    pool[i] = picked
  }
  return pool.slice(0, count)
}

// The stored copy: zod drops the bank's id and timestamps; the source id lives in its own column.
const FrozenCopySchema = FrozenProblemSchema.omit({ sourceProblemId: true })

/** Everything a session and its summary share. */
function sessionFieldsOf(row: Omit<SessionRow, 'secret'>): Omit<Session, 'secret' | 'problems'> {
  return {
    id: row.id,
    roomId: row.room_id,
    title: row.title,
    candidateName: row.candidate_name,
    language: row.language,
    status: row.status,
    timeLimitMs: row.time_limit_ms,
    currentProblem: row.current_problem,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  }
}

/** `{base}/s/{roomId}#{secret}` and the WebSocket beside it; a base with a path keeps it as a prefix. */
export function linkOf(baseUrl: string, roomId: string, secret: string): { link: string; signalingUrl: string } {
  const base = new URL(baseUrl)
  const prefix = base.pathname.replace(/\/+$/, '')
  const wsScheme = base.protocol === 'https:' ? 'wss:' : 'ws:'
  return {
    link: `${base.origin}${prefix}/s/${roomId}#${secret}`,
    signalingUrl: `${wsScheme}//${base.host}${prefix}${SIGNALING_PATH}`,
  }
}

/**
 * Interview sessions: creation with frozen copies of the chosen problems, and the session's
 * status and current problem. Every write is one transaction; times come from `now`.
 */
export function createSessionService(db: Db, bank: ProblemBank, options: SessionServiceOptions): SessionService {
  const { now } = options
  const random = options.random ?? ((n: number) => randomBytes(n))
  const statements = {
    session: db.prepare(`
      SELECT id, room_id, secret, title, candidate_name, language, status, time_limit_ms, current_problem,
        created_at, started_at, ended_at
      FROM sessions WHERE id = ?`),
    problems: db.prepare(
      'SELECT source_problem_id, problem FROM session_problems WHERE session_id = ? ORDER BY position',
    ),
    list: db.prepare(`
      SELECT s.id, s.room_id, s.title, s.candidate_name, s.language, s.status, s.time_limit_ms,
        s.current_problem, s.created_at, s.started_at, s.ended_at,
        (SELECT json_group_array(json_extract(p.problem, '$.title') ORDER BY p.position)
          FROM session_problems p WHERE p.session_id = s.id) AS problem_titles
      FROM sessions s ORDER BY s.created_at DESC, s.rowid DESC`),
    link: db.prepare('SELECT status, room_id, secret, host_token, expires_at FROM sessions WHERE id = ?'),
    candidates: db.prepare(
      'SELECT id, starter_python, starter_javascript FROM problems WHERE difficulty = ? ORDER BY id',
    ),
    insert: db.prepare(`
      INSERT INTO sessions (id, room_id, secret, host_token, title, candidate_name, language, time_limit_ms,
        created_at, expires_at)
      VALUES (@id, @roomId, @secret, @hostToken, @title, @candidateName, @language, @timeLimitMs,
        @createdAt, @expiresAt)`),
    insertProblem: db.prepare(
      'INSERT INTO session_problems (session_id, position, source_problem_id, problem) VALUES (?, ?, ?, ?)',
    ),
    start: db.prepare("UPDATE sessions SET status = 'live', started_at = ? WHERE id = ?"),
    end: db.prepare("UPDATE sessions SET status = 'ended', ended_at = ? WHERE id = ?"),
    setCurrent: db.prepare('UPDATE sessions SET current_problem = ? WHERE id = ?'),
    setTimeLimit: db.prepare('UPDATE sessions SET time_limit_ms = ? WHERE id = ?'),
    // Every table that holds a session's rows references it ON DELETE CASCADE (foreign keys are on).
    remove: db.prepare('DELETE FROM sessions WHERE id = ?'),
    removeEndedBefore: db.prepare(
      "DELETE FROM sessions WHERE status = 'ended' AND coalesce(ended_at, created_at) < ? RETURNING id",
    ),
  }

  function rowOf(id: string): SessionRow {
    const row: unknown = statements.session.get(id)
    if (row === undefined) throw notFound(id)
    return fromDisk(SessionRowSchema, row, `Session ${id}`)
  }

  function get(id: string): Session {
    const row = rowOf(id)
    const problems = statements.problems.all(id).map((raw, position) => {
      const what = `Problem ${position + 1} of session ${id}`
      const stored = fromDisk(ProblemRowSchema, raw, what)
      const copy = { ...(parseJson(stored.problem) as object), sourceProblemId: stored.source_problem_id }
      return fromDisk(FrozenProblemSchema, copy, what)
    })
    return { ...sessionFieldsOf(row), secret: row.secret, problems }
  }

  function randomChoice(language: Language, difficulty: Problem['difficulty'], count: number): number[] {
    const supported = statements.candidates
      .all(difficulty)
      .map((raw) => fromDisk(CandidateRowSchema, raw, 'A problem'))
      .filter((p) =>
        languagesOf({ starterCode: { python: p.starter_python, javascript: p.starter_javascript } }).includes(language),
      )
      .map((p) => p.id)
    if (supported.length < count) {
      const message =
        `only ${supported.length} ${difficulty} problem${supported.length === 1 ? '' : 's'} ` +
        `support${supported.length === 1 ? 's' : ''} ${LANGUAGE_NAMES[language]}`
      throw new HostError('invalid-input', `Not enough problems: ${message}.`, [{ path: 'problems.count', message }])
    }
    return sample(supported, count, random)
  }

  function pickedProblems(language: Language, ids: readonly number[]): Problem[] {
    const issues: FieldIssue[] = []
    const problems: Problem[] = []
    ids.forEach((id, index) => {
      const path = `problems.ids[${index}]`
      if (ids.indexOf(id) !== index) {
        issues.push({ path, message: `problem ${id} is already chosen` })
        return
      }
      let problem: Problem
      try {
        problem = bank.get(id)
      } catch (error) {
        if (error instanceof HostError && error.code === 'not-found') {
          issues.push({ path, message: `there is no problem with id ${id}` })
          return
        }
        throw error
      }
      if (!languagesOf(problem).includes(language)) {
        issues.push({ path, message: `"${problem.title}" has no starter code in ${LANGUAGE_NAMES[language]}` })
        return
      }
      problems.push(problem)
    })
    if (issues.length > 0) throw new HostError('invalid-input', 'Some chosen problems cannot be used.', issues)
    return problems
  }

  /**
   * The candidate's page gets every problem's statement, starter code and visible tests in one
   * session.info frame: a session whose frame the link cannot carry is refused now, not when the
   * candidate is waiting for it.
   */
  function checkLinkCanCarry(title: string, language: Language, problems: readonly FrozenProblem[]): void {
    const info: LinkFrame = {
      type: 'session.info',
      // The longest interviewer name the settings allow: the frame is built later, with the real one.
      info: {
        title,
        interviewerName: 'W'.repeat(MAX_INTERVIEWER_NAME_CHARS),
        language,
        problems: problems.map((problem) => candidateViewOf(problem, language)),
      },
    }
    if (linkCanCarry(info)) return
    const message =
      `together they are too large to send to the candidate: statements, starter code and visible tests ` +
      `may take about ${Math.floor(MAX_CARRIED_BYTES / 1024)} KB`
    throw new HostError('invalid-input', `Choose fewer or shorter problems: ${message}.`, [
      { path: 'problems', message },
    ])
  }

  function chosenProblems(language: Language, choice: ProblemChoice): Problem[] {
    if (choice.mode === 'pick') return pickedProblems(language, choice.ids)
    return randomChoice(language, choice.difficulty, choice.count).map((id) => bank.get(id))
  }

  const create = db.transaction((input: ParsedSessionCreate): Session => {
    const problems = chosenProblems(input.language, input.problems)
    const title = input.title || (input.candidateName ? `Interview with ${input.candidateName}` : 'Interview')
    const frozen = problems.map((problem) => ({ ...FrozenCopySchema.parse(problem), sourceProblemId: problem.id }))
    checkLinkCanCarry(title, input.language, frozen)
    const created = now()
    const id = uuidOf(random)
    statements.insert.run({
      id,
      roomId: base64url(random(16)),
      secret: base64url(random(32)),
      hostToken: base64url(random(32)),
      title,
      candidateName: input.candidateName,
      language: input.language,
      timeLimitMs: input.timeLimitMinutes === null ? null : input.timeLimitMinutes * 60_000,
      createdAt: created.toISOString(),
      expiresAt: created.getTime() + LINK_LIFETIME_MS,
    })
    frozen.forEach(({ sourceProblemId, ...copy }, position) => {
      statements.insertProblem.run(id, position, sourceProblemId, JSON.stringify(copy))
    })
    return get(id)
  })

  function list(): SessionSummary[] {
    return statements.list.all().map((raw) => {
      const row = fromDisk(SummaryRowSchema, raw, 'A session')
      const titles = fromDisk(TitlesSchema, parseJson(row.problem_titles), `The problems of session ${row.id}`)
      return { ...sessionFieldsOf(row), problemTitles: titles }
    })
  }

  // Idempotent for the same status (a reconnecting UI may say `live` again); never backwards.
  const setStatus = db.transaction((id: string, status: SessionStatus): Session => {
    const current = rowOf(id).status
    if (status === current) return get(id)
    if (STATUS_ORDER[status] < STATUS_ORDER[current]) {
      throw new HostError('conflict', `Session ${id} is ${current}; it cannot go back to ${status}.`)
    }
    const at = now().toISOString()
    if (status === 'live') statements.start.run(at, id)
    else statements.end.run(at, id)
    return get(id)
  })

  const setCurrentProblem = db.transaction((id: string, index: number): Session => {
    const session = get(id)
    if (session.status === 'ended') throw new HostError('conflict', `Session ${id} has ended.`)
    if (index >= session.problems.length) {
      const message = `must be below ${session.problems.length}, the number of problems`
      throw new HostError('invalid-input', `Problem ${index} is not in session ${id}.`, [{ path: 'index', message }])
    }
    statements.setCurrent.run(index, id)
    return { ...session, currentProblem: index }
  })

  const extendTime = db.transaction((id: string, minutes: number): Session => {
    const session = get(id)
    if (session.status !== 'live' || session.startedAt === null) {
      const state = session.status === 'ended' ? 'has ended' : 'has not started yet'
      throw new HostError('conflict', `Session ${id} ${state}; only a live session's time can be extended.`)
    }
    if (session.timeLimitMs === null) {
      throw new HostError('conflict', `Session ${id} has no time limit to extend.`)
    }
    const timeLimitMs = extendedLimit(
      Date.parse(session.startedAt),
      session.timeLimitMs,
      now().getTime(),
      minutes * MINUTE_MS,
    )
    statements.setTimeLimit.run(timeLimitMs, id)
    return { ...session, timeLimitMs }
  })

  function connection(id: string, signaling: SignalingInfo | null): SessionConnection {
    const raw: unknown = statements.link.get(id)
    if (raw === undefined) throw notFound(id)
    const link = fromDisk(LinkRowSchema, raw, `Session ${id}`)
    if (link.status === 'ended') throw new HostError('conflict', `Session ${id} has ended; its link no longer opens.`)
    if (signaling === null) {
      throw new HostError(
        'conflict',
        'The signaling server is not running, so the session has no link. Restart Duet or set a signaling URL under Settings → Connection.',
      )
    }
    return {
      roomId: link.room_id,
      secret: link.secret,
      hostToken: link.host_token,
      ...linkOf(signaling.baseUrl, link.room_id, link.secret),
      iceServers: signaling.iceServers,
      expiresAt: link.expires_at,
    }
  }

  const remove = db.transaction((id: string): void => {
    const row = rowOf(id)
    if (row.status === 'live') {
      const who = row.candidate_name === '' ? '' : ` with ${row.candidate_name}`
      throw new HostError(
        'conflict',
        `The interview${who} is still live, so it cannot be deleted. End it first, then delete it.`,
      )
    }
    statements.remove.run(id)
  })

  const removeEndedBefore = db.transaction((cutoff: Date): string[] =>
    statements.removeEndedBefore
      .all(cutoff.toISOString())
      .map((raw) => fromDisk(IdRowSchema, raw, 'A deleted session').id),
  )

  return {
    create,
    get,
    list,
    setStatus,
    setCurrentProblem,
    extendTime,
    connection,
    remove,
    removeEndedBefore,
  }
}
