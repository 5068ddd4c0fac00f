import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostError } from '../../shared/host-errors'
import { problemInputOf, ProblemInputSchema, type Difficulty, type ProblemDraft } from '../../shared/problem'
import { SessionCreateSchema, type SessionCreate } from '../../shared/session'
import { HostTokenSchema, RoomIdSchema } from '../../shared/signaling/protocol'
import { openDatabase, type Db } from './database'
import { createProblemBank, type ProblemBank } from './problem-bank'
import { createSessionService, LINK_LIFETIME_MS, linkOf, type RandomBytes, type SessionService } from './sessions'

/** A seeded generator of random bytes (mulberry32), so random choices repeat exactly. */
function seededRandom(seed: number): RandomBytes {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  return (n) => Uint8Array.from({ length: n }, () => next() & 0xff)
}

function draft(slug: string, difficulty: Difficulty, languages: ('python' | 'javascript')[]): ProblemDraft {
  return {
    title: `Title ${slug}`,
    slug,
    difficulty,
    description: `Solve ${slug}.`,
    entryFunction: 'solve',
    starterCode: {
      python: languages.includes('python') ? 'def solve():\n    pass\n' : '',
      javascript: languages.includes('javascript') ? 'function solve() {}\n' : ' \n',
    },
    solution: { python: 'def solve():\n    return 1\n' },
    tests: [
      { name: 'visible', args: [], expected: 1 },
      { name: 'hidden', args: [], expected: 1, hidden: true },
    ],
  }
}

let dir: string
let db: Db
let clock: Date
let bank: ProblemBank
let sessions: SessionService

function service(seed: number | null): SessionService {
  return createSessionService(db, bank, {
    now: () => clock,
    ...(seed === null ? {} : { random: seededRandom(seed) }),
  })
}

const create = (input: SessionCreate, s: SessionService = sessions) => s.create(SessionCreateSchema.parse(input))

function hostErrorOf(run: () => unknown): HostError {
  try {
    run()
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a HostError')
}

function addProblem(slug: string, difficulty: Difficulty, languages: ('python' | 'javascript')[]): number {
  return bank.create(ProblemInputSchema.parse(draft(slug, difficulty, languages))).id
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-sessions-'))
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  clock = new Date('2026-11-23T10:00:00.000Z')
  bank = createProblemBank(db, () => clock)
  sessions = service(null)
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('create with problems at random', () => {
  let juniorBoth: number[]
  let juniorJsOnly: number
  let middle: number

  beforeEach(() => {
    juniorBoth = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) =>
      addProblem(`junior-${s}`, 'junior', ['python', 'javascript']),
    )
    juniorJsOnly = addProblem('junior-js', 'junior', ['javascript'])
    middle = addProblem('middle-a', 'middle', ['python', 'javascript'])
  })

  it('chooses count distinct problems of the difficulty that support the language', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const session = create(
        { language: 'python', problems: { mode: 'random', difficulty: 'junior', count: 5 } },
        service(seed),
      )
      const ids = session.problems.map((p) => p.sourceProblemId)
      expect(ids).toHaveLength(5)
      expect(new Set(ids).size).toBe(5)
      for (const id of ids) expect(juniorBoth).toContain(id)
      expect(ids).not.toContain(juniorJsOnly)
      expect(ids).not.toContain(middle)
    }
  })

  it('repeats exactly with the same seed and varies across seeds', () => {
    // The same seed also repeats the room id, so each session is removed before the next.
    const chosenWith = (seed: number) => {
      const session = create(
        { language: 'javascript', problems: { mode: 'random', difficulty: 'junior', count: 3 } },
        service(seed),
      )
      db.prepare('DELETE FROM sessions WHERE id = ?').run(session.id)
      return JSON.stringify(session.problems.map((p) => p.sourceProblemId))
    }
    expect(chosenWith(7)).toBe(chosenWith(7))
    const seen = new Set(Array.from({ length: 30 }, (_, i) => chosenWith(i + 1)))
    expect(seen.size).toBeGreaterThan(10)
  })

  it('gives every eligible problem a chance', () => {
    const chosen = new Set<number | null>()
    for (let seed = 1; seed <= 60; seed++) {
      const session = create(
        { language: 'javascript', problems: { mode: 'random', difficulty: 'junior', count: 1 } },
        service(seed),
      )
      chosen.add(session.problems[0]?.sourceProblemId ?? null)
    }
    expect([...chosen].sort()).toEqual([...juniorBoth, juniorJsOnly].sort())
  })

  it('names problems.count when too few problems fit, and writes nothing', () => {
    const error = hostErrorOf(() =>
      create({ language: 'python', problems: { mode: 'random', difficulty: 'middle', count: 2 } }),
    )
    expect(error.code).toBe('invalid-input')
    expect(error.issues).toEqual([{ path: 'problems.count', message: 'only 1 middle problem supports Python' }])
    expect(
      hostErrorOf(() => create({ language: 'python', problems: { mode: 'random', difficulty: 'senior', count: 1 } }))
        .issues,
    ).toEqual([{ path: 'problems.count', message: 'only 0 senior problems support Python' }])
    expect(sessions.list()).toEqual([])
  })
})

