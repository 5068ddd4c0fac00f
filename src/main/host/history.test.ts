import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { draftOf, EvaluationDraftSchema, type Recommendation } from '../../shared/evaluation'
import { HistoryQuerySchema, type HistoryQuery } from '../../shared/history'
import { ProblemInputSchema } from '../../shared/problem'
import { SessionCreateSchema } from '../../shared/session'
import { describeIssues, parseWith } from '../../shared/validation'
import { openDatabase, type Db } from './database'
import { createEvaluationService, type EvaluationService } from './evaluations'
import { createHistoryService, type HistoryService } from './history'
import { createProblemBank, type ProblemBank } from './problem-bank'
import { createSessionService, type SessionService } from './sessions'
import { createSettingsStore } from './settings-store'

let dir: string
let db: Db
let clock: Date
let bank: ProblemBank
let sessions: SessionService
let evaluations: EvaluationService
let history: HistoryService
const problemIds = new Map<string, number>()
/** Session ids by candidate, or by title for the unnamed one. */
const ids = new Map<string, string>()

/** A local time on this machine, as the History page's days are local. */
const local = (month: number, day: number, hour: number, minute = 0) => new Date(2026, month - 1, day, hour, minute)

interface Seed {
  name: string
  title?: string
  problems: string[]
  created: Date
  started?: Date
  ended?: Date
  stars?: (number | null)[]
  recommendation?: Recommendation | null
  complete?: boolean
}

function seed(s: Seed): void {
  clock = s.created
  const session = sessions.create(
    SessionCreateSchema.parse({
      candidateName: s.name,
      title: s.title ?? '',
      language: 'python',
      problems: { mode: 'pick', ids: s.problems.map((title) => problemIds.get(title)) },
    }),
  )
  ids.set(s.name || (s.title ?? ''), session.id)
  if (s.started) {
    clock = s.started
    sessions.setStatus(session.id, 'live')
  }
  if (s.ended) {
    clock = s.ended
    sessions.setStatus(session.id, 'ended')
  }
  if (s.stars || s.recommendation !== undefined) {
    const draft = draftOf(evaluations.get(session.id))
    draft.problems = draft.problems.map((p, i) => ({ ...p, stars: s.stars?.[i] ?? null }))
    draft.criteria = draft.criteria.map((c) => ({ ...c, score: 3 }))
    draft.recommendation = s.recommendation ?? null
    const parsed = EvaluationDraftSchema.parse(draft)
    if (s.complete) evaluations.complete(parsed)
    else evaluations.save(parsed)
  }
}

function search(query: HistoryQuery = {}) {
  return history.search(HistoryQuerySchema.parse(query))
}

