import type { RunStatus } from '../exec/run'
import type { TestStatus } from '../exec/test-result'
import { MAX_RUBRIC_SCORE, MAX_STARS, type Recommendation } from '../evaluation'
import type { Difficulty, Language } from '../problem'
import type { RunKind, RunSide } from '../run-record'
import type { SessionStatus } from '../session'
import { durationText, elapsedText } from '../timer'
import type { ReportData, ReportEvaluation, ReportRunLine, RunHighlight } from './report-data'

// Words shared by the Markdown and HTML reports, so the two always say the same thing.

export const LANGUAGE_NAMES: Record<Language, string> = { python: 'Python', javascript: 'JavaScript' }
export const DIFFICULTY_NAMES: Record<Difficulty, string> = { junior: 'Junior', middle: 'Middle', senior: 'Senior' }
export const STATUS_NAMES: Record<SessionStatus, string> = { created: 'Not started', live: 'Live', ended: 'Ended' }
export const SIDE_NAMES: Record<RunSide, string> = { candidate: 'Candidate', interviewer: 'Interviewer' }
export const KIND_NAMES: Record<RunKind, string> = { run: 'Run', tests: 'Tests', 'hidden-tests': 'Hidden tests' }
export const RUN_STATUS_NAMES: Record<RunStatus, string> = {
  ok: 'Finished',
  error: 'Error',
  timeout: 'Timed out',
  stopped: 'Stopped',
  'output-limit': 'Output limit',
}
export const TEST_STATUS_NAMES: Record<TestStatus, string> = { pass: 'Pass', fail: 'Fail', error: 'Error' }
export const RECOMMENDATION_NAMES: Record<Recommendation, string> = {
  'strong-no': 'Strong no',
  no: 'No',
  yes: 'Yes',
  'strong-yes': 'Strong yes',
}
export const SCORE_NAMES: Record<number, string> = { 1: 'Weak', 2: 'Mixed', 3: 'Good', 4: 'Strong' }
export const EVALUATION_STATE_NAMES: Record<ReportEvaluation['state'], string> = {
  complete: 'Complete',
  draft: 'Draft (not marked complete)',
  empty: 'Not started',
}
export const HIGHLIGHT_NAMES: Record<RunHighlight, string> = {
  'last-run': 'the last run',
  'last-tests': 'the last run of the visible tests',
  'hidden-tests': 'a run of the hidden tests',
}

/** Output shown of a run in full: its start, enough to see what went wrong. */
export const OUTPUT_EXCERPT_CHARS = 2000
/** A test's expected or actual value, as JSON. */
export const VALUE_EXCERPT_CHARS = 300
export const ERROR_EXCERPT_CHARS = 1000

/** The text cut to `max` characters, saying how much was left out. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en')} more characters)`
}

/** A JSON value on one line, cut short; "—" when there is none. */
export function jsonExcerpt(value: unknown): string {
  return value === undefined ? '—' : excerpt(JSON.stringify(value), VALUE_EXCERPT_CHARS)
}

export function candidateOf(data: ReportData): string {
  return data.session.candidateName.trim() || 'Unnamed candidate'
}

/** "Interview report: Ada Lovelace" */
export function reportTitle(data: ReportData): string {
  return `Interview report: ${candidateOf(data)}`
}

/** The session's own title, when it has one: "Interview with Ada Lovelace" by default. */
export function sessionTitle(data: ReportData): string {
  return data.session.title.trim() || '—'
}

/** "12 March 2025, 14:05", in the report's time zone. */
export function formatDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso))
}

/** The session's date: when it started, or when it was created if it never did. */
export function sessionDate(data: ReportData): string {
  return data.session.startedAt ?? data.session.createdAt
}

export function durationOf(data: ReportData): string {
  const { durationMs, startedAt, status } = data.session
  if (durationMs !== null) return durationText(durationMs)
  if (startedAt === null) return 'Not started'
  return status === 'live' ? 'Still live' : 'Unknown'
}

export function timeLimitOf(data: ReportData): string {
  return data.session.timeLimitMs === null ? 'None' : durationText(data.session.timeLimitMs)
}

/** A moment on the session's clock, "4:05". */
export const sessionTime = elapsedText

export function starsText(stars: number | null): string {
  return stars === null
    ? 'Not rated'
    : `${'★'.repeat(stars)}${'☆'.repeat(MAX_STARS - stars)} (${stars} of ${MAX_STARS})`
}

export function scoreText(score: number | null): string {
  return score === null ? 'Not scored' : `${score} of ${MAX_RUBRIC_SCORE} (${SCORE_NAMES[score] ?? ''})`
}

export function averageText(score: number | null): string {
  return score === null ? '—' : `${score.toFixed(1)} of ${MAX_STARS}`
}

export function testsText(run: ReportRunLine): string {
  return run.total === null ? '—' : `${run.passed ?? 0} of ${run.total} passed`
}

export function runDuration(run: ReportRunLine): string {
  return run.durationMs === null ? '—' : `${run.durationMs.toLocaleString('en')} ms`
}

/** "Problem 2: Balanced Brackets" */
export function problemLabel(problem: { index: number; title: string }): string {
  return `Problem ${problem.index + 1}: ${problem.title}`
}

/** "shown in full as the last run and a run of the hidden tests" */
export function highlightText(highlights: RunHighlight[]): string {
  return `shown in full as ${highlights.map((h) => HIGHLIGHT_NAMES[h]).join(' and ')}`
}

export function runCountText(count: number): string {
  return count === 1 ? '1 run' : `${count.toLocaleString('en')} runs`
}

export const CONFIDENTIAL_NOTICE =
  'Confidential: this report holds private notes and hidden tests. Do not share it with the candidate.'