describe('create with problems picked by hand', () => {
  it('keeps the order given and freezes each problem whole', () => {
    const a = addProblem('a', 'senior', ['python'])
    const b = addProblem('b', 'junior', ['python', 'javascript'])
    const session = create({ language: 'python', problems: { mode: 'pick', ids: [b, a] } })
    expect(session.problems).toEqual([
      { ...problemInputOf(bank.get(b)), sourceProblemId: b },
      expect.objectContaining({ sourceProblemId: a, slug: 'a', difficulty: 'senior' }),
    ])
    expect(session.problems[0]?.tests.some((t) => t.hidden)).toBe(true)
  })

  it('names every id that is missing, repeated or lacks the language', () => {
    const py = addProblem('py', 'junior', ['python'])
    const js = addProblem('js', 'junior', ['javascript'])
    const error = hostErrorOf(() =>
      create({ language: 'javascript', problems: { mode: 'pick', ids: [js, 999, py, js] } }),
    )
    expect(error.code).toBe('invalid-input')
    expect(error.issues).toEqual([
      { path: 'problems.ids[1]', message: 'there is no problem with id 999' },
      { path: 'problems.ids[2]', message: '"Title py" has no starter code in JavaScript' },
      { path: 'problems.ids[3]', message: `problem ${js} is already chosen` },
    ])
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 })
  })
})

describe('create with problems too large for the link', () => {
  /** A problem as long as the bank allows, in two-byte characters. */
  function addLongProblem(slug: string): number {
    const input = ProblemInputSchema.parse({
      ...draft(slug, 'junior', ['python']),
      description: 'é'.repeat(50_000),
      starterCode: { python: `def solve():\n    return "${'é'.repeat(99_000)}"\n` },
    })
    return bank.create(input).id
  }

  it('takes one long problem, which the link sends in parts', () => {
    const id = addLongProblem('long-a')
    expect(create({ language: 'python', problems: { mode: 'pick', ids: [id] } }).problems).toHaveLength(1)
  })

  it('refuses problems whose statements and starter code the link cannot carry, and writes nothing', () => {
    const ids = ['long-a', 'long-b', 'long-c'].map(addLongProblem)
    const error = hostErrorOf(() => create({ language: 'python', problems: { mode: 'pick', ids } }))
    expect(error.code).toBe('invalid-input')
    expect(error.message).toMatch(/^Choose fewer or shorter problems: together they are too large to send/)
    expect(error.issues).toEqual([{ path: 'problems', message: expect.stringMatching(/about \d+ KB/) }])
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 })
  })
})

