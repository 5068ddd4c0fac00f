/**
 * Headers for every page of the interviewer UI, in Electron (`app://`) and in the browser bridge.
 * COOP/COEP make the page cross-origin isolated (Pyodide's interrupt buffer and input() need it);
 * Monaco needs inline styles; Pyodide needs WebAssembly compilation.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
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