/** Who each row is for, in order: the candidate, or the title for the unnamed one. */
function who(query: HistoryQuery = {}): string[] {
  return search(query).rows.map((r) => r.candidateName || r.title)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-history-'))
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  clock = local(1, 1, 9)
  bank = createProblemBank(db, () => clock)
  sessions = createSessionService(db, bank, { now: () => clock })
  const settings = createSettingsStore(db)
  evaluations = createEvaluationService(db, { now: () => clock, rubric: () => settings.get().rubric })
  history = createHistoryService(db)
  problemIds.clear()
  ids.clear()
  for (const [i, title] of ['Two Sum', 'Balanced Brackets', 'Merge Intervals', 'Café Orders'].entries()) {
    const problem = ProblemInputSchema.parse({
      title,
      slug: `p-${i}`,
      difficulty: 'junior',
      entryFunction: 'solve',
      starterCode: { python: 'def solve():\n    pass\n' },
      solution: {},
    })
    problemIds.set(title, bank.create(problem).id)
  }
  seed({
    name: 'Ada Lovelace',
    title: 'Backend screen',
    problems: ['Two Sum', 'Merge Intervals'],
    created: local(3, 1, 9),
    started: local(3, 2, 10),
    ended: local(3, 2, 11),
    stars: [4, 5],
    recommendation: 'strong-yes',
    complete: true,
  })
  seed({
    name: 'Grace Hopper',
    problems: ['Balanced Brackets'],
    created: local(3, 5, 9),
    // Late in the evening: the session's day is the 5th on this machine, whatever UTC says.
    started: local(3, 5, 23, 30),
    ended: local(3, 6, 0, 10),
    stars: [2],
    recommendation: 'no',
  })
  seed({ name: 'Alan Turing', problems: ['Café Orders'], created: local(3, 10, 8) })
  seed({ name: '', title: 'Pairing', problems: ['Two Sum'], created: local(2, 20, 9), started: local(2, 20, 10) })
  seed({
    name: 'Zoë Ångström',
    problems: ['Merge Intervals', 'Balanced Brackets'],
    created: local(3, 7, 9),
    started: local(3, 7, 14),
    ended: local(3, 7, 14, 20),
    stars: [3, null],
    recommendation: 'yes',
  })
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('history search', () => {
  it('lists every session newest first by start, or by creation when never started, with its facts', () => {
    const page = search()
    expect(page.total).toBe(5)
    expect(page.rows.map((r) => r.candidateName || r.title)).toEqual([
      'Alan Turing',
      'Zoë Ångström',
      'Grace Hopper',
      'Ada Lovelace',
      'Pairing',
    ])
    expect(page.rows.find((r) => r.candidateName === 'Ada Lovelace')).toEqual({
      id: ids.get('Ada Lovelace'),
      title: 'Backend screen',
      candidateName: 'Ada Lovelace',
      language: 'python',
      status: 'ended',
      createdAt: local(3, 1, 9).toISOString(),
      startedAt: local(3, 2, 10).toISOString(),
      endedAt: local(3, 2, 11).toISOString(),
      durationMs: 60 * 60_000,
      problemTitles: ['Two Sum', 'Merge Intervals'],
      recommendation: 'strong-yes',
      score: 4.5,
      evaluation: 'complete',
    })
    expect(page.rows.find((r) => r.candidateName === 'Grace Hopper')).toMatchObject({
      title: 'Interview with Grace Hopper',
      durationMs: 40 * 60_000,
      recommendation: 'no',
      score: 2,
      evaluation: 'draft',
    })
    expect(page.rows.find((r) => r.candidateName === 'Alan Turing')).toMatchObject({
      status: 'created',
      startedAt: null,
      durationMs: null,
      problemTitles: ['Café Orders'],
      recommendation: null,
      score: null,
      evaluation: 'none',
    })
    // Live: started, no end yet, so no duration.
    expect(page.rows.find((r) => r.title === 'Pairing')).toMatchObject({ status: 'live', durationMs: null })
    // Not every problem has stars yet, so no score.
    expect(page.rows.find((r) => r.candidateName === 'Zoë Ångström')).toMatchObject({ score: null })
  })

  it('sorts oldest first, by candidate A–Z with unnamed last, by score and by duration, highest first', () => {
    expect(who({ sort: 'oldest' })).toEqual(['Pairing', 'Ada Lovelace', 'Grace Hopper', 'Zoë Ångström', 'Alan Turing'])
    expect(who({ sort: 'candidate' })).toEqual([
      'Ada Lovelace',
      'Alan Turing',
      'Grace Hopper',
      'Zoë Ångström',
      'Pairing',
    ])
    // Unscored sessions follow, newest first.
    expect(who({ sort: 'score' })).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Zoë Ångström', 'Pairing'])
    expect(who({ sort: 'duration' })).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Zoë Ångström',
      'Alan Turing',
      'Pairing',
    ])
  })

  it('finds words in the candidate name, the title and the problem titles, as prefixes, all required', () => {
    expect(who({ text: 'ada' })).toEqual(['Ada Lovelace'])
    expect(who({ text: 'backend' })).toEqual(['Ada Lovelace'])
    expect(who({ text: 'two' })).toEqual(['Ada Lovelace', 'Pairing'])
    expect(who({ text: 'merge  ada' })).toEqual(['Ada Lovelace'])
    expect(who({ text: 'bal' })).toEqual(['Zoë Ångström', 'Grace Hopper'])
    expect(who({ text: 'pairing' })).toEqual(['Pairing'])
    expect(who({ text: 'nobody' })).toEqual([])
  })

  it('matches without accents and treats search operators as plain text', () => {
    expect(who({ text: 'cafe' })).toEqual(['Alan Turing'])
    expect(who({ text: 'ZOE angst' })).toEqual(['Zoë Ångström'])
    for (const text of ['NEAR(ada', '"ada', 'ada*', '-ada', 'title:ada', 'ada OR grace']) {
      expect(() => search({ text }), text).not.toThrow()
    }
    expect(who({ text: 'ada OR grace' })).toEqual([])
    // Nothing searchable in it: the same as no text.
    expect(search({ text: '!!! ---' }).total).toBe(5)
  })

  it('filters by local days on the start, or the creation when never started, both ends included', () => {
    expect(who({ from: '2026-03-05', to: '2026-03-05' })).toEqual(['Grace Hopper'])
    expect(who({ from: '2026-03-06' })).toEqual(['Alan Turing', 'Zoë Ångström'])
    expect(who({ to: '2026-02-28' })).toEqual(['Pairing'])
    expect(who({ from: '2026-03-10', to: '2026-03-10' })).toEqual(['Alan Turing'])
    expect(who({ from: '2026-03-02', to: '2026-03-07' })).toEqual(['Zoë Ångström', 'Grace Hopper', 'Ada Lovelace'])
  })

  it('filters by status, recommendation (none meaning not given) and score', () => {
    expect(who({ statuses: ['ended'] })).toEqual(['Zoë Ångström', 'Grace Hopper', 'Ada Lovelace'])
    expect(who({ statuses: ['created', 'live'] })).toEqual(['Alan Turing', 'Pairing'])
    expect(who({ recommendations: ['none'] })).toEqual(['Alan Turing', 'Pairing'])
    expect(who({ recommendations: ['strong-yes', 'no'] })).toEqual(['Grace Hopper', 'Ada Lovelace'])
    expect(who({ recommendations: ['none', 'yes'] })).toEqual(['Alan Turing', 'Zoë Ångström', 'Pairing'])
    expect(who({ minScore: 3 })).toEqual(['Ada Lovelace'])
    expect(who({ maxScore: 3 })).toEqual(['Grace Hopper'])
    expect(who({ minScore: 2, maxScore: 4.5 })).toEqual(['Grace Hopper', 'Ada Lovelace'])
  })

  it('combines text, filters and a sort', () => {
    expect(who({ text: 'merge', statuses: ['ended'], sort: 'duration' })).toEqual(['Ada Lovelace', 'Zoë Ångström'])
    expect(who({ text: 'bal', recommendations: ['no'], from: '2026-03-01' })).toEqual(['Grace Hopper'])
  })

  it('pages, giving the total every time', () => {
    const first = search({ limit: 2 })
    const second = search({ limit: 2, offset: 2 })
    const last = search({ limit: 2, offset: 4 })
    expect([first.total, second.total, last.total]).toEqual([5, 5, 5])
    expect([...first.rows, ...second.rows, ...last.rows].map((r) => r.id)).toEqual(search().rows.map((r) => r.id))
    expect(search({ offset: 10 })).toEqual({ total: 5, rows: [] })
  })

  it('forgets a deleted session, in the list and in the text index', () => {
    sessions.remove(ids.get('Ada Lovelace') as string)
    expect(search().total).toBe(4)
    expect(who({ text: 'ada' })).toEqual([])
    expect(who({ text: 'two' })).toEqual(['Pairing'])
  })
})

