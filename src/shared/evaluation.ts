import { z } from 'zod'
import { MAX_RUBRIC_CRITERIA } from './settings'
import type { FieldIssue } from './validation'

export const RECOMMENDATIONS = ['strong-no', 'no', 'yes', 'strong-yes'] as const
export const RecommendationSchema = z.enum(RECOMMENDATIONS)
export type Recommendation = z.infer<typeof RecommendationSchema>

export const MAX_STARS = 5
export const MAX_RUBRIC_SCORE = 4
export const MAX_COMMENT_CHARS = 20_000
export const MAX_SUMMARY_CHARS = 50_000

const SessionIdSchema = z.string().min(1).max(64)

export const StarsSchema = z
  .number()
  .int()
  .min(1, `must be 1 to ${MAX_STARS} stars`)
  .max(MAX_STARS, `must be 1 to ${MAX_STARS} stars`)
export const RubricScoreSchema = z
  .number()
  .int()
  .min(1, `must be 1 to ${MAX_RUBRIC_SCORE}`)
  .max(MAX_RUBRIC_SCORE, `must be 1 to ${MAX_RUBRIC_SCORE}`)

const CommentSchema = z
  .string()
  .max(MAX_COMMENT_CHARS, `must be at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters`)

/** Null while not given yet: a draft may be saved with any part missing. */
export const ProblemRatingSchema = z.strictObject({ stars: StarsSchema.nullable(), comment: CommentSchema })

/**
 * What the evaluation form saves, as often as the interviewer types. One entry per problem of
 * the session, in order, and one per criterion of the evaluation's own rubric, naming it, so a
 * form opened before the rubric changed can never score the wrong criterion.
 */
export const EvaluationDraftSchema = z.strictObject({
  sessionId: SessionIdSchema,
  problems: z.array(ProblemRatingSchema).max(50),
  criteria: z
    .array(z.strictObject({ label: z.string(), score: RubricScoreSchema.nullable() }))
    .max(MAX_RUBRIC_CRITERIA),
  recommendation: RecommendationSchema.nullable(),
  summary: z.string().max(MAX_SUMMARY_CHARS, `must be at most ${MAX_SUMMARY_CHARS.toLocaleString('en')} characters`),
})
export type EvaluationDraft = z.infer<typeof EvaluationDraftSchema>

export const EvaluationSchema = z.object({
  sessionId: z.string(),
  /** The session's problems in order, with their titles as frozen in the session. */
  problems: z.array(z.object({ title: z.string(), stars: StarsSchema.nullable(), comment: z.string() })),
  /** The rubric as it was when this evaluation was started, with each criterion's score. */
  criteria: z.array(z.object({ label: z.string(), score: RubricScoreSchema.nullable() })),
  recommendation: RecommendationSchema.nullable(),
  summary: z.string(),
  /** The mean of the problems' stars once every problem has some; for sorting and filtering. */
  score: z.number().nullable(),
  /** Set by `evaluations.complete`; cleared again when a later save leaves a required part out. */
  completedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
})
export type Evaluation = z.infer<typeof EvaluationSchema>

export const EvaluationSummarySchema = z.object({
  sessionId: z.string(),
  state: z.enum(['draft', 'complete']),
  recommendation: RecommendationSchema.nullable(),
  score: z.number().nullable(),
  updatedAt: z.iso.datetime(),
})
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>

export const EvaluationRefSchema = z.strictObject({ sessionId: SessionIdSchema })

/** The parts an evaluation takes to send back: everything the interviewer can change. */
export function draftOf(evaluation: Evaluation): EvaluationDraft {
  return {
    sessionId: evaluation.sessionId,
    problems: evaluation.problems.map(({ stars, comment }) => ({ stars, comment })),
    criteria: evaluation.criteria.map(({ label, score }) => ({ label, score })),
    recommendation: evaluation.recommendation,
    summary: evaluation.summary,
  }
}

/**
 * What still stops an evaluation from being complete: every problem's stars, every criterion's
 * score and the recommendation. The summary and comments are optional. Paths match the draft's.
 */
export function missingParts(evaluation: Pick<Evaluation, 'problems' | 'criteria' | 'recommendation'>): FieldIssue[] {
  const missing: FieldIssue[] = []
  evaluation.problems.forEach((problem, index) => {
    if (problem.stars === null) {
      missing.push({ path: `problems[${index}].stars`, message: `stars for problem ${index + 1}, "${problem.title}"` })
    }
  })
  evaluation.criteria.forEach((criterion, index) => {
    if (criterion.score === null) {
      missing.push({ path: `criteria[${index}].score`, message: `a score for "${criterion.label}"` })
    }
  })
  if (evaluation.recommendation === null) {
    missing.push({ path: 'recommendation', message: 'the overall recommendation' })
  }
  return missing
}
