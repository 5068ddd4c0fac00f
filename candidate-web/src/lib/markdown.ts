import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

// The same rules as the interviewer's app: raw HTML in a statement is escaped by markdown-it
// (html: false), and DOMPurify cleans whatever Markdown itself can produce (links, images).
const md = new MarkdownIt({ html: false, linkify: true, typographer: true })

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // A link must not replace the interview page.
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

/** Markdown to HTML that is safe to put in `v-html`. */
export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(md.render(source), { USE_PROFILES: { html: true } })
}
