import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { APP_SCHEME, registerAppScheme, serveAppProtocol } from './app-protocol'
import { CONTENT_SECURITY_POLICY, runnerWorkerPolicy } from './security-headers'
import { fetchedFiles, protocol } from './test-support/fake-electron'
import { recordSecurityCheck } from './test-support/security-record'

vi.mock('electron', () => import('./test-support/fake-electron'))

const SECRET = 'SECRET-OUTSIDE-THE-RENDERER-FOLDER'
let base: string
let root: string

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'duet-app-protocol-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Duet</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {}')
  writeFileSync(join(root, 'assets', 'python-runner.worker-abc.js'), 'export {}')
  writeFileSync(join(base, 'secret.txt'), SECRET)
  mkdirSync(join(base, 'renderer-evil'))
  writeFileSync(join(base, 'renderer-evil', 'x.js'), SECRET)
  serveAppProtocol(root)
})

afterAll(() => rmSync(base, { recursive: true, force: true }))

function fetchApp(url: string): Promise<Response> {
  const handler = protocol.handlers.get(APP_SCHEME)
  if (!handler) throw new Error('app:// is not handled')
  // Only the URL matters to the handler; Chromium hands it the URL as the page wrote it, parsed.
  return handler({ url } as Request)
}

describe('the app:// scheme', () => {
  it('is registered as a standard, secure origin before the app is ready', () => {
    registerAppScheme()
    expect(protocol.privileged.at(-1)).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
      },
    ])
  })

  it('serves the renderer’s files with the page CSP, and a runner worker with its own', async () => {
    const page = await fetchApp('app://duet/')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Duet</title>')
    expect(page.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    const script = await fetchApp('app://duet/assets/index-abc.js')
    expect(script.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY)
    const worker = await fetchApp('app://duet/assets/python-runner.worker-abc.js')
    expect(worker.headers.get('Content-Security-Policy')).toBe(runnerWorkerPolicy('python', 'app://duet'))
    expect(worker.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp')
  })

  it('refuses every path that would leave the renderer folder, and reads nothing outside it', async () => {
    const attacks = [
      'app://duet/../secret.txt',
      'app://duet/assets/../../secret.txt',
      'app://duet/%2e%2e/secret.txt',
      'app://duet/%2E%2E/%2E%2E/secret.txt',
      'app://duet/..%2fsecret.txt',
      'app://duet/%2e%2e%2fsecret.txt',
      'app://duet/assets/..%2f..%2fsecret.txt',
      'app://duet/..%252fsecret.txt',
      'app://duet/..%5csecret.txt',
      'app://duet/..\\secret.txt',
      'app://duet/assets\\..\\..\\secret.txt',
      'app://duet/%c0%ae%c0%ae/secret.txt',
      `app://duet/${encodeURIComponent(join(base, 'secret.txt'))}`,
      `app://duet//${base.replace(/^\//, '')}/secret.txt`,
      'app://duet/%2Fetc%2Fpasswd',
      'app://duet/index.html%00.js',
      'app://duet/index.html%00',
      'app://duet/..%2frenderer-evil%2fx.js',
      'app://duet/../renderer-evil/x.js',
      'app://evil/index.html',
      'app://duet.evil/index.html',
      'app://duet/C:%5cWindows%5cwin.ini',
    ]
    fetchedFiles.splice(0)
    for (const url of attacks) {
      const response = await fetchApp(url)
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).not.toContain(SECRET)
      // A refusal still carries the headers: no page of ours is ever served without its CSP.
      expect(response.headers.get('Content-Security-Policy'), url).toBe(CONTENT_SECURITY_POLICY)
    }
    for (const file of fetchedFiles) expect(file.startsWith(root + sep), file).toBe(true)
    recordSecurityCheck(
      'app:// path traversal',
      `${attacks.length} URLs: ../, %2e%2e, %2f, double encoding, backslashes (raw and %5c), overlong UTF-8, absolute paths, NUL bytes, a sibling folder, other hosts`,
      'nothing: every one answered 404 with the CSP; no file outside the renderer folder was read',
      { urls: attacks.length, filesReadInside: fetchedFiles.length },
    )
  })
})
