import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { draftOf, EvaluationDraftSchema, type Evaluation, type EvaluationDraft } from '../../shared/evaluation'
import { HostError } from '../../shared/host-errors'
import { ProblemInputSchema } from '../../shared/problem'
import { SessionCreateSchema } from '../../shared/session'
import { DEFAULT_RUBRIC } from '../../shared/settings'
import { parseWith } from '../../shared/validation'
import { openDatabase, type Db } from './database'
import { createEvaluationService, type EvaluationService } from './evaluations'
import { createProblemBank } from './problem-bank'
import { createSessionService } from './sessions'
import { createSettingsStore } from './settings-store'

let dir: string
let db: Db
let evaluations: EvaluationService
let sessionId: string
let clock: Date

function reopen(): void {
  db?.close()
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  const settings = createSettingsStore(db)
  evaluations = createEvaluationService(db, { now: () => clock, rubric: () => settings.get().rubric })
}

function hostErrorOf(run: () => unknown): HostError {
  try {
    run()
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a HostError')
}

/** A full, valid draft of the evaluation, changed by `edit`. */
function edited(evaluation: Evaluation, edit: (draft: EvaluationDraft) => void): EvaluationDraft {
  const draft = draftOf(evaluation)
  edit(draft)
  return EvaluationDraftSchema.parse(draft)
}

function fillAll(draft: EvaluationDraft): void {
  draft.problems = draft.problems.map((p, i) => ({ ...p, stars: i + 3 }))
  draft.criteria = draft.criteria.map((c, i) => ({ ...c, score: (i % 4) + 1 }))
  draft.recommendation = 'yes'
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-evaluations-'))
  clock = new Date('2026-11-23T10:00:00.000Z')
  reopen()
  const bank = createProblemBank(db, () => clock)
  const ids = ['Two Sum', 'Balanced Brackets'].map(
    (title, i) =>
      bank.create(
        ProblemInputSchema.parse({
          title,
          slug: `p-${i}`,
          difficulty: 'junior',
          entryFunction: 'solve',
          starterCode: { python: 'def solve():\n    pass\n' },
          solution: {},
        }),
      ).id,
  )
  sessionId = createSessionService(db, bank, { now: () => clock }).create(
    SessionCreateSchema.parse({ language: 'python', problems: { mode: 'pick', ids } }),
  ).id
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('evaluations', () => {
  it('starts an empty draft with the session’s problems and the rubric from the settings', () => {
    expect(evaluations.list()).toEqual([])
    const evaluation = evaluations.get(sessionId)
    expect(evaluation).toEqual({
      sessionId,
      problems: [
        { title: 'Two Sum', stars: null, comment: '' },
        { title: 'Balanced Brackets', stars: null, comment: '' },
      ],
      criteria: DEFAULT_RUBRIC.map((label) => ({ label, score: null })),
      recommendation: null,
      summary: '',
      score: null,
      completedAt: null,
      updatedAt: '2026-11-23T10:00:00.000Z',
    })
    expect(evaluations.list()).toEqual([
      { sessionId, state: 'draft', recommendation: null, score: null, updatedAt: '2026-11-23T10:00:00.000Z' },
    ])
  })

  it('keeps every part of a draft across a restart, as SQLite rows', () => {
    const draft = edited(evaluations.get(sessionId), (d) => {
      d.problems[0] = { stars: 4, comment: 'Clean two-pointer solution' }
      d.criteria[1] = { label: 'Code quality', score: 3 }
      d.summary = 'Strong on fundamentals.'
    })
    clock = new Date('2026-11-23T11:00:00.000Z')
    const saved = evaluations.save(draft)
    reopen()
    expect(evaluations.get(sessionId)).toEqual(saved)
    expect(saved).toMatchObject({
      problems: [
        { title: 'Two Sum', stars: 4, comment: 'Clean two-pointer solution' },
        { title: 'Balanced Brackets', stars: null, comment: '' },
      ],
      summary: 'Strong on fundamentals.',
      score: null,
      completedAt: null,
      updatedAt: '2026-11-23T11:00:00.000Z',
    })
    expect(db.prepare('SELECT position, stars, comment FROM evaluation_problems ORDER BY position').all()).toEqual([
      { position: 0, stars: 4, comment: 'Clean two-pointer solution' },
      { position: 1, stars: null, comment: '' },
    ])
  })

  it('freezes the rubric when the evaluation starts: later settings leave it alone', () => {
    const started = evaluations.get(sessionId)
    createSettingsStore(db).update({ rubric: ['Only this'] })
    expect(evaluations.get(sessionId).criteria.map((c) => c.label)).toEqual(DEFAULT_RUBRIC)
    reopen()
    expect(evaluations.get(sessionId)).toEqual(started)
  })

  it('refuses to complete with each missing part named, saving the draft all the same', () => {
    const draft = edited(evaluations.get(sessionId), (d) => {
      d.problems[1] = { stars: 5, comment: 'Quick' }
      d.criteria = d.criteria.map((c, i) => ({ ...c, score: i === 2 ? null : 2 }))
    })
    const error = hostErrorOf(() => evaluations.complete(draft))
    expect(error.code).toBe('invalid-input')
    expect(error.message).toBe(
      'The evaluation cannot be marked complete: 3 required parts are missing. Your changes are saved as a draft.',
    )
    expect(error.issues).toEqual([
      { path: 'problems[0].stars', message: 'missing stars for problem 1, "Two Sum"' },
      { path: 'criteria[2].score', message: 'missing a score for "Communication"' },
      { path: 'recommendation', message: 'missing the overall recommendation' },
    ])
    expect(evaluations.get(sessionId)).toMatchObject({ problems: [{ stars: null }, { stars: 5, comment: 'Quick' }] })
    expect(evaluations.get(sessionId).completedAt).toBeNull()
  })

  it('marks a full evaluation complete with its score, and turns it back into a draft when a part is removed', () => {
    const full = edited(evaluations.get(sessionId), fillAll)
    clock = new Date('2026-11-23T12:00:00.000Z')
    const done = evaluations.complete(full)
    expect(done).toMatchObject({ completedAt: '2026-11-23T12:00:00.000Z', score: 3.5, recommendation: 'yes' })
    expect(evaluations.list()).toEqual([
      { sessionId, state: 'complete', recommendation: 'yes', score: 3.5, updatedAt: '2026-11-23T12:00:00.000Z' },
    ])

    // Editing a comment keeps it complete, and completing again keeps the first time.
    clock = new Date('2026-11-23T12:30:00.000Z')
    const commented = edited(done, (d) => (d.summary = 'Hire.'))
    expect(evaluations.save(commented).completedAt).toBe('2026-11-23T12:00:00.000Z')
    expect(evaluations.complete(commented).completedAt).toBe('2026-11-23T12:00:00.000Z')

    const unrated = edited(done, (d) => (d.recommendation = null))
    expect(evaluations.save(unrated)).toMatchObject({ completedAt: null, score: 3.5 })
  })

  it('refuses a draft that does not fit the session: wrong problem count or another rubric', () => {
    const evaluation = evaluations.get(sessionId)
    const error = hostErrorOf(() =>
      evaluations.save(
        edited(evaluation, (d) => {
          d.problems = d.problems.slice(0, 1)
          d.criteria = [{ label: 'Something else', score: 2 }]
        }),
      ),
    )
    expect(error.issues).toEqual([
      { path: 'problems', message: 'must rate 2 problems, one per problem of the session' },
      {
        path: 'criteria',
        message:
          "must score this evaluation's criteria, Problem solving, Code quality, Communication, Testing; reopen the evaluation to see them",
      },
    ])
    expect(evaluations.get(sessionId)).toEqual(evaluation)
  })

  it('says which session does not exist', () => {
    expect(hostErrorOf(() => evaluations.get('nope')).message).toBe('There is no session with id nope.')
  })

  it('is deleted with its session', () => {
    evaluations.save(edited(evaluations.get(sessionId), fillAll))
    db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId)
    expect(db.prepare('SELECT count(*) AS n FROM evaluations').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM evaluation_problems').get()).toEqual({ n: 0 })
  })
})

describe('the draft schema', () => {
  it('names each value out of range', () => {
    const parsed = parseWith(EvaluationDraftSchema, {
      sessionId: 's',
      problems: [{ stars: 6, comment: '' }],
      criteria: [{ label: 'Testing', score: 0 }],
      recommendation: 'maybe',
      summary: '',
    })
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path)).toEqual([
      'problems[0].stars',
      'criteria[0].score',
      'recommendation',
    ])
    expect(parsed.ok ? '' : parsed.issues[0]?.message).toBe('must be 1 to 5 stars')
  })
})
