import MarkdownIt from 'markdown-it'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for an HTML element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/** Plain text of several lines, escaped; the style keeps its line breaks (white-space: pre-wrap). */
export function htmlMultiline(text: string, className: string): string {
  return `<div class="${className}">${escapeHtml(text.trim())}</div>`
}

/**
 * Code with one element per line, numbered by CSS counters: long lines wrap in print and the
 * numbers stay on the line they belong to.
 */
export function htmlCode(code: string, label: string): string {
  const lines = code.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n')
  const body = lines.map((line) => `<span class="line">${escapeHtml(line)}</span>`).join('')
  return `<pre class="code" aria-label="${escapeHtml(label)}"><code>${body}</code></pre>`
}

// Statements come from packs anyone can write. markdown-it with html off escapes raw HTML and
// refuses javascript:, vbscript:, file: and non-image data: links; the report's CSP stops the rest.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true })

// Images load nothing: the report is one file that reaches no network. An image embedded as a
// data URL is shown; any other becomes its description and address, as text.
md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index]
  const src = String(token?.attrGet('src') ?? '')
  const alt = token?.content ?? ''
  if (/^data:image\/(png|gif|jpeg|webp);/i.test(src)) {
    return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`
  }
  return `<span class="image-ref">[image${alt ? `: ${escapeHtml(alt)}` : ''} — ${escapeHtml(src)}]</span>`
}

md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  tokens[index]?.attrSet('rel', 'noopener noreferrer')
  return self.renderToken(tokens, index, options)
}

/** A problem statement, Markdown to HTML, headings moved below the report's own. */
export function htmlStatement(source: string, headingDepth: number): string {
  if (source.trim() === '') return '<p class="muted">No statement.</p>'
  const tokens = md.parse(source, {})
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + headingDepth)}`
    }
  }
  return md.renderer.render(tokens, md.options, {})
}