describe('the history query', () => {
  const issues = (value: unknown): string => {
    const parsed = parseWith(HistoryQuerySchema, value)
    return parsed.ok ? '' : describeIssues(parsed.issues)
  }

  it('has defaults for everything', () => {
    expect(HistoryQuerySchema.parse({})).toEqual({
      text: '',
      from: null,
      to: null,
      statuses: [],
      recommendations: [],
      minScore: null,
      maxScore: null,
      sort: 'newest',
      offset: 0,
      limit: 50,
    })
  })

  it('refuses a day that does not exist, a range backwards and anything unknown', () => {
    expect(issues({ from: '2026-02-30' })).toBe('from: must be a date like 2026-03-14')
    expect(issues({ to: '14/03/2026' })).toBe('to: must be a date like 2026-03-14')
    expect(issues({ from: '2026-03-10', to: '2026-03-09' })).toBe('to: must be on or after the start date')
    expect(issues({ minScore: 4, maxScore: 3 })).toBe('maxScore: must be at least the lowest score')
    expect(issues({ minScore: 0 })).toBe('minScore: must be 1 to 5')
    expect(issues({ sort: 'relevance' })).not.toBe('')
    expect(issues({ limit: 1000 })).not.toBe('')
    expect(issues({ extra: 1 })).not.toBe('')
    expect(issues({ from: '2026-02-28', to: '2026-02-28' })).toBe('')
  })
})
