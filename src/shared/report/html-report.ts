import { escapeHtml as e, htmlCode, htmlMultiline, htmlStatement } from './html-text'
import { REPORT_CSS } from './html-style'
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

/**
 * Nothing in the report runs or loads: no script, no frame, no request, not even for an image or
 * a font. Only the inline style applies, and images embedded as data.
 */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

// Every user-provided string passes through e() (or htmlMultiline / htmlCode / htmlStatement,
// which escape): in this file, a `${...}` holding user text without one of them is a bug.

function facts(rows: [string, string][]): string {
  return `<dl class="facts">${rows.map(([term, value]) => `<dt>${e(term)}</dt><dd>${value}</dd>`).join('')}</dl>`
}

function header(data: ReportData): string {
  const { session, evaluation } = data
  const rows: [string, string][] = [
    ['Candidate', e(candidateOf(data))],
    ['Session', e(sessionTitle(data))],
    ['Date', e(formatDate(sessionDate(data), data.timeZone))],
    ['Duration', e(durationOf(data))],
    ['Time limit', e(timeLimitOf(data))],
    ['Status', e(STATUS_NAMES[session.status])],
    ['Language', e(LANGUAGE_NAMES[session.language])],
    ['Problems', e(data.problems.map((p) => p.title).join(', ') || 'None')],
    [
      'Recommendation',
      e(evaluation.recommendation === null ? 'Not given' : RECOMMENDATION_NAMES[evaluation.recommendation]),
    ],
    ['Average stars', e(averageText(evaluation.score))],
  ]
  return (
    `<header><h1>${e(reportTitle(data))}</h1>` +
    `<p class="subtitle">Report made ${e(formatDate(data.generatedAt, data.timeZone))} (${e(data.timeZone)})</p>` +
    `<p class="notice">${e(CONFIDENTIAL_NOTICE)}</p>${facts(rows)}</header>`
  )
}

function evaluationSection(data: ReportData): string {
  const { evaluation } = data
  const parts = [`<h2>Evaluation</h2><p class="muted">${e(EVALUATION_STATE_NAMES[evaluation.state])}</p>`]
  if (evaluation.state === 'empty') {
    parts.push('<p>The interviewer has not evaluated this session yet.</p>')
    return `<section class="evaluation">${parts.join('')}</section>`
  }
  const recommendation =
    evaluation.recommendation === null ? 'Not given' : RECOMMENDATION_NAMES[evaluation.recommendation]
  parts.push(`<p>Recommendation: <span class="recommendation">${e(recommendation)}</span></p>`)
  parts.push('<h3>Summary</h3>')
  parts.push(evaluation.summary.trim() ? htmlMultiline(evaluation.summary, 'text') : '<p class="muted">No summary.</p>')
  if (evaluation.criteria.length > 0) {
    const rows = evaluation.criteria.map((c) => `<tr><td>${e(c.label)}</td><td>${e(scoreText(c.score))}</td></tr>`)
    parts.push(`<h3>Rubric</h3><table><thead><tr><th>Criterion</th><th>Score</th></tr></thead>`)
    parts.push(`<tbody>${rows.join('')}</tbody></table>`)
  }
  if (data.problems.length > 0) {
    const rows = data.problems.map(
      (p) =>
        `<tr><td>${e(problemLabel(p))}</td><td class="stars">${e(starsText(p.rating.stars))}</td>` +
        `<td>${p.rating.comment.trim() ? htmlMultiline(p.rating.comment, 'comment') : '<span class="muted">—</span>'}</td></tr>`,
    )
    parts.push('<h3>Problems</h3><table><thead><tr><th>Problem</th><th>Stars</th><th>Comment</th></tr></thead>')
    parts.push(`<tbody>${rows.join('')}</tbody></table>`)
  }
  return `<section class="evaluation">${parts.join('')}</section>`
}

