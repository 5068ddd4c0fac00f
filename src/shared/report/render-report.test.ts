import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { REPORT_CSP, renderHtmlReport } from './html-report'
import { renderMarkdownReport } from './markdown-report'
import { buildReportData, type ReportData } from './report-data'
import { unsafeParts } from './testing/html-safety'
import { emptyEvaluation, sampleNote, sampleProblem, sampleSession, sampleSources } from './testing/sample-report'

const sample = (): ReportData => buildReportData(sampleSources())

/** A bare interview: one problem, nothing run, no notes, no evaluation. */
function bare(): ReportData {
  const session = sampleSession({ problems: [sampleProblem()], startedAt: null, endedAt: null })
  return buildReportData(
    sampleSources({
      session,
      runs: [],
      notes: [],
      evaluation: emptyEvaluation(session),
      finalCode: { codes: ['def two_sum(nums, target):\n    pass\n'], fromStarter: true },
    }),
  )
}

/** Text between the end of one heading and the next of the same level or higher. */
function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`)
  if (start < 0) throw new Error(`no heading ${heading}`)
  const level = /^#+/.exec(heading)?.[0] ?? '#'
  const rest = markdown.slice(start + heading.length)
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `))
  return end < 0 ? rest : rest.slice(0, end)
}

describe('the Markdown report', () => {
  it('gives the candidate, date, duration and the evaluation up front', () => {
    const md = renderMarkdownReport(sample())
    expect(md.startsWith('# Interview report: Ada Lovelace\n')).toBe(true)
    expect(md).toContain('- **Candidate:** Ada Lovelace')
    expect(md).toContain('- **Date:** 12 March 2025 at 14:00')
    expect(md).toContain('- **Duration:** 48 minutes')
    expect(md).toContain('- **Recommendation:** Yes')
    const evaluation = sectionOf(md, '## Evaluation')
    expect(evaluation).toContain('Solid fundamentals.\n\nWould hire for the junior role.')
    expect(evaluation).toContain('| Problem solving | 3 of 4 (Good) |')
    expect(evaluation).toContain('**Problem 2: Balanced Brackets** · ★★★☆☆ (3 of 5)')
    expect(evaluation).toContain('Needed a hint about the stack.\\\nThen fast.')
  })

  it('shows each problem with its statement, final code, run table and tests one by one', () => {
    const problem = sectionOf(renderMarkdownReport(sample()), '## Problem 1: Two Sum')
    expect(problem).toContain('_Junior · 3 runs · ★★★★☆ (4 of 5)_')
    // The statement's own heading sits below the report's.
    expect(problem).toContain('### Statement\n\n#### Two Sum\n\nReturn the indices')
    expect(problem).toContain('```python\ndef two_sum(nums, target):\n    return [0, 1]\n```')
    expect(problem).toContain('| 8:20 | Interviewer | Hidden tests | Finished | 1 of 3 passed | 12 ms |')
    expect(problem).toContain('#### Hidden tests by the interviewer at 8:20')
    expect(problem).toContain('- **Fail** negatives: expected `[0,2]`, returned `null`')
    expect(problem).toContain('- **Error** huge: expected `1`, error `IndexError: list index out of range`')
    expect(problem).toContain('shown in full as the last run and a run of the hidden tests')
    const second = sectionOf(renderMarkdownReport(sample()), '## Problem 2: Balanced Brackets')
    expect(second).toContain('Errors:\n\n```text\nSyntaxError: invalid syntax\n```')
  })

  it('lists the notes with their session time and problem', () => {
    const notes = sectionOf(renderMarkdownReport(sample()), '## Notes')
    expect(notes).toContain('**2:05** · Problem 1: Two Sum\n\nAsked about duplicates before coding.')
    expect(notes).toContain('**33:20** · Problem 2: Balanced Brackets\n\nStruggled with the stack.\\\nRecovered.')
  })

  it('says so where there is no evaluation, no run and no note', () => {
    const md = renderMarkdownReport(bare())
    expect(md).toContain('- **Duration:** Not started')
    expect(md).toContain('- **Recommendation:** Not given')
    expect(sectionOf(md, '## Evaluation')).toContain(
      '_Not started_\n\nThe interviewer has not evaluated this session yet.',
    )
    expect(md).toContain('_Python: the starter code, since nothing was recorded_')
    expect(md).toContain('### Runs\n\n_No runs._')
    expect(sectionOf(md, '## Notes')).toBe('\n\n_No notes._\n')
  })

  it('keeps code intact whatever backticks it holds', () => {
    const code = 'x = """\n```\n````\n"""\n'
    const md = renderMarkdownReport(
      buildReportData(sampleSources({ finalCode: { codes: [code, ''], fromStarter: false } })),
    )
    expect(md).toContain('`````python\n' + code + '`````')
    const rendered = new MarkdownIt().render(md)
    expect(rendered).toContain(
      '<code class="language-python">x = &quot;&quot;&quot;\n```\n````\n&quot;&quot;&quot;\n</code>',
    )
  })

  it('reads as the same text in a Markdown viewer: names and notes stay literal', () => {
    const session = sampleSession({ candidateName: '*Ada* [Lovelace](x) | #1 _b_' })
    const notes = [sampleNote({ text: '# not a heading\n- not a list\n1. nor this' })]
    const md = renderMarkdownReport(buildReportData(sampleSources({ session, notes })))
    const html = new MarkdownIt().render(md)
    expect(html).toContain('<h1>Interview report: *Ada* [Lovelace](x) | #1 _b_</h1>')
    expect(html).toContain('# not a heading<br>\n- not a list<br>\n1. nor this')
  })
})

