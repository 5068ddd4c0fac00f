import { z } from 'zod'
import {
  missingParts,
  RecommendationSchema,
  RubricScoreSchema,
  StarsSchema,
  type Evaluation,
  type EvaluationDraft,
  type EvaluationSummary,
} from '../../shared/evaluation'
import { HostError } from '../../shared/host-errors'
import { describeIssues, parseWith, type FieldIssue } from '../../shared/validation'
import type { Db } from './database'

export interface EvaluationService {
  /** The session's evaluation; the first call starts one, freezing the rubric the settings hold now. */
  get(sessionId: string): Evaluation
  /** Stores every part of a draft, complete or not. */
  save(draft: EvaluationDraft): Evaluation
  /** Stores the draft, then marks it complete, or refuses with each required part that is missing. */
  complete(draft: EvaluationDraft): Evaluation
  /** Every started evaluation, most recently changed first. */
  list(): EvaluationSummary[]
}

export interface EvaluationServiceOptions {
  now: () => Date
  /** The rubric in the settings now, frozen into each evaluation when it starts. */
  rubric: () => readonly string[]
}

const EvaluationRowSchema = z.object({
  session_id: z.string(),
  recommendation: RecommendationSchema.nullable(),
  summary: z.string(),
  rubric: z.string(),
  score: z.number().nullable(),
  submitted_at: z.string().nullable(),
  updated_at: z.string(),
})
const SummaryRowSchema = EvaluationRowSchema.omit({ summary: true, rubric: true })
const ProblemRowSchema = z.object({
  position: z.number().int().nonnegative(),
  stars: StarsSchema.nullable(),
  comment: z.string(),
})
const TitleRowSchema = z.object({ title: z.string().nullable() })
const StoredRubricSchema = z.array(z.object({ label: z.string(), score: RubricScoreSchema.nullable() }))

