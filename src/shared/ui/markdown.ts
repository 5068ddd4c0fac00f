import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

// Problem statements come from packs anyone can write: markdown-it escapes raw HTML (html: false),
// and DOMPurify cleans whatever Markdown itself can produce (links, images).
const md = new MarkdownIt({ html: false, linkify: true, typographer: true })

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // A link never replaces the page: the browser opens a tab, the desktop app's main process decides.
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

/** Markdown to HTML that is safe to put in `v-html`. */
export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(md.render(source), { USE_PROFILES: { html: true } })
}
