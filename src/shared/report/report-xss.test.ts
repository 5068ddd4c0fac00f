import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { escapeHtml } from './html-text'
import { renderHtmlReport } from './html-report'
import { renderMarkdownReport } from './markdown-report'
import { buildReportData, type ReportData } from './report-data'
import { XSS_PAYLOADS, XSS_TEXT, unsafeParts } from './testing/html-safety'
import { hostileSources, sampleProblem, sampleSession, sampleSources } from './testing/sample-report'

const hostile = (payload: string): ReportData => buildReportData(hostileSources(payload))

// A viewer with raw HTML on: the most any Markdown viewer could make of the file.
const viewer = new MarkdownIt({ html: true, linkify: true })
viewer.validateLink = () => true

describe.each([...XSS_PAYLOADS.map((p) => [p]), [XSS_TEXT]])('the payload %j', (payload) => {
  it('stays text in the HTML report', () => {
    const html = renderHtmlReport(hostile(payload))
    expect(unsafeParts(html)).toEqual([])
    expect(html).not.toMatch(/<script|<iframe|<link|<meta http-equiv="refresh/i)
    // The candidate's name shows exactly, escaped, where the report names the candidate.
    expect(html).toContain(`<dt>Candidate</dt><dd>${escapeHtml(payload.trim() || 'Unnamed candidate')}</dd>`)
  })

  it('stays text in the Markdown report, even in a viewer that renders raw HTML', () => {
    const md = renderMarkdownReport(hostile(payload))
    expect(unsafeParts(viewer.render(md))).toEqual([])
  })
})

describe('the safety check the tests above rely on', () => {
  it.each([
    '<script>alert(1)</script>',
    '<p><img src=x onerror=alert(1)></p>',
    '<p title="a" onclick="alert(1)">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<img src="https://evil.example/pixel.png">',
    '<!-- x -->',
    '<svg/onload=alert(1)>',
    '<div class="a"/ onmouseover=alert(1)>',
  ])('flags %s', (html) => {
    expect(unsafeParts(html)).not.toEqual([])
  })

  it('flags what a viewer with raw HTML on makes of the payloads themselves', () => {
    expect(unsafeParts(viewer.render(XSS_TEXT))).not.toEqual([])
  })
})

describe('a statement', () => {
  it('keeps its Markdown in both reports when it holds no HTML', () => {
    const problem = sampleProblem({ description: 'Use a **stack**; see [the docs](https://example.org/stack).' })
    const data = buildReportData(sampleSources({ session: sampleSession({ problems: [problem] }) }))
    expect(renderMarkdownReport(data)).toContain('Use a **stack**; see [the docs](https://example.org/stack).')
    expect(renderHtmlReport(data)).toContain(
      'Use a <strong>stack</strong>; see <a href="https://example.org/stack" rel="noopener noreferrer">the docs</a>.',
    )
  })

  it('with HTML or a script link goes into the Markdown report as its source, in a code block', () => {
    const problem = sampleProblem({ description: 'Hi <b onclick=alert(1)>there</b> [x](javascript:alert(1))' })
    const data = buildReportData(sampleSources({ session: sampleSession({ problems: [problem] }) }))
    const md = renderMarkdownReport(data)
    expect(md).toContain('```markdown\nHi <b onclick=alert(1)>there</b> [x](javascript:alert(1))\n```')
    expect(md).toContain('shown as its source')
    expect(renderHtmlReport(data)).toContain(
      '<p>Hi &lt;b onclick=alert(1)&gt;there&lt;/b&gt; [x](javascript:alert(1))</p>',
    )
  })

  it('shows an image it would fetch as its description and address, and one it carries itself', () => {
    const pixel = 'data:image/png;base64,iVBORw0KGgo='
    const problem = sampleProblem({ description: `![graph](https://example.org/g.png)\n\n![dot](${pixel})` })
    const html = renderHtmlReport(buildReportData(sampleSources({ session: sampleSession({ problems: [problem] }) })))
    expect(html).toContain('<span class="image-ref">[image: graph — https://example.org/g.png]</span>')
    expect(html).toContain(`<img src="${pixel}" alt="dot">`)
  })
})
