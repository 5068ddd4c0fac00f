import { z } from 'zod'
import { RecommendationSchema } from '../../shared/evaluation'
import type { HistoryPage, HistoryRow, HistorySort, ParsedHistoryQuery } from '../../shared/history'
import { HostError } from '../../shared/host-errors'
import { LanguageSchema } from '../../shared/problem'
import { SessionStatusSchema } from '../../shared/session'
import { describeIssues, parseWith } from '../../shared/validation'
import type { Db } from './database'
import { ftsQueryOf } from './problem-bank'

export interface HistoryService {
  /** One page of the sessions that match, in the order asked for, and how many match in all. */
  search(query: ParsedHistoryQuery): HistoryPage
}

// Each spelled as migration 004's index for it, so SQLite reads the index in order and stops at the page.
const ORDER: Record<HistorySort, string> = {
  newest: 'h.start_at DESC, h.id DESC',
  oldest: 'h.start_at ASC, h.id ASC',
  // Unnamed candidates last, not first.
  candidate: "h.candidate_name = '', h.candidate_name COLLATE NOCASE, h.start_at DESC, h.id DESC",
  score: 'coalesce(h.score, 0) DESC, h.start_at DESC, h.id DESC',
  duration: 'coalesce(h.duration_ms, -1) DESC, h.start_at DESC, h.id DESC',
}

const CountRowSchema = z.object({ total: z.number().int().nonnegative() })
const IdRowSchema = z.object({ id: z.string() })
const DetailRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  candidate_name: z.string(),
  language: LanguageSchema,
  status: SessionStatusSchema,
  created_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  problems: z.string().nullable(),
  evaluation_id: z.string().nullable(),
  recommendation: RecommendationSchema.nullable(),
  score: z.number().nullable(),
  submitted_at: z.string().nullable(),
})
type DetailRow = z.infer<typeof DetailRowSchema>
const TitlesSchema = z.array(z.string())

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

/** Local midnight at the start of `day` (YYYY-MM-DD) plus `addDays`, as stored times are written. */
function localMidnightIso(day: string, addDays = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return new Date(year, month - 1, date + addDays).toISOString()
}

function durationOf(startedAt: string | null, endedAt: string | null): number | null {
  if (startedAt === null || endedAt === null) return null
  return Math.max(0, Date.parse(endedAt) - Date.parse(startedAt))
}

function rowOf(row: DetailRow): HistoryRow {
  const titles = row.problems === null ? [] : fromDisk(TitlesSchema, parseJson(row.problems), `Session ${row.id}`)
  return {
    id: row.id,
    title: row.title,
    candidateName: row.candidate_name,
    language: row.language,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: durationOf(row.started_at, row.ended_at),
    problemTitles: titles,
    recommendation: row.recommendation,
    score: row.score,
    evaluation: row.evaluation_id === null ? 'none' : row.submitted_at === null ? 'draft' : 'complete',
  }
}

interface Filter {
  from: string
  where: string
  params: Record<string, string | number>
}

/** The FROM and WHERE clauses of a query, over the one narrow table migration 004 keeps for it. */
function filterOf(query: ParsedHistoryQuery): Filter {
  const where: string[] = []
  const params: Record<string, string | number> = {}
  let from = 'session_history h'
  const match = ftsQueryOf(query.text)
  if (match !== null) {
    from = 'session_history_fts f JOIN session_history h ON h.id = f.rowid'
    where.push('session_history_fts MATCH @match')
    params.match = match
  }
  if (query.from !== null) {
    where.push('h.start_at >= @from')
    params.from = localMidnightIso(query.from)
  }
  if (query.to !== null) {
    where.push('h.start_at < @to')
    params.to = localMidnightIso(query.to, 1)
  }
  if (query.statuses.length > 0) {
    where.push('h.status IN (SELECT value FROM json_each(@statuses))')
    params.statuses = JSON.stringify(query.statuses)
  }
  if (query.recommendations.length > 0) {
    const given = query.recommendations.filter((r) => r !== 'none')
    const either: string[] = []
    if (given.length > 0) {
      either.push('h.recommendation IN (SELECT value FROM json_each(@recommendations))')
      params.recommendations = JSON.stringify(given)
    }
    if (query.recommendations.includes('none')) either.push('h.recommendation IS NULL')
    where.push(`(${either.join(' OR ')})`)
  }
  if (query.minScore !== null) {
    where.push('h.score >= @minScore')
    params.minScore = query.minScore
  }
  if (query.maxScore !== null) {
    where.push('h.score <= @maxScore')
    params.maxScore = query.maxScore
  }
  return { from, where: where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`, params }
}

/**
 * Search over every session for the History page. Three small statements per search: the count,
 * the page's ids in order (from the narrow `session_history` table alone), then the page's details.
 */
export function createHistoryService(db: Db): HistoryService {
  const details = db.prepare(`
    SELECT s.id, s.title, s.candidate_name, s.language, s.status, s.created_at, s.started_at, s.ended_at,
      h.problems, e.session_id AS evaluation_id, e.recommendation, e.score, e.submitted_at
    FROM json_each(@ids) j
      JOIN sessions s ON s.id = j.value
      LEFT JOIN session_history h ON h.session_id = s.id
      LEFT JOIN evaluations e ON e.session_id = s.id
    ORDER BY j.key`)
  // Each shape of query is prepared once; there are few (which filters are set, which sort).
  const cache = new Map<string, ReturnType<Db['prepare']>>()
  const prepared = (sql: string) => {
    let statement = cache.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }

  const search = db.transaction((query: ParsedHistoryQuery): HistoryPage => {
    const { from, where, params } = filterOf(query)
    const count: unknown = prepared(`SELECT count(*) AS total FROM ${from} ${where}`).get(params)
    const total = fromDisk(CountRowSchema, count, 'The history count').total
    if (total === 0 || query.offset >= total) return { total, rows: [] }
    const ids = prepared(
      `SELECT h.session_id AS id FROM ${from} ${where} ORDER BY ${ORDER[query.sort]} LIMIT @limit OFFSET @offset`,
    )
      .all({ ...params, limit: query.limit, offset: query.offset })
      .map((raw) => fromDisk(IdRowSchema, raw, 'A session').id)
    const rows = details
      .all({ ids: JSON.stringify(ids) })
      .map((raw) => rowOf(fromDisk(DetailRowSchema, raw, 'A session')))
    return { total, rows }
  })

  return { search }
}
