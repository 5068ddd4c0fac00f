import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/main/host/database'
import { createEvaluationService } from '../src/main/host/evaluations'
import { createHistoryService } from '../src/main/host/history'
import { createProblemBank } from '../src/main/host/problem-bank'
import { createSessionService } from '../src/main/host/sessions'
import { draftOf, EvaluationDraftSchema, RECOMMENDATIONS } from '../src/shared/evaluation'
import { HISTORY_SORTS, HistoryQuerySchema, type HistoryQuery, type RecommendationFilter } from '../src/shared/history'
import { ProblemInputSchema } from '../src/shared/problem'
import { SessionCreateSchema, type SessionStatus } from '../src/shared/session'
import { DEFAULT_RUBRIC } from '../src/shared/settings'
import type { Benchmark } from './benchmark'

const SESSION_COUNT = 10_000
const PROBLEM_COUNT = 300
const WARM_UP_QUERIES = 30
const MEASURED_QUERIES = 300
const DAY_MS = 24 * 60 * 60 * 1000
/** Three years of interviews, the newest yesterday. */
const SPAN_DAYS = 3 * 365
const FIRST_DAY = Date.parse('2024-01-01T00:00:00.000Z')

const FIRST_NAMES = (
  'Ada Alan Grace Linus Margaret Barbara Donald Edsger John Frances Radia Tim Ken Dennis Bjarne Guido Anders ' +
  'Sophie Chen Priya Olga Mateo Amara Yuki Kwame Ingrid Rafael Leila Tomasz Aisha Hiro Nadia Emeka Zoë Élodie'
).split(' ')
const LAST_NAMES = (
  'Lovelace Turing Hopper Torvalds Hamilton Liskov Knuth Dijkstra Backus Allen Perlman Berners-Lee Thompson ' +
  'Ritchie Stroustrup Rossum Hejlsberg Wilson Wei Patel Ivanova García Okafor Tanaka Mensah Larsen Souza ' +
  'Haddad Nowak Khan Sato Petrova Eze Ångström Dubois'
).split(' ')
const WORDS = (
  'array string tree graph path sum pair window stack queue heap matrix grid island interval merge sort ' +
  'search binary linked list cycle palindrome anagram substring prefix trie word ladder bridge network ' +
  'cache eviction schedule meeting room course order rotate spiral jump coin change climb stairs robber ' +
  'profit stock median stream kth largest frequent majority bits parse calculator bracket roman digit ' +
  'shuffle iterator limiter logger calendar booking elevator parking inventory invoice ledger balance'
).split(' ')

/** A small seeded generator, so every run measures the same history and the same queries. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Seeded random bytes for the session service's ids and secrets. */
function seededBytes(random: () => number): (n: number) => Uint8Array {
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256))
}

const pickOf =
  (random: () => number) =>
  <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)] as T

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/**
 * 10,000 sessions through the real services: 1–5 frozen problems each, nine in ten ended, most
 * of those evaluated (some as drafts), spread over three years.
 */