describe('a created session', () => {
  let problemId: number

  beforeEach(() => {
    problemId = addProblem('two-sum', 'junior', ['python', 'javascript'])
  })

  it('has defaults, a title from the candidate and times from the clock', () => {
    const session = create({
      candidateName: '  Ada Lovelace ',
      language: 'javascript',
      problems: { mode: 'pick', ids: [problemId] },
      timeLimitMinutes: 45,
    })
    expect(session).toMatchObject({
      title: 'Interview with Ada Lovelace',
      candidateName: 'Ada Lovelace',
      language: 'javascript',
      status: 'created',
      timeLimitMs: 45 * 60_000,
      currentProblem: 0,
      createdAt: '2026-11-23T10:00:00.000Z',
      startedAt: null,
      endedAt: null,
    })
    expect(create({ language: 'python', problems: { mode: 'pick', ids: [problemId] } })).toMatchObject({
      title: 'Interview',
      candidateName: '',
      timeLimitMs: null,
    })
    expect(
      create({
        title: 'Final round',
        candidateName: 'Ada',
        language: 'python',
        problems: { mode: 'pick', ids: [problemId] },
      }).title,
    ).toBe('Final round')
  })

  it('has a UUID, a 128-bit room id, a 256-bit secret and host token, all unique', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const session = create({ language: 'python', problems: { mode: 'pick', ids: [problemId] } })
      const connection = sessions.connection(session.id, { baseUrl: 'http://127.0.0.1:8787', iceServers: [] })
      expect(session.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(RoomIdSchema.safeParse(session.roomId).success).toBe(true)
      expect(Buffer.from(session.roomId, 'base64url')).toHaveLength(16)
      expect(session.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(Buffer.from(session.secret, 'base64url')).toHaveLength(32)
      expect(connection.hostToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(HostTokenSchema.safeParse(connection.hostToken).success).toBe(true)
      for (const value of [session.id, session.roomId, session.secret, connection.hostToken]) seen.add(value)
    }
    expect(seen.size).toBe(80)
  })

  it('draws every identifier from the injected random source', () => {
    const first = create({ language: 'python', problems: { mode: 'pick', ids: [problemId] } }, service(42))
    db.prepare('DELETE FROM sessions').run()
    const again = create({ language: 'python', problems: { mode: 'pick', ids: [problemId] } }, service(42))
    expect([again.id, again.roomId, again.secret]).toEqual([first.id, first.roomId, first.secret])
  })

  it('keeps its frozen copy when the bank problem is edited or deleted', () => {
    const session = create({ language: 'python', problems: { mode: 'pick', ids: [problemId] } })
    const before = session.problems[0]
    bank.update(
      problemId,
      ProblemInputSchema.parse({ ...draft('renamed', 'senior', ['javascript']), title: 'Changed' }),
    )
    expect(sessions.get(session.id).problems[0]).toEqual(before)
    bank.remove(problemId)
    expect(sessions.get(session.id).problems).toEqual([{ ...before, sourceProblemId: null }])
    expect(sessions.list()[0]?.problemTitles).toEqual(['Title two-sum'])
  })

  it('is not found by an unknown id', () => {
    const error = hostErrorOf(() => sessions.get('nope'))
    expect(error.code).toBe('not-found')
    expect(error.message).toContain('nope')
  })
})

describe('list', () => {
  it('shows the newest first with problem titles in order and no secret', () => {
    const a = addProblem('a', 'junior', ['python'])
    const b = addProblem('b', 'junior', ['python'])
    const older = create({ candidateName: 'Old', language: 'python', problems: { mode: 'pick', ids: [a] } })
    clock = new Date('2026-11-24T09:00:00.000Z')
    const newer = create({ candidateName: 'New', language: 'python', problems: { mode: 'pick', ids: [b, a] } })
    const sameTime = create({ candidateName: 'Same', language: 'python', problems: { mode: 'pick', ids: [a] } })
    const list = sessions.list()
    expect(list.map((s) => s.id)).toEqual([sameTime.id, newer.id, older.id])
    // toEqual takes an undefined property as absent.
    expect(list[1]).toEqual({ ...newer, secret: undefined, problems: undefined, problemTitles: ['Title b', 'Title a'] })
    expect(list[1]).not.toHaveProperty('secret')
  })
})

describe('status', () => {
  let id: string

  beforeEach(() => {
    const problem = addProblem('a', 'junior', ['python'])
    id = create({ language: 'python', problems: { mode: 'pick', ids: [problem] } }).id
  })

  it('goes created → live → ended, stamping each step', () => {
    clock = new Date('2026-11-23T10:05:00.000Z')
    expect(sessions.setStatus(id, 'live')).toMatchObject({ status: 'live', startedAt: '2026-11-23T10:05:00.000Z' })
    clock = new Date('2026-11-23T11:00:00.000Z')
    expect(sessions.setStatus(id, 'ended')).toMatchObject({
      status: 'ended',
      startedAt: '2026-11-23T10:05:00.000Z',
      endedAt: '2026-11-23T11:00:00.000Z',
    })
  })

  it('may end a session that never went live', () => {
    expect(sessions.setStatus(id, 'ended')).toMatchObject({
      status: 'ended',
      startedAt: null,
      endedAt: clock.toISOString(),
    })
  })

  it('takes the same status again without changing the times', () => {
    const live = sessions.setStatus(id, 'live')
    clock = new Date('2026-11-23T12:00:00.000Z')
    expect(sessions.setStatus(id, 'live')).toEqual(live)
  })

  it('never goes back', () => {
    sessions.setStatus(id, 'live')
    expect(hostErrorOf(() => sessions.setStatus(id, 'created')).code).toBe('conflict')
    sessions.setStatus(id, 'ended')
    for (const status of ['created', 'live'] as const) {
      const error = hostErrorOf(() => sessions.setStatus(id, status))
      expect(error.code).toBe('conflict')
      expect(error.message).toContain(`cannot go back to ${status}`)
    }
    expect(sessions.get(id).status).toBe('ended')
  })

  it('is not found for an unknown session', () => {
    expect(hostErrorOf(() => sessions.setStatus('nope', 'live')).code).toBe('not-found')
  })
})

describe('current problem', () => {
  it('moves within range until the session ends', () => {
    const ids = ['a', 'b', 'c'].map((s) => addProblem(s, 'junior', ['python']))
    const { id } = create({ language: 'python', problems: { mode: 'pick', ids } })
    expect(sessions.setCurrentProblem(id, 2).currentProblem).toBe(2)
    expect(sessions.get(id).currentProblem).toBe(2)
    const out = hostErrorOf(() => sessions.setCurrentProblem(id, 3))
    expect(out.code).toBe('invalid-input')
    expect(out.issues).toEqual([{ path: 'index', message: 'must be below 3, the number of problems' }])
    sessions.setStatus(id, 'ended')
    expect(hostErrorOf(() => sessions.setCurrentProblem(id, 0)).code).toBe('conflict')
    expect(sessions.get(id).currentProblem).toBe(2)
  })
})

describe('extending the time', () => {
  let id: string

  beforeEach(() => {
    const problem = addProblem('a', 'junior', ['python'])
    id = create({ language: 'python', problems: { mode: 'pick', ids: [problem] }, timeLimitMinutes: 30 }).id
  })

  const at = (minutes: number): Date => new Date(Date.parse('2026-11-23T10:00:00.000Z') + minutes * 60_000)

  it('adds to the limit while there is time left, and keeps it', () => {
    clock = at(0)
    sessions.setStatus(id, 'live')
    clock = at(25)
    expect(sessions.extendTime(id, 5).timeLimitMs).toBe(35 * 60_000)
    expect(sessions.get(id).timeLimitMs).toBe(35 * 60_000)
  })

  it('counts from now once the time is up', () => {
    clock = at(0)
    sessions.setStatus(id, 'live')
    clock = at(33)
    expect(sessions.extendTime(id, 10).timeLimitMs).toBe(43 * 60_000)
  })

  it('refuses before the session starts, after it ends, and without a limit', () => {
    expect(hostErrorOf(() => sessions.extendTime(id, 5))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('has not started yet'),
    })
    sessions.setStatus(id, 'live')
    sessions.setStatus(id, 'ended')
    expect(hostErrorOf(() => sessions.extendTime(id, 5)).message).toContain('has ended')
    expect(sessions.get(id).timeLimitMs).toBe(30 * 60_000)

    const unlimited = create({
      language: 'python',
      problems: { mode: 'pick', ids: [addProblem('b', 'junior', ['python'])] },
    })
    sessions.setStatus(unlimited.id, 'live')
    expect(hostErrorOf(() => sessions.extendTime(unlimited.id, 5)).message).toContain('has no time limit')
    expect(hostErrorOf(() => sessions.extendTime('nope', 5)).code).toBe('not-found')
  })
})

