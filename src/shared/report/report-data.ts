import type { TestResult } from '../exec/test-result'
import type { RunStatus } from '../exec/run'
import type { Evaluation, Recommendation } from '../evaluation'
import type { Note } from '../notes'
import type { Difficulty, Language } from '../problem'
import type { RunKind, RunSide, StoredRun } from '../run-record'
import type { Session, SessionStatus } from '../session'

/** Where a problem's final code came from. */
export type CodeSource =
  /** Rebuilt from the session's recording: what was in the editor at the end. */
  | 'recording'
  /** Nothing was recorded (the session never started): the starter code. */
  | 'starter'

/** Why a run is shown in full rather than only as a line of the run table. */
export type RunHighlight = 'last-run' | 'last-tests' | 'hidden-tests'

/** One line of a problem's run table. */
export interface ReportRunLine {
  runId: string
  /** Milliseconds since the session started. */
  tMs: number
  side: RunSide
  kind: RunKind
  status: RunStatus
  durationMs: number | null
  /** Null for a plain run, or tests that never finished. */
  passed: number | null
  total: number | null
}

/** A run shown in full: its tests one by one, its message and the start of its output. */
export interface ReportRunDetail extends ReportRunLine {
  highlights: RunHighlight[]
  message: string | null
  tests: TestResult[] | null
  stdout: string
  stderr: string
}

export interface ReportProblem {
  /** 0-based, as everywhere in the session. */
  index: number
  title: string
  difficulty: Difficulty
  /** The statement, Markdown. */
  description: string
  finalCode: string
  codeSource: CodeSource
  runs: ReportRunLine[]
  details: ReportRunDetail[]
  rating: { stars: number | null; comment: string }
}

export interface ReportNote {
  tMs: number
  /** The problem on screen when the note was taken, or null. */
  problem: { index: number; title: string } | null
  text: string
}

export interface ReportEvaluation {
  state: 'complete' | 'draft' | 'empty'
  criteria: { label: string; score: number | null }[]
  recommendation: Recommendation | null
  summary: string
  /** The mean of the problems' stars once each has some. */
  score: number | null
}

/** Everything a report shows, gathered from the host API; both renderers read only this. */
export interface ReportData {
  /** When the report was made, ISO. */
  generatedAt: string
  /** The IANA zone dates are shown in: the interviewer's. */
  timeZone: string
  session: {
    id: string
    title: string
    candidateName: string
    language: Language
    status: SessionStatus
    createdAt: string
    startedAt: string | null
    endedAt: string | null
    /** From start to end; null until the session has both. */
    durationMs: number | null
    timeLimitMs: number | null
  }
  problems: ReportProblem[]
  evaluation: ReportEvaluation
  notes: ReportNote[]
}

export interface ReportSources {
  session: Session
  runs: StoredRun[]
  notes: Note[]
  /** Null while no evaluation was started: exporting a report does not start one. */
  evaluation: Evaluation | null
  /** Each problem's code at the end of the session, by index. */
  finalCode: { codes: string[]; fromStarter: boolean }
  generatedAt: Date
  timeZone: string
}

function lineOf(run: StoredRun): ReportRunLine {
  const tests = run.testResults
  return {
    runId: run.runId,
    tMs: run.tMs,
    side: run.side,
    kind: run.kind,
    status: run.status,
    durationMs: run.durationMs,
    passed: tests === null ? null : tests.filter((t) => t.status === 'pass').length,
    total: tests === null ? null : tests.length,
  }
}

const byTime = (a: StoredRun, b: StoredRun): number => a.tMs - b.tMs || a.id - b.id

/**
 * The runs worth reading in full: the last run of any kind (where the candidate ended up), the
 * last run of the visible tests, and every run of the hidden tests (the interviewer's verdicts).
 */
function detailsOf(runs: StoredRun[]): ReportRunDetail[] {
  const highlights = new Map<StoredRun, RunHighlight[]>()
  const mark = (run: StoredRun | undefined, highlight: RunHighlight): void => {
    if (run) highlights.set(run, [...(highlights.get(run) ?? []), highlight])
  }
  mark(runs.at(-1), 'last-run')
  mark(
    runs.findLast((r) => r.kind === 'tests'),
    'last-tests',
  )
  for (const run of runs) if (run.kind === 'hidden-tests') mark(run, 'hidden-tests')
  return runs
    .filter((run) => highlights.has(run))
    .map((run) => ({
      ...lineOf(run),
      highlights: highlights.get(run) ?? [],
      message: run.message,
      tests: run.testResults,
      stdout: run.stdout,
      stderr: run.stderr,
    }))
}

function evaluationState(evaluation: Evaluation | null): ReportEvaluation['state'] {
  if (evaluation === null) return 'empty'
  if (evaluation.completedAt !== null) return 'complete'
  const touched =
    evaluation.recommendation !== null ||
    evaluation.summary.trim() !== '' ||
    evaluation.problems.some((p) => p.stars !== null || p.comment.trim() !== '') ||
    evaluation.criteria.some((c) => c.score !== null)
  return touched ? 'draft' : 'empty'
}

function durationOf(session: Session): number | null {
  if (session.startedAt === null || session.endedAt === null) return null
  return Math.max(0, Date.parse(session.endedAt) - Date.parse(session.startedAt))
}

/** Joins what the host API returned into the report's data; pure, so both formats agree. */
export function buildReportData(sources: ReportSources): ReportData {
  const { session, evaluation } = sources
  const runs = [...sources.runs].sort(byTime)
  const problems = session.problems.map((problem, index): ReportProblem => {
    const { codes, fromStarter } = sources.finalCode
    const own = runs.filter((run) => run.problem === index)
    const rating = evaluation?.problems[index]
    return {
      index,
      title: problem.title,
      difficulty: problem.difficulty,
      description: problem.description,
      finalCode: codes[index] ?? problem.starterCode[session.language],
      codeSource: fromStarter ? 'starter' : 'recording',
      runs: own.map(lineOf),
      details: detailsOf(own),
      rating: { stars: rating?.stars ?? null, comment: rating?.comment ?? '' },
    }
  })
  const notes = [...sources.notes]
    .sort((a, b) => a.tMs - b.tMs || a.id - b.id)
    .map((note): ReportNote => {
      const problem = note.problem === null ? undefined : session.problems[note.problem]
      return {
        tMs: note.tMs,
        problem: problem && note.problem !== null ? { index: note.problem, title: problem.title } : null,
        text: note.text,
      }
    })
  return {
    generatedAt: sources.generatedAt.toISOString(),
    timeZone: sources.timeZone,
    session: {
      id: session.id,
      title: session.title,
      candidateName: session.candidateName,
      language: session.language,
      status: session.status,
      createdAt: session.createdAt,
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      durationMs: durationOf(session),
      timeLimitMs: session.timeLimitMs,
    },
    problems,
    evaluation: {
      state: evaluationState(evaluation),
      criteria: evaluation?.criteria.map(({ label, score }) => ({ label, score })) ?? [],
      recommendation: evaluation?.recommendation ?? null,
      summary: evaluation?.summary ?? '',
      score: evaluation?.score ?? null,
    },
    notes,
  }
}