function seed(dir: string) {
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`the benchmark database did not open: ${JSON.stringify(opened.status)}`)
  const db = opened.db
  const random = seededRandom(42)
  const pick = pickOf(random)
  let clock = FIRST_DAY
  const now = () => new Date(clock)
  const bank = createProblemBank(db, now)
  const sessions = createSessionService(db, bank, { now, random: seededBytes(random) })
  const evaluations = createEvaluationService(db, { now, rubric: () => DEFAULT_RUBRIC })
  db.transaction(() => {
    const problemIds = Array.from({ length: PROBLEM_COUNT }, (_, i) => {
      const words = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(WORDS))
      const problem = ProblemInputSchema.parse({
        title: words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' '),
        slug: `${words.join('-')}-${i}`,
        difficulty: pick(['junior', 'middle', 'senior'] as const),
        entryFunction: 'solve',
        starterCode: { python: 'def solve(*args):\n    pass\n', javascript: 'function solve(...args) {}\n' },
        solution: {},
      })
      return bank.create(problem).id
    })
    for (let i = 0; i < SESSION_COUNT; i++) {
      const start = FIRST_DAY + Math.floor(random() * SPAN_DAYS * DAY_MS)
      const candidateName = random() < 0.97 ? `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}` : ''
      const ids = new Set(Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(problemIds)))
      clock = start - Math.floor(random() * 7 * DAY_MS)
      const session = sessions.create(
        SessionCreateSchema.parse({
          candidateName,
          title: random() < 0.3 ? `${pick(WORDS)} screen` : '',
          language: random() < 0.6 ? 'python' : 'javascript',
          problems: { mode: 'pick', ids: [...ids] },
        }),
      )
      const roll = random()
      const status: SessionStatus = roll < 0.9 ? 'ended' : roll < 0.95 ? 'created' : 'live'
      if (status === 'created') continue
      clock = start
      sessions.setStatus(session.id, 'live')
      if (status === 'live') continue
      clock = start + (20 + Math.floor(random() * 70)) * 60_000
      sessions.setStatus(session.id, 'ended')
      if (random() < 0.15) continue
      const draft = draftOf(evaluations.get(session.id))
      const complete = random() < 0.8
      draft.problems = draft.problems.map((p) => ({
        ...p,
        stars: complete || random() < 0.5 ? 1 + Math.floor(random() * 5) : null,
      }))
      draft.criteria = draft.criteria.map((c) => ({ ...c, score: 1 + Math.floor(random() * 4) }))
      draft.recommendation = complete || random() < 0.5 ? pick(RECOMMENDATIONS) : null
      const parsed = EvaluationDraftSchema.parse(draft)
      if (complete) evaluations.complete(parsed)
      else evaluations.save(parsed)
    }
  })()
  return { db, history: createHistoryService(db) }
}

/** A mix of what people ask History: text alone, text with filters, filters alone; every sort in turn. */
function generateQuery(random: () => number, index: number): HistoryQuery {
  const pick = pickOf(random)
  const sort = HISTORY_SORTS[index % HISTORY_SORTS.length]
  const typed = () => {
    const word = pick([...FIRST_NAMES, ...LAST_NAMES, ...WORDS]).toLowerCase()
    return random() < 0.5 ? word : word.slice(0, Math.min(word.length, 2 + Math.floor(random() * 3)))
  }
  const text = random() < 0.7 ? typed() : `${typed()} ${typed()}`
  const from = FIRST_DAY + Math.floor(random() * (SPAN_DAYS - 90) * DAY_MS)
  const range = { from: dayOf(from), to: dayOf(from + (30 + Math.floor(random() * 300)) * DAY_MS) }
  const recommendations: RecommendationFilter[] = random() < 0.2 ? ['none'] : [pick(RECOMMENDATIONS)]
  const minScore = 1 + Math.floor(random() * 4)
  const filters: HistoryQuery[] = [
    { statuses: ['ended'] },
    range,
    { recommendations },
    { minScore, maxScore: Math.min(5, minScore + 1 + Math.floor(random() * 2)) },
    { ...range, statuses: ['ended'], recommendations },
  ]
  const kind = index % 3
  const paging = random() < 0.2 ? { offset: 50 * (1 + Math.floor(random() * 3)) } : {}
  if (kind === 0) return { text, sort, ...paging }
  if (kind === 1) return { text, ...pick(filters), sort, ...paging }
  return { ...pick(filters), sort, ...paging }
}

/** `history.search` over a real SQLite file of 10,000 sessions: the page of 50 and the total. */
export const historySearchMs10k: Benchmark = {
  key: 'historySearchMs10k',
  title: `history search, filters and sorts over ${SESSION_COUNT.toLocaleString('en')} sessions`,
  target: 20,
  unit: 'ms',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'duet-bench-'))
    const { db, history } = seed(dir)
    try {
      const random = seededRandom(7)
      const queries = Array.from({ length: WARM_UP_QUERIES + MEASURED_QUERIES }, (_, i) =>
        HistoryQuerySchema.parse(generateQuery(random, i)),
      )
      const samples: number[] = []
      queries.forEach((query, i) => {
        const start = performance.now()
        history.search(query)
        const elapsed = performance.now() - start
        if (i >= WARM_UP_QUERIES) samples.push(elapsed)
      })
      return samples
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