describe('the HTML report', () => {
  it('is one page with a strict CSP first, an inline style and no script', () => {
    const html = renderHtmlReport(sample())
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`)
    expect(REPORT_CSP).toContain("default-src 'none'")
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<title>'))
    expect(html.match(/<style>/g)).toHaveLength(1)
    expect(html).not.toMatch(/<script|<link|<iframe|https?:\/\//i)
    expect(unsafeParts(html)).toEqual([])
  })

  it('has the header facts, the evaluation, each problem and the notes', () => {
    const html = renderHtmlReport(sample())
    expect(html).toContain('<title>Interview report: Ada Lovelace</title>')
    expect(html).toContain('<dt>Candidate</dt><dd>Ada Lovelace</dd>')
    expect(html).toContain('<dt>Date</dt><dd>12 March 2025 at 14:00</dd>')
    expect(html).toContain('<dt>Duration</dt><dd>48 minutes</dd>')
    expect(html).toContain('Recommendation: <span class="recommendation">Yes</span>')
    expect(html).toContain('<tr><td>Code quality</td><td>4 of 4 (Strong)</td></tr>')
    expect(html).toContain('<div class="comment">Needed a hint about the stack.\nThen fast.</div>')
    expect(html).toContain('<section class="problem page" id="problem-2"><h2>Problem 2: Balanced Brackets</h2>')
    // The statement's "# Two Sum" becomes a fourth-level heading under "Statement".
    expect(html).toContain('<div class="statement"><h4>Two Sum</h4>\n<p>Return the indices')
    expect(html).toContain(
      '<code><span class="line">def two_sum(nums, target):</span><span class="line">    return [0, 1]</span></code>',
    )
    expect(html).toContain('<tr><td>negatives</td><td class="fail">Fail</td><td><code>[0,2]</code></td>')
    expect(html).toContain('<span class="error">IndexError: list index out of range</span>')
    expect(html).toContain('<pre class="output">SyntaxError: invalid syntax</pre>')
    expect(html).toContain('<div class="meta">33:20 · Problem 2: Balanced Brackets</div>')
    expect(html).toContain('<div class="text">Struggled with the stack.\nRecovered.</div>')
  })

  it('puts each problem and the notes on a new printed page, and wraps code', () => {
    const html = renderHtmlReport(sample())
    expect(html).toContain('section.page { break-before: page; }')
    expect(html).toMatch(/pre\.code, pre\.output \{[^}]*white-space: pre-wrap/)
    expect(html.match(/<section class="[^"]*\bpage\b/g)).toHaveLength(3)
  })

  it('says so where there is no evaluation, no run and no note', () => {
    const html = renderHtmlReport(bare())
    expect(html).toContain('<p>The interviewer has not evaluated this session yet.</p>')
    expect(html).toContain('<h3>Runs</h3><p class="muted">No runs.</p>')
    expect(html).toContain('<h2>Notes</h2><p class="muted">No notes.</p>')
    expect(html).toContain('Python: the starter code, since nothing was recorded')
    expect(unsafeParts(html)).toEqual([])
  })

  it('cuts long output and values, saying how much is left out', () => {
    const data = sample()
    const run = data.problems[1]?.details[0]
    if (!run) throw new Error('no run')
    run.stderr = 'x'.repeat(2500)
    const html = renderHtmlReport(data)
    expect(html).toContain(`${'x'.repeat(2000)}… (500 more characters)</pre>`)
  })
})