function fromDisk<S extends z.ZodType>(schema: S, value: unknown, sessionId: string): z.output<S> {
  const parsed = parseWith(schema, value)
  if (parsed.ok) return parsed.value
  throw new HostError(
    'database',
    `The evaluation of session ${sessionId} is unreadable in the database: ${describeIssues(parsed.issues)}`,
  )
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The mean of the stars once every problem has some; null before. */
function scoreOf(problems: readonly { stars: number | null }[]): number | null {
  const stars = problems.map((p) => p.stars)
  if (stars.length === 0 || stars.some((s) => s === null)) return null
  return (stars as number[]).reduce((sum, s) => sum + s, 0) / stars.length
}

/**
 * Evaluations in the `evaluations` and `evaluation_problems` tables: the rubric with its scores
 * is JSON in `evaluations.rubric`, `submitted_at` says when it was marked complete.
 */
export function createEvaluationService(db: Db, options: EvaluationServiceOptions): EvaluationService {
  const { now } = options
  const statements = {
    session: db.prepare('SELECT id FROM sessions WHERE id = ?'),
    titles: db.prepare(
      "SELECT json_extract(problem, '$.title') AS title FROM session_problems WHERE session_id = ? ORDER BY position",
    ),
    evaluation: db.prepare(
      'SELECT session_id, recommendation, summary, rubric, score, submitted_at, updated_at FROM evaluations WHERE session_id = ?',
    ),
    problems: db.prepare(
      'SELECT position, stars, comment FROM evaluation_problems WHERE session_id = ? ORDER BY position',
    ),
    insert: db.prepare('INSERT INTO evaluations (session_id, rubric, updated_at) VALUES (?, ?, ?)'),
    update: db.prepare(`
      UPDATE evaluations SET recommendation = @recommendation, summary = @summary, rubric = @rubric, score = @score,
        submitted_at = @completedAt, updated_at = @updatedAt
      WHERE session_id = @sessionId`),
    upsertProblem: db.prepare(`
      INSERT INTO evaluation_problems (session_id, position, stars, comment) VALUES (?, ?, ?, ?)
      ON CONFLICT (session_id, position) DO UPDATE SET stars = excluded.stars, comment = excluded.comment`),
    markComplete: db.prepare('UPDATE evaluations SET submitted_at = ? WHERE session_id = ?'),
    list: db.prepare(
      'SELECT session_id, recommendation, score, submitted_at, updated_at FROM evaluations ORDER BY updated_at DESC, session_id',
    ),
  }

  function titlesOf(sessionId: string): string[] {
    if (statements.session.get(sessionId) === undefined) {
      throw new HostError('not-found', `There is no session with id ${sessionId}.`)
    }
    return statements.titles
      .all(sessionId)
      .map((raw, index) => fromDisk(TitleRowSchema, raw, sessionId).title ?? `Problem ${index + 1}`)
  }

  function read(sessionId: string, titles: readonly string[]): Evaluation | null {
    const raw: unknown = statements.evaluation.get(sessionId)
    if (raw === undefined) return null
    const row = fromDisk(EvaluationRowSchema, raw, sessionId)
    const criteria = fromDisk(StoredRubricSchema, parseJson(row.rubric), sessionId)
    const rated = new Map(
      statements.problems.all(sessionId).map((r) => {
        const problem = fromDisk(ProblemRowSchema, r, sessionId)
        return [problem.position, problem] as const
      }),
    )
    return {
      sessionId,
      problems: titles.map((title, position) => ({
        title,
        stars: rated.get(position)?.stars ?? null,
        comment: rated.get(position)?.comment ?? '',
      })),
      criteria,
      recommendation: row.recommendation,
      summary: row.summary,
      score: row.score,
      completedAt: row.submitted_at,
      updatedAt: row.updated_at,
    }
  }

  const start = db.transaction((sessionId: string, titles: readonly string[]): Evaluation => {
    const criteria = options.rubric().map((label) => ({ label, score: null }))
    statements.insert.run(sessionId, JSON.stringify(criteria), now().toISOString())
    titles.forEach((_, position) => statements.upsertProblem.run(sessionId, position, null, ''))
    return read(sessionId, titles) as Evaluation
  })

  function get(sessionId: string): Evaluation {
    const titles = titlesOf(sessionId)
    return read(sessionId, titles) ?? start(sessionId, titles)
  }

  /** A draft must fit the evaluation it is for: one rating per problem, this rubric's criteria. */
  function checkShape(draft: EvaluationDraft, current: Evaluation): void {
    const issues: FieldIssue[] = []
    if (draft.problems.length !== current.problems.length) {
      issues.push({
        path: 'problems',
        message: `must rate ${current.problems.length} problem${current.problems.length === 1 ? '' : 's'}, one per problem of the session`,
      })
    }
    const labels = current.criteria.map((c) => c.label)
    if (JSON.stringify(draft.criteria.map((c) => c.label)) !== JSON.stringify(labels)) {
      issues.push({
        path: 'criteria',
        message: `must score this evaluation's criteria, ${labels.join(', ')}; reopen the evaluation to see them`,
      })
    }
    if (issues.length > 0) {
      throw new HostError('invalid-input', 'The evaluation does not fit this session.', issues)
    }
  }

  const save = db.transaction((draft: EvaluationDraft): Evaluation => {
    const current = get(draft.sessionId)
    checkShape(draft, current)
    const problems = draft.problems.map((p, i) => ({ ...p, title: current.problems[i]?.title ?? '' }))
    const next = { problems, criteria: draft.criteria, recommendation: draft.recommendation }
    // A completed evaluation stays complete only while nothing required is missing.
    const completedAt = missingParts(next).length === 0 ? current.completedAt : null
    statements.update.run({
      sessionId: draft.sessionId,
      recommendation: draft.recommendation,
      summary: draft.summary,
      rubric: JSON.stringify(draft.criteria),
      score: scoreOf(problems),
      completedAt,
      updatedAt: now().toISOString(),
    })
    problems.forEach((p, position) => statements.upsertProblem.run(draft.sessionId, position, p.stars, p.comment))
    return get(draft.sessionId)
  })

  function complete(draft: EvaluationDraft): Evaluation {
    // Saved first, so a refusal loses nothing the interviewer wrote.
    const saved = save(draft)
    const missing = missingParts(saved)
    if (missing.length > 0) {
      const count = missing.length === 1 ? 'a required part is' : `${missing.length} required parts are`
      throw new HostError(
        'invalid-input',
        `The evaluation cannot be marked complete: ${count} missing. Your changes are saved as a draft.`,
        missing.map(({ path, message }) => ({ path, message: `missing ${message}` })),
      )
    }
    if (saved.completedAt !== null) return saved
    statements.markComplete.run(now().toISOString(), draft.sessionId)
    return get(draft.sessionId)
  }

  function list(): EvaluationSummary[] {
    return statements.list.all().map((raw) => {
      const row = fromDisk(SummaryRowSchema, raw, String((raw as { session_id?: unknown }).session_id))
      return {
        sessionId: row.session_id,
        state: row.submitted_at === null ? 'draft' : 'complete',
        recommendation: row.recommendation,
        score: row.score,
        updatedAt: row.updated_at,
      }
    })
  }

  return { get, save, complete, list }
}
