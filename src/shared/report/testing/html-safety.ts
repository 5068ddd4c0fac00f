// Test helpers: XSS payloads, and a check that HTML holds only the tags and attributes a report
// makes, with no handler, no script and no link or image that leaves the file.

export const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  "'><body onload=alert(1)>",
  '</title><script>alert(1)</script>',
  '</style><script>alert(1)</script>',
  '</code></pre><script>alert(1)</script>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '[click](javascript:alert(1))',
  '[entity](&#106;avascript:alert(1))',
  '<javascript:alert(1)>',
  '[ref][x]\n\n[x]: javascript:alert(1)',
  '<a href="javascript:alert(1)">link</a>',
  '![tracker](https://evil.example/pixel.png)',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<style>body{background:url(https://evil.example/x)}</style>',
  '\\`<img src=x onerror=alert(2)>`',
  '```\n<script>alert(3)</script>\n```',
  '<!-- comment --><b onmouseover=alert(1)>bold</b>',
  '{{constructor.constructor("alert(1)")()}}',
]

/** One string holding every payload, on its own lines. */
export const XSS_TEXT = XSS_PAYLOADS.join('\n')

const ALLOWED_TAGS = new Set(
  [
    'html head meta title style body header main section article div span p br hr',
    'h1 h2 h3 h4 h5 h6 dl dt dd table thead tbody tr th td pre code a strong em s ul ol li blockquote img',
  ]
    .join(' ')
    .split(' '),
)
const SAFE_HREF = /^(https?:|mailto:|#)/i
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'srcset', 'poster', 'background'])

const ATTRIBUTE = /\s+([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y
const OPEN_TAG_END = /\s*\/?>/y
const CLOSE_TAG = /<\/([A-Za-z][\w:-]*)\s*>/y
const OPEN_TAG_NAME = /<([A-Za-z][\w:-]*)/y

function checkAttribute(tag: string, name: string, quoted: string | undefined, unquoted: string | undefined): string[] {
  const found: string[] = []
  if (/^on/i.test(name)) found.push(`handler ${name} in <${tag}>`)
  if (unquoted !== undefined) found.push(`unquoted ${name} in <${tag}>`)
  const value = quoted ?? unquoted ?? ''
  if (URL_ATTRIBUTES.has(name.toLowerCase())) {
    const safe = name.toLowerCase() === 'src' ? value.startsWith('data:image/') : SAFE_HREF.test(value)
    if (!safe || (name.toLowerCase() !== 'href' && name.toLowerCase() !== 'src'))
      found.push(`${name}="${value}" in <${tag}>`)
  }
  return found
}

/** Reads the open tag at `at`: its attributes, one by one; anything it cannot read is unsafe. */
function checkOpenTag(html: string, at: number): string[] {
  OPEN_TAG_NAME.lastIndex = at
  const name = OPEN_TAG_NAME.exec(html)?.[1] ?? ''
  const found = ALLOWED_TAGS.has(name.toLowerCase()) ? [] : [`tag <${name}>`]
  let position = OPEN_TAG_NAME.lastIndex
  for (;;) {
    OPEN_TAG_END.lastIndex = position
    if (OPEN_TAG_END.test(html)) return found
    ATTRIBUTE.lastIndex = position
    const attribute = ATTRIBUTE.exec(html)
    if (!attribute) return [...found, `unreadable tag <${name}> at ${at}`]
    found.push(...checkAttribute(name, attribute[1] ?? '', attribute[2] ?? attribute[3], attribute[4]))
    position = ATTRIBUTE.lastIndex
  }
}

/**
 * What in this HTML could run, load or navigate somewhere; empty when nothing. It reads every
 * `<` that could start markup as a browser would, quoted attribute values included.
 */
export function unsafeParts(html: string): string[] {
  const found: string[] = []
  const body = html.startsWith('<!doctype html>') ? html.slice('<!doctype html>'.length) : html
  for (const match of body.matchAll(/<[A-Za-z!/?]/g)) {
    const at = match.index
    const next = body[at + 1]
    if (next === '!' || next === '?') {
      found.push(`markup declaration at ${at}`)
    } else if (next === '/') {
      CLOSE_TAG.lastIndex = at
      const name = CLOSE_TAG.exec(body)?.[1]
      if (name === undefined || !ALLOWED_TAGS.has(name.toLowerCase())) found.push(`closing tag at ${at}`)
    } else {
      found.push(...checkOpenTag(body, at))
    }
  }
  return found
}
