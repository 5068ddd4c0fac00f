import { mdCode, mdCodeBlock, mdInline as t, mdMultiline, mdStatement } from './markdown-text'
import type { ReportData, ReportNote, ReportProblem, ReportRunDetail } from './report-data'
import {
  CONFIDENTIAL_NOTICE,
  DIFFICULTY_NAMES,
  ERROR_EXCERPT_CHARS,
  EVALUATION_STATE_NAMES,
  KIND_NAMES,
  LANGUAGE_NAMES,
  OUTPUT_EXCERPT_CHARS,
  RECOMMENDATION_NAMES,
  RUN_STATUS_NAMES,
  SIDE_NAMES,
  STATUS_NAMES,
  TEST_STATUS_NAMES,
  averageText,
  candidateOf,
  durationOf,
  excerpt,
  formatDate,
  highlightText,
  jsonExcerpt,
  problemLabel,
  reportTitle,
  runCountText,
  runDuration,
  scoreText,
  sessionDate,
  sessionTime,
  sessionTitle,
  starsText,
  testsText,
  timeLimitOf,
} from './report-format'

// Every user-provided string passes through t() (or mdMultiline, mdCode, mdCodeBlock,
// mdStatement): text in the report stays text in any Markdown viewer.

/** Info strings of fenced code, for viewers that highlight. */
const FENCE_LANGUAGE = { python: 'python', javascript: 'javascript' } as const

function header(data: ReportData): string[] {
  const { session, evaluation } = data
  const recommendation =
    evaluation.recommendation === null ? 'Not given' : RECOMMENDATION_NAMES[evaluation.recommendation]
  return [
    `# ${t(reportTitle(data))}`,
    `_Report made ${t(formatDate(data.generatedAt, data.timeZone))} (${t(data.timeZone)}). ${t(CONFIDENTIAL_NOTICE)}_`,
    [
      `- **Candidate:** ${t(candidateOf(data))}`,
      `- **Session:** ${t(sessionTitle(data))}`,
      `- **Date:** ${t(formatDate(sessionDate(data), data.timeZone))}`,
      `- **Duration:** ${t(durationOf(data))}`,
      `- **Time limit:** ${t(timeLimitOf(data))}`,
      `- **Status:** ${STATUS_NAMES[session.status]}`,
      `- **Language:** ${LANGUAGE_NAMES[session.language]}`,
      `- **Problems:** ${t(data.problems.map((p) => p.title).join(', ') || 'None')}`,
      `- **Recommendation:** ${recommendation}`,
      `- **Average stars:** ${averageText(evaluation.score)}`,
    ].join('\n'),
  ]
}

function evaluationPart(data: ReportData): string[] {
  const { evaluation } = data
  const parts = ['## Evaluation', `_${EVALUATION_STATE_NAMES[evaluation.state]}_`]
  if (evaluation.state === 'empty') return [...parts, 'The interviewer has not evaluated this session yet.']
  const recommendation =
    evaluation.recommendation === null ? 'Not given' : RECOMMENDATION_NAMES[evaluation.recommendation]
  parts.push(`**Recommendation:** ${recommendation}`)
  parts.push('### Summary', evaluation.summary.trim() ? mdMultiline(evaluation.summary) : '_No summary._')
  if (evaluation.criteria.length > 0) {
    parts.push(
      '### Rubric',
      [
        '| Criterion | Score |',
        '| --- | --- |',
        ...evaluation.criteria.map((c) => `| ${t(c.label)} | ${scoreText(c.score)} |`),
      ].join('\n'),
    )
  }
  if (data.problems.length > 0) {
    parts.push('### Problems')
    for (const problem of data.problems) {
      parts.push(`**${t(problemLabel(problem))}** · ${starsText(problem.rating.stars)}`)
      if (problem.rating.comment.trim()) parts.push(mdMultiline(problem.rating.comment))
    }
  }
  return parts
}

function testLines(run: ReportRunDetail): string[] {
  if (run.tests === null) return []
  if (run.tests.length === 0) return ['_No test cases._']
  return [
    run.tests
      .map((test) => {
        const outcome =
          test.error !== undefined
            ? `error ${mdCode(excerpt(test.error, ERROR_EXCERPT_CHARS))}`
            : `returned ${mdCode(jsonExcerpt(test.actual))}`
        return `- **${TEST_STATUS_NAMES[test.status]}** ${t(test.name)}: expected ${mdCode(jsonExcerpt(test.expected))}, ${outcome}`
      })
      .join('\n'),
  ]
}

function outputLines(label: string, text: string): string[] {
  return text === '' ? [] : [`${label}:`, mdCodeBlock(excerpt(text, OUTPUT_EXCERPT_CHARS), 'text')]
}

function runDetail(run: ReportRunDetail): string[] {
  const title = `${KIND_NAMES[run.kind]} by the ${SIDE_NAMES[run.side].toLowerCase()} at ${sessionTime(run.tMs)}`
  const summary = [RUN_STATUS_NAMES[run.status], run.total === null ? null : testsText(run), runDuration(run)]
  return [
    `#### ${title}`,
    `_${[...summary.filter((s) => s !== null && s !== '—'), highlightText(run.highlights)].join(' · ')}_`,
    ...(run.message ? [t(run.message)] : []),
    ...testLines(run),
    ...outputLines('Output', run.stdout),
    ...outputLines('Errors', run.stderr),
  ]
}

function runsPart(problem: ReportProblem): string[] {
  if (problem.runs.length === 0) return ['### Runs', '_No runs._']
  const table = [
    '| Time | By | Kind | Status | Tests | Duration |',
    '| ---: | --- | --- | --- | --- | ---: |',
    ...problem.runs.map(
      (run) =>
        `| ${sessionTime(run.tMs)} | ${SIDE_NAMES[run.side]} | ${KIND_NAMES[run.kind]} | ` +
        `${RUN_STATUS_NAMES[run.status]} | ${testsText(run)} | ${runDuration(run)} |`,
    ),
  ].join('\n')
  return ['### Runs', runCountText(problem.runs.length), table, ...problem.details.flatMap(runDetail)]
}

function problemPart(problem: ReportProblem, data: ReportData): string[] {
  const language = LANGUAGE_NAMES[data.session.language]
  const source =
    problem.codeSource === 'recording'
      ? `${language}, as it was at the end of the session`
      : `${language}: the starter code, since nothing was recorded`
  return [
    `## ${t(problemLabel(problem))}`,
    `_${DIFFICULTY_NAMES[problem.difficulty]} · ${runCountText(problem.runs.length)} · ${starsText(problem.rating.stars)}_`,
    '### Statement',
    mdStatement(problem.description, 3),
    '### Final code',
    `_${source}_`,
    mdCodeBlock(problem.finalCode, FENCE_LANGUAGE[data.session.language]),
    ...runsPart(problem),
  ]
}

function noteLines(note: ReportNote): string[] {
  const where = note.problem === null ? 'no problem on screen' : t(problemLabel(note.problem))
  return [`**${sessionTime(note.tMs)}** · ${where}`, mdMultiline(note.text)]
}

function notesPart(data: ReportData): string[] {
  return ['## Notes', ...(data.notes.length === 0 ? ['_No notes._'] : data.notes.flatMap(noteLines))]
}

/** The report as one Markdown file: readable as plain text, and safe in any Markdown viewer. */
export function renderMarkdownReport(data: ReportData): string {
  const blocks = [
    ...header(data),
    ...evaluationPart(data),
    ...data.problems.flatMap((problem) => problemPart(problem, data)),
    ...notesPart(data),
  ]
  return `${blocks.join('\n\n')}\n`
}
