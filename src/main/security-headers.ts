/**
 * Headers for every page of the interviewer UI, in Electron (`app://`) and in the browser bridge.
 * COOP/COEP make the page cross-origin isolated (Pyodide's interrupt buffer and input() need it);
 * Monaco needs inline styles. No page compiles WebAssembly: Pyodide runs only in the code-runner
 * workers, which get a policy of their own (see runnerWorkerPolicy).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  // The host UI opens a WebSocket to the signaling server, another origin whose address is known
  // only at run time (this machine's LAN address, or a remote URL from settings). WebSocket
  // schemes only: fetch and XHR stay same-origin, and a socket still needs a script to open it,
  // which script-src keeps to our own files. The candidate page gets these headers too.
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

export type RunnerWorkerKind = 'python' | 'javascript'

/**
 * The code-runner workers, by file name: Vite names a worker's built chunk after its source file
 * (`assets/python-runner.worker-<hash>.js`) and serves the source itself in dev
 * (`/src/browser/exec/python-runner.worker.ts?worker_file&type=module`). The build fails if a
 * runner chunk stops matching (build/vite-pyodide.ts), so this cannot silently drift.
 */
const RUNNER_WORKER_FILE = /(?:^|\/)(python|javascript)-runner\.worker(?:-[\w-]+)?\.(?:js|ts)$/

export function runnerWorkerKind(pathname: string): RunnerWorkerKind | null {
  const match = RUNNER_WORKER_FILE.exec(pathname)
  return match ? (match[1] as RunnerWorkerKind) : null
}

/** Where Pyodide's files are served, in every build and in dev. */
export const PYODIDE_PATH = '/pyodide/'

/** http(s) with a host name or an IP address and a port, or the app's own `app://duet`. */
const SERVED_ORIGIN =
  /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$|^app:\/\/duet$/

/**
 * A module worker runs under the CSP of its own response, not its page's. The runner workers get
 * the one they need and nothing more: JavaScript evaluates the user's code (eval) and may fetch
 * nothing; Python compiles WebAssembly and fetches only Pyodide's files. Given the origin it is
 * served from, Python's fetches are held to the Pyodide folder, so a program run on the
 * interviewer's side cannot reach the browser bridge's host socket on the same origin. Every server
 * of these files passes it: the app's protocol, the browser bridge and the signaling server.
 */
export function runnerWorkerPolicy(kind: RunnerWorkerKind, origin?: string): string {
  const pyodideFiles = origin !== undefined && SERVED_ORIGIN.test(origin) ? `${origin}${PYODIDE_PATH}` : "'self'"
  return [
    "default-src 'none'",
    kind === 'python' ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self' 'unsafe-eval'",
    `connect-src ${kind === 'python' ? pyodideFiles : "'none'"}`,
    "worker-src 'none'",
    "base-uri 'none'",
  ].join('; ')
}

/** The headers for the file at `pathname`: the page's, with a runner worker's own CSP. */
export function securityHeadersFor(pathname: string, origin?: string): Readonly<Record<string, string>> {
  const kind = runnerWorkerKind(pathname)
  return kind === null
    ? SECURITY_HEADERS
    : { ...SECURITY_HEADERS, 'Content-Security-Policy': runnerWorkerPolicy(kind, origin) }
}
