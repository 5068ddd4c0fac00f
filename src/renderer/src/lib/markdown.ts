import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

// Raw HTML in problem text is never trusted: markdown-it escapes it, DOMPurify cleans the rest.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true })

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // Links leave the app window; the main process decides whether to open them externally.
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

/** Markdown to HTML that is safe to put in `v-html`. */
export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(md.render(source), { USE_PROFILES: { html: true } })
}