function testsTable(run: ReportRunDetail): string {
  if (run.tests === null) return ''
  if (run.tests.length === 0) return '<p class="muted">No test cases.</p>'
  const rows = run.tests.map((test) => {
    const outcome =
      test.error !== undefined
        ? `<span class="error">${e(excerpt(test.error, ERROR_EXCERPT_CHARS))}</span>`
        : `<code>${e(jsonExcerpt(test.actual))}</code>`
    return (
      `<tr><td>${e(test.name)}</td><td class="${test.status}">${e(TEST_STATUS_NAMES[test.status])}</td>` +
      `<td><code>${e(jsonExcerpt(test.expected))}</code></td><td>${outcome}</td></tr>`
    )
  })
  return (
    '<table><thead><tr><th>Test</th><th>Result</th><th>Expected</th><th>Returned or error</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  )
}

function output(label: string, text: string): string {
  if (text === '') return ''
  return `<p class="muted">${e(label)}</p><pre class="output">${e(excerpt(text, OUTPUT_EXCERPT_CHARS))}</pre>`
}

function runDetail(run: ReportRunDetail): string {
  const title = `${KIND_NAMES[run.kind]} by the ${SIDE_NAMES[run.side].toLowerCase()} at ${sessionTime(run.tMs)}`
  const summary = [RUN_STATUS_NAMES[run.status], run.total === null ? null : testsText(run), runDuration(run)]
  return (
    `<article class="run"><h4>${e(title)}</h4>` +
    `<p class="muted">${e([...summary.filter((s) => s !== null && s !== '—'), highlightText(run.highlights)].join(' · '))}</p>` +
    (run.message ? `<p>${e(run.message)}</p>` : '') +
    testsTable(run) +
    output('Output', run.stdout) +
    output('Errors', run.stderr) +
    '</article>'
  )
}

function runsPart(problem: ReportProblem): string {
  if (problem.runs.length === 0) return '<h3>Runs</h3><p class="muted">No runs.</p>'
  const rows = problem.runs.map(
    (run) =>
      `<tr><td class="num">${e(sessionTime(run.tMs))}</td><td>${e(SIDE_NAMES[run.side])}</td>` +
      `<td>${e(KIND_NAMES[run.kind])}</td><td>${e(RUN_STATUS_NAMES[run.status])}</td>` +
      `<td>${e(testsText(run))}</td><td class="num">${e(runDuration(run))}</td></tr>`,
  )
  return (
    `<h3>Runs</h3><p class="muted">${e(runCountText(problem.runs.length))}</p>` +
    '<table><thead><tr><th class="num">Time</th><th>By</th><th>Kind</th><th>Status</th><th>Tests</th>' +
    `<th class="num">Duration</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    problem.details.map(runDetail).join('')
  )
}

function problemSection(problem: ReportProblem, data: ReportData): string {
  const language = LANGUAGE_NAMES[data.session.language]
  const source =
    problem.codeSource === 'recording'
      ? `${language}, as it was at the end of the session`
      : `${language}: the starter code, since nothing was recorded`
  return (
    `<section class="problem page" id="problem-${problem.index + 1}"><h2>${e(problemLabel(problem))}</h2>` +
    `<p class="muted">${e(DIFFICULTY_NAMES[problem.difficulty])} · ${e(runCountText(problem.runs.length))} · ` +
    `<span class="stars">${e(starsText(problem.rating.stars))}</span></p>` +
    `<h3>Statement</h3><div class="statement">${htmlStatement(problem.description, 3)}</div>` +
    `<h3>Final code</h3><p class="muted">${e(source)}</p>` +
    htmlCode(problem.finalCode, `Final code of ${problemLabel(problem)}`) +
    runsPart(problem) +
    '</section>'
  )
}

function noteItem(note: ReportNote): string {
  const where = note.problem === null ? 'no problem on screen' : problemLabel(note.problem)
  return (
    `<div class="note"><div class="meta">${e(sessionTime(note.tMs))} · ${e(where)}</div>` +
    `${htmlMultiline(note.text, 'text')}</div>`
  )
}

function notesSection(data: ReportData): string {
  const body = data.notes.length === 0 ? '<p class="muted">No notes.</p>' : data.notes.map(noteItem).join('')
  return `<section class="notes page"><h2>Notes</h2>${body}</section>`
}

/** The report as one self-contained HTML page, for reading, printing or saving as PDF. */
export function renderHtmlReport(data: ReportData): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Duet">`,
    `<title>${e(reportTitle(data))}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    header(data),
    '<main>',
    evaluationSection(data),
    ...data.problems.map((problem) => problemSection(problem, data)),
    notesSection(data),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
