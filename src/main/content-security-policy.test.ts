import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, runnerWorkerPolicy, securityHeadersFor } from './security-headers'
import { recordSecurityCheck } from './test-support/security-record'

const repoRoot = join(import.meta.dirname, '../..')

/** `{directive: [sources]}`; a directive given twice would make the second one ignored: refused. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (!name) continue
    if (map.has(name)) throw new Error(`${name} appears twice in ${policy}`)
    map.set(name, sources)
  }
  return map
}

/** A source that names a place outside the page's own origin: a host, a web scheme or a wildcard. */
const isRemoteSource = (source: string): boolean =>
  source === '*' || /^(https?|wss?|ftp):$/.test(source) || /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /\./.test(source)

describe('the Content-Security-Policy of every app page', () => {
  const policy = directives(CONTENT_SECURITY_POLICY)

  it('runs only the app’s own script files: no inline script, no eval, no other origin', () => {
    expect(policy.get('default-src')).toEqual(["'self'"])
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-hashes|strict-dynamic|nonce-|sha(256|384|512)-/)
    // 'unsafe-inline' only for styles: Monaco sets style attributes (DESIGN.md, Security).
    const withInline = [...policy].filter(([, sources]) => sources.includes("'unsafe-inline'")).map(([name]) => name)
    expect(withInline).toEqual(['style-src'])
  })

  it('names no remote source, but for WebSockets to the signaling server', () => {
    const remote = [...policy].flatMap(([name, sources]) => sources.filter(isRemoteSource).map((s) => `${name} ${s}`))
    // The signaling server's address is known only at run time (LAN address or a URL from
    // settings); a socket still needs a script to open it, and script-src is 'self'.
    expect(remote).toEqual(['connect-src ws:', 'connect-src wss:'])
  })

  it('allows no plugins, no <base>, no form posts, and no framing of the app', () => {
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('base-uri')).toEqual(["'none'"])
    expect(policy.get('form-action')).toEqual(["'none'"])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
    recordSecurityCheck(
      'Page CSP',
      'parsed the CSP every app page and non-runner file is served with',
      "nothing: script-src 'self' only (no inline, no eval); no remote source but ws:/wss: for signaling; no objects, base, forms or framing",
      { directives: policy.size },
    )
  })

  it('gives eval only to the JavaScript runner worker, and WebAssembly only to the Python one', () => {
    const pages = [
      '/',
      '/index.html',
      '/s/AAAAAAAAAAAAAAAAAAAAAA',
      '/assets/index-abc.js',
      '/assets/editor.worker-abc.js',
      '/assets/python-runner.worker-abc.js.map',
      '/pyodide/pyodide.mjs',
    ]
    for (const path of pages) {
      expect(securityHeadersFor(path, 'app://duet')['Content-Security-Policy'], path).toBe(CONTENT_SECURITY_POLICY)
    }
    const js = directives(
      securityHeadersFor('/assets/javascript-runner.worker-abc.js', 'app://duet')['Content-Security-Policy'] ?? '',
    )
    expect(js.get('script-src')).toEqual(["'self'", "'unsafe-eval'"])
    expect(js.get('connect-src')).toEqual(["'none'"])
    expect(js.get('default-src')).toEqual(["'none'"])
    const python = directives(runnerWorkerPolicy('python', 'app://duet'))
    expect(python.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"])
    expect(python.get('connect-src')).toEqual(['app://duet/pyodide/'])
    recordSecurityCheck(
      'Eval only in runner workers',
      `asked for the headers of ${pages.length} pages and files and of both runner workers`,
      "nothing: only javascript-runner.worker gets 'unsafe-eval' (and may fetch nothing); python-runner.worker gets 'wasm-unsafe-eval' and its Pyodide folder",
    )
  })

  it('has no inline script or event handler in either page’s HTML, which the CSP would have to allow', () => {
    for (const page of ['src/renderer/index.html', 'candidate-web/index.html']) {
      const html = readFileSync(join(repoRoot, page), 'utf8')
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
      expect(scripts.length, page).toBeGreaterThan(0)
      for (const [, attributes = '', body = ''] of scripts) {
        expect(attributes, page).toMatch(/\bsrc=/)
        expect(body.trim(), page).toBe('')
      }
      expect(html, page).not.toMatch(/\son[a-z]+\s*=/i)
      expect(html, page).not.toMatch(/http-equiv/i)
    }
  })
})
