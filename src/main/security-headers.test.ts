import { describe, expect, it } from 'vitest'
import {
  CONTENT_SECURITY_POLICY,
  runnerWorkerKind,
  runnerWorkerPolicy,
  SECURITY_HEADERS,
  securityHeadersFor,
} from './security-headers'

describe('runner worker files', () => {
  it.each([
    ['/assets/python-runner.worker-B6OkkZDd.js', 'python'],
    ['/assets/javascript-runner.worker-Ci_eRsEx.js', 'javascript'],
    ['/s/assets/python-runner.worker-BQSb6-1q.js', 'python'],
    ['/@fs/work/duet/src/browser/exec/python-runner.worker.ts', 'python'],
    ['/src/browser/exec/javascript-runner.worker.ts', 'javascript'],
  ] as const)('recognises %s as the %s runner (built chunk or dev source)', (path, kind) => {
    expect(runnerWorkerKind(path)).toBe(kind)
  })

  it.each([
    '/assets/editor.worker-CX7Cj20z.js',
    '/assets/python-runner.worker-B6OkkZDd.js.map',
    '/assets/python-runner.worker-B6OkkZDd.css',
    '/assets/my-python-runner.worker-abc.js.html',
    '/assets/index-a1b2c3.js',
    '/python-runner.worker-abc.js/index.html',
  ])('does not take %s for a runner worker', (path) => {
    expect(runnerWorkerKind(path)).toBeNull()
  })
})

describe('runner worker policy', () => {
  it('lets JavaScript evaluate code and fetch nothing', () => {
    const policy = runnerWorkerPolicy('javascript', 'http://127.0.0.1:5174')
    expect(policy).toContain("script-src 'self' 'unsafe-eval'")
    expect(policy).toContain("connect-src 'none'")
    expect(policy).not.toContain('wasm-unsafe-eval')
  })

  it('lets Python compile WebAssembly and fetch only the Pyodide folder of its origin', () => {
    const policy = runnerWorkerPolicy('python', 'http://127.0.0.1:5174')
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'")
    expect(policy).toContain('connect-src http://127.0.0.1:5174/pyodide/;')
    expect(policy).not.toContain("'unsafe-eval'")
    expect(runnerWorkerPolicy('python', 'http://[::1]:8787')).toContain('connect-src http://[::1]:8787/pyodide/;')
  })

  it('holds Python to the Pyodide folder of the app protocol too', () => {
    expect(runnerWorkerPolicy('python', 'app://duet')).toContain('connect-src app://duet/pyodide/;')
  })

  it.each([undefined, 'app://other', 'file://duet', 'http://evil.example; script-src *', 'http://a b', ''])(
    'falls back to its own origin for an origin it cannot vouch for: %s',
    (origin) => {
      expect(runnerWorkerPolicy('python', origin)).toContain("connect-src 'self';")
    },
  )
})

describe('securityHeadersFor', () => {
  it('lets no page compile WebAssembly or evaluate code: only the runner workers do', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/)
  })

  it('gives pages and other files the page policy', () => {
    expect(securityHeadersFor('/index.html')).toBe(SECURITY_HEADERS)
    expect(securityHeadersFor('/assets/editor.worker-CX7Cj20z.js')['Content-Security-Policy']).toBe(
      CONTENT_SECURITY_POLICY,
    )
  })

  it('gives a runner worker its own policy and keeps the isolation headers', () => {
    const headers = securityHeadersFor('/assets/python-runner.worker-B6OkkZDd.js', 'http://127.0.0.1:5174')
    expect(headers['Content-Security-Policy']).toBe(runnerWorkerPolicy('python', 'http://127.0.0.1:5174'))
    expect(headers['Cross-Origin-Embedder-Policy']).toBe('require-corp')
    expect(headers['Cross-Origin-Resource-Policy']).toBe('same-origin')
  })
})
