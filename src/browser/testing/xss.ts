// Test helpers for both apps: known XSS payloads, and a check that a rendered DOM holds nothing
// that could run script, load a frame or navigate to a script URL.
import { XSS_PAYLOADS as REPORT_PAYLOADS } from '../../shared/report/testing/html-safety'

/** More than the report tests need: what a live DOM (not a file) must also survive. */
const DOM_PAYLOADS = [
  '<svg><script>alert(1)</script></svg>',
  '<svg onload=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<details open ontoggle=alert(1)>',
  '<base href="javascript:/">',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  '<a href="data:text/html,<script>alert(1)</script>">data</a>',
  '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![svg image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![image](javascript:alert(1))',
  '[![nested](https://example.org/x.png)](javascript:alert(1))',
  '[caps](JaVaScRiPt:alert(1))',
  '[space]( javascript:alert(1))',
  '[vb](vbscript:msgbox(1))',
  '[file](file:///etc/passwd)',
  '[colon entity](javascript&#58;alert(1))',
  '[hex entity](&#x6A;avascript:alert(1))',
  '<http://evil.example/?"><script>alert(1)</script>>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '<a href="&#x0A;javascript:alert(1)">newline</a>',
  '<img src="x" onerror="&#97;lert(1)">',
  '＜script＞alert(1)＜/script＞',
  '[full width](ｊａｖａｓｃｒｉｐｔ:alert(1))',
  '<scr\u0000ipt>alert(1)</script>',
  '[zero width](java\u200bscript:alert(1))',
  'Ada \u202eevil\u202c Lovelace',
]

/** Every payload, each to be rendered on its own. */
export const XSS_PAYLOADS: readonly string[] = [...REPORT_PAYLOADS, ...DOM_PAYLOADS]

/** The payloads that fit a candidate's name (trimmed, 2 to 80 characters), trimmed as a name is. */
export const XSS_NAMES: readonly string[] = XSS_PAYLOADS.map((p) => p.trim()).filter(
  (p) => p.length >= 2 && p.length <= 80,
)

/** Elements that run script, load another document or change where links and forms go. */
const FORBIDDEN_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'style',
  'foreignobject',
])
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'poster',
  'background',
  'srcset',
  'ping',
  'cite',
])

/** What a browser makes of a URL's scheme: it skips controls, spaces, tabs and newlines. */
function schemeOf(url: string): string {
  const squeezed = [...url].filter((ch) => ch.charCodeAt(0) > 0x20).join('')
  return (/^([a-z][a-z0-9+.-]*):/i.exec(squeezed)?.[1] ?? '').toLowerCase()
}

function unsafeAttribute(element: Element, name: string, value: string): string | null {
  const tag = element.tagName.toLowerCase()
  if (name.startsWith('on')) return `handler ${name} on <${tag}>`
  if (name === 'srcdoc') return `srcdoc on <${tag}>`
  if (name === 'style' && /expression\s*\(|javascript:|url\s*\(/i.test(value)) return `style="${value}" on <${tag}>`
  if (URL_ATTRIBUTES.has(name)) {
    const scheme = schemeOf(value)
    if (scheme === 'javascript' || scheme === 'vbscript' || scheme === 'file') return `${name}="${value}" on <${tag}>`
    // An image may carry its own picture; nothing else may be a data: URL.
    if (scheme === 'data' && !(tag === 'img' && name === 'src' && /^data:image\//i.test(value.trim()))) {
      return `${name}="${value}" on <${tag}>`
    }
  }
  return null
}

/** What under `root` could run script, frame a document or navigate to script; empty when nothing. */
export function unsafeDom(root: Element): string[] {
  const found: string[] = []
  for (const element of [root, ...root.querySelectorAll('*')]) {
    const tag = element.tagName.toLowerCase()
    if (FORBIDDEN_TAGS.has(tag)) found.push(`<${tag}>`)
    for (const attribute of element.attributes) {
      const problem = unsafeAttribute(element, attribute.name.toLowerCase(), attribute.value)
      if (problem) found.push(problem)
    }
  }
  return found
}