describe('connection', () => {
  let id: string

  beforeEach(() => {
    const problem = addProblem('a', 'junior', ['python'])
    id = create({ language: 'python', problems: { mode: 'pick', ids: [problem] } }).id
  })

  it('builds the link, the socket URL and the expiry from the signaling info', () => {
    const session = sessions.get(id)
    const iceServers = [{ urls: 'stun:stun.example.org:3478' }]
    const connection = sessions.connection(id, { baseUrl: 'http://192.168.1.20:8787', iceServers })
    expect(connection).toEqual({
      roomId: session.roomId,
      secret: session.secret,
      hostToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      link: `http://192.168.1.20:8787/s/${session.roomId}#${session.secret}`,
      signalingUrl: 'ws://192.168.1.20:8787/ws',
      iceServers,
      expiresAt: Date.parse('2026-11-23T10:00:00.000Z') + LINK_LIFETIME_MS,
    })
    expect(sessions.connection(id, { baseUrl: 'http://10.0.0.2:9000', iceServers: [] }).hostToken).toBe(
      connection.hostToken,
    )
  })

  it('refuses without a signaling server, and for an ended or unknown session', () => {
    const stopped = hostErrorOf(() => sessions.connection(id, null))
    expect(stopped.code).toBe('conflict')
    expect(stopped.message).toContain('signaling server is not running')
    expect(hostErrorOf(() => sessions.connection('nope', null)).code).toBe('not-found')
    sessions.setStatus(id, 'ended')
    expect(hostErrorOf(() => sessions.connection(id, { baseUrl: 'http://127.0.0.1:1', iceServers: [] })).code).toBe(
      'conflict',
    )
  })
})

describe('linkOf', () => {
  it('uses wss for https and keeps a path prefix', () => {
    expect(linkOf('https://signal.example.org/duet/', 'R', 'S')).toEqual({
      link: 'https://signal.example.org/duet/s/R#S',
      signalingUrl: 'wss://signal.example.org/duet/ws',
    })
    expect(linkOf('http://127.0.0.1:8787', 'R', 'S')).toEqual({
      link: 'http://127.0.0.1:8787/s/R#S',
      signalingUrl: 'ws://127.0.0.1:8787/ws',
    })
  })
})
