import { z } from 'zod'
import { MAX_STARS, RECOMMENDATIONS, RecommendationSchema } from './evaluation'
import { LanguageSchema } from './problem'
import { SessionStatusSchema } from './session'

export const HISTORY_SORTS = ['newest', 'oldest', 'candidate', 'score', 'duration'] as const
/** Newest and oldest go by the start (or the creation, if never started); score and duration put the highest first. */
export const HistorySortSchema = z.enum(HISTORY_SORTS)
export type HistorySort = z.infer<typeof HistorySortSchema>

/** A recommendation to filter by; `none` is a session without one (no evaluation, or one not decided yet). */
export const RecommendationFilterSchema = z.enum([...RECOMMENDATIONS, 'none'])
export type RecommendationFilter = z.infer<typeof RecommendationFilterSchema>

export const HISTORY_PAGE_MAX = 200

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `YYYY-MM-DD` names a real calendar day (no 2026-02-30). */
export function isCalendarDay(text: string): boolean {
  const match = DAY_PATTERN.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A calendar day on this machine, as `<input type="date">` gives it. */
export const DaySchema = z
  .string()
  .refine(isCalendarDay, { message: 'must be a date like 2026-03-14' })
  .nullable()
  .default(null)

const ScoreBoundSchema = z
  .number()
  .min(1, `must be 1 to ${MAX_STARS}`)
  .max(MAX_STARS, `must be 1 to ${MAX_STARS}`)
  .nullable()
  .default(null)

/**
 * What the History page asks for. Text matches the candidate's name, the session's title and
 * its problems' titles (every word, as a prefix). Days are local to the machine Duet runs on and
 * apply to when the session started, or was created if it never started; both ends included.
 * An empty list of statuses or recommendations means any.
 */
export const HistoryQuerySchema = z
  .strictObject({
    text: z.string().trim().max(200, 'must be at most 200 characters').default(''),
    from: DaySchema,
    to: DaySchema,
    statuses: z.array(SessionStatusSchema).max(3).default([]),
    recommendations: z.array(RecommendationFilterSchema).max(5).default([]),
    minScore: ScoreBoundSchema,
    maxScore: ScoreBoundSchema,
    sort: HistorySortSchema.default('newest'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
  })
  .superRefine((query, ctx) => {
    if (query.from !== null && query.to !== null && query.from > query.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after the start date' })
    }
    if (query.minScore !== null && query.maxScore !== null && query.minScore > query.maxScore) {
      ctx.addIssue({ code: 'custom', path: ['maxScore'], message: 'must be at least the lowest score' })
    }
  })
export type HistoryQuery = z.input<typeof HistoryQuerySchema>
export type ParsedHistoryQuery = z.output<typeof HistoryQuerySchema>

export const HistoryRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  candidateName: z.string(),
  language: LanguageSchema,
  status: SessionStatusSchema,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  /** From start to end; null until the session has both. */
  durationMs: z.number().int().nonnegative().nullable(),
  problemTitles: z.array(z.string()),
  recommendation: RecommendationSchema.nullable(),
  /** The mean of the problems' stars, once every problem has some. */
  score: z.number().nullable(),
  evaluation: z.enum(['none', 'draft', 'complete']),
})
export type HistoryRow = z.infer<typeof HistoryRowSchema>

/** One page of results and how many match in all. */
export const HistoryPageSchema = z.object({
  total: z.number().int().nonnegative(),
  rows: z.array(HistoryRowSchema),
})
export type HistoryPage = z.infer<typeof HistoryPageSchema>
