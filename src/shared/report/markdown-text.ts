import MarkdownIt, { type Token } from 'markdown-it'

// Everything a user typed goes into the Markdown report as text, never as Markdown or HTML: a
// name, note or comment must not become a link, a raw HTML tag or a table column in a viewer.

/** Characters Markdown gives a meaning inside a line; a backslash makes each literal. */
const INLINE_SPECIALS = /[\\`*_[\]|~!]/g
/** Markers that mean something at the start of a line: heading, list, quote, setext underline. */
const LINE_START_MARKER = /^(\s*)([#>+=-])/
/** An ordered list's number: the backslash goes before its dot, as a digit takes no escape. */
const LINE_START_NUMBER = /^(\s*\d+)([.)])/

/** HTML-significant characters as entities, which every Markdown renderer shows as the character. */
function escapeAngles(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** One line of plain text, safe in a paragraph, heading, list item or table cell. */
export function mdInline(text: string): string {
  const line = escapeAngles(text.replace(/\s*[\r\n]+\s*/g, ' ')).replace(INLINE_SPECIALS, '\\$&')
  return line.replace(LINE_START_MARKER, '$1\\$2').replace(LINE_START_NUMBER, '$1\\$2')
}

/** Text of several lines (a note, a comment), kept line for line with hard breaks between. */
export function mdMultiline(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim())
    .join('\n')
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => mdInline(line))
        .join('\\\n'),
    )
    .join('\n\n')
}

function longestRun(text: string, char: string): number {
  let longest = 0
  let current = 0
  for (const c of text) {
    current = c === char ? current + 1 : 0
    longest = Math.max(longest, current)
  }
  return longest
}

/** A fenced code block that no backtick in the code can close early. */
export function mdCodeBlock(code: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1))
  const body = code.endsWith('\n') ? code : `${code}\n`
  return `${fence}${info}\n${body}${fence}`
}

/**
 * A code span for a short value (JSON in a test line), on one line; never used in a table, where
 * a pipe would end the cell.
 */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ')
  const ticks = '`'.repeat(longestRun(flat, '`') + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${ticks}${pad}${flat}${pad}${ticks}`
}

// The most permissive CommonMark reading: raw HTML on, every link kept, so that whatever any
// viewer could take for HTML or a link, this sees too.
const permissive = new MarkdownIt({ html: true, linkify: false })
permissive.validateLink = () => true

const SAFE_LINK = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i
/** An image the file carries itself: any other would be fetched, so the report would reach out. */
const EMBEDDED_IMAGE = /^data:image\/(png|gif|jpeg|webp);/i

function isCodeBlock(token: Token): boolean {
  return token.type === 'fence' || token.type === 'code_block'
}

function* walk(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    yield token
    if (token.children) yield* walk(token.children)
  }
}

const ATX_HEADING = /^( {0,3})(#{1,6})(?=\s|$)/

/**
 * Whether a problem statement may go into the Markdown report as Markdown: it holds no raw HTML,
 * no link to anything but the web or mail and no image to fetch. Outside code blocks, any `<`
 * followed by a letter, `/`, `!` or `?` counts as HTML, whatever this parser makes of it, since
 * other viewers may differ.
 */
function isPlainMarkdown(lines: string[], tokens: Token[]): boolean {
  const codeLines = new Set<number>()
  for (const token of tokens) {
    if (isCodeBlock(token) && token.map) for (let line = token.map[0]; line < token.map[1]; line++) codeLines.add(line)
  }
  if (lines.some((line, index) => !codeLines.has(index) && /<[A-Za-z!/?]/.test(line))) return false
  for (const token of walk(tokens)) {
    if (token.type === 'html_block' || token.type === 'html_inline') return false
    if (token.type === 'link_open' && !SAFE_LINK.test(String(token.attrGet('href') ?? '').trim())) return false
    if (token.type === 'image' && !EMBEDDED_IMAGE.test(String(token.attrGet('src') ?? ''))) return false
  }
  return true
}

/** Headings start below the report's own (`# Title` becomes `#### Title`), so the outline holds. */
function demoteHeadings(lines: string[], tokens: Token[], by: number): string[] {
  const headingLines = new Set(tokens.filter((t) => t.type === 'heading_open' && t.map).map((t) => t.map?.[0]))
  return lines.map((line, index) =>
    headingLines.has(index)
      ? line.replace(
          ATX_HEADING,
          (_, indent: string, hashes: string) => indent + '#'.repeat(Math.min(6, hashes.length + by)),
        )
      : line,
  )
}

/**
 * A problem statement for the Markdown report: as written (headings moved down under the
 * report's) when it is plain Markdown, otherwise as its source in a code block, never interpreted.
 */
export function mdStatement(source: string, headingDepth: number): string {
  if (source.trim() === '') return '_No statement._'
  const tokens = permissive.parse(source, {})
  const lines = source.split(/\r?\n/)
  if (isPlainMarkdown(lines, tokens)) return demoteHeadings(lines, tokens, headingDepth).join('\n').trim()
  return `${mdCodeBlock(source, 'markdown')}\n\n_The statement holds HTML or unusual links, so it is shown as its source._`
}
