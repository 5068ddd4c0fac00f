import { createReadStream, type Stats } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { SECURITY_HEADERS, securityHeadersFor } from '../src/main/security-headers'
import { mimeTypeOf, resolveStaticPath } from '../src/main/static-path'
import { SIGNALING_PATH, type Health, type SignalingConfig } from '../src/shared/signaling/protocol'
import { createCompressionCache, isCompressible, negotiateEncoding } from './compression'
import { roomTag, type Logger } from './log'

export interface HttpOptions {
  /** The candidate page build; without it `/s/:roomId` answers 503. */
  candidateDir: string | undefined
  config: SignalingConfig
  health: () => Health
  log: Logger
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

const PAGE_PATH = /^\/s\/([A-Za-z0-9_-]+)\/?$/
/** Vite puts a content hash in every file name under assets/, so a version never changes. */
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'
const COMPRESSED_CACHE_BYTES = 64 * 1024 * 1024
/** Bigger files are sent as they are rather than held compressed in memory. */
const MAX_COMPRESSED_FILE_BYTES = 16 * 1024 * 1024

const NOT_BUILT =
  'The candidate page is not built on this server, so interview links cannot open yet.\n' +
  'Run the candidate build (npm run build:candidate, which writes candidate-web/dist);\n' +
  'the server picks it up on the next request.\n'

function send(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  res
    .writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    })
    .end(body)
}

function sendJson(res: ServerResponse, body: unknown): void {
  send(res, 200, `${JSON.stringify(body)}\n`, { 'Content-Type': 'application/json; charset=utf-8' })
}

async function fileStats(path: string): Promise<Stats | null> {
  try {
    const stats = await stat(path)
    return stats.isFile() ? stats : null
  } catch {
    return null
  }
}

/** Health, ICE configuration, and the candidate page with its assets, all with COOP/COEP. */
export function createHttpHandler({ candidateDir, config, health, log }: HttpOptions): HttpHandler {
  const compressed = createCompressionCache(COMPRESSED_CACHE_BYTES)

  async function serveFile(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    stats: Stats,
    urlPath: string,
    immutable: boolean,
  ): Promise<void> {
    const contentType = mimeTypeOf(path)
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
    const compressible = isCompressible(contentType)
    const headers: OutgoingHttpHeaders = {
      // The origin holds the Python worker's fetches to the Pyodide folder, as in the app and the bridge.
      ...securityHeadersFor(urlPath, req.headers.host ? `http://${req.headers.host}` : undefined),
      'Content-Type': contentType,
      'Cache-Control': immutable ? IMMUTABLE_CACHE : 'no-cache',
      ETag: etag,
      ...(compressible ? { Vary: 'Accept-Encoding' } : {}),
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end()
      return
    }
    const encoding =
      compressible && stats.size <= MAX_COMPRESSED_FILE_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : null
    if (encoding) {
      const body = await compressed.get({ path, size: stats.size, mtimeMs: stats.mtimeMs }, encoding)
      res.writeHead(200, { ...headers, 'Content-Encoding': encoding, 'Content-Length': body.length }).end(body)
      return
    }
    res.writeHead(200, { ...headers, 'Content-Length': stats.size })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    createReadStream(path)
      .on('error', () => res.destroy())
      .pipe(res)
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' })
      return
    }
    const pathname = new URL(req.url ?? '/', 'http://signaling').pathname
    if (pathname === '/healthz') return sendJson(res, health())
    if (pathname === '/config') return sendJson(res, config)
    if (pathname === SIGNALING_PATH) return send(res, 426, 'This path takes WebSocket connections only.\n')

    const page = PAGE_PATH.exec(pathname)
    if (page) {
      const index = candidateDir === undefined ? null : resolveStaticPath(candidateDir, '/index.html')
      const stats = index === null ? null : await fileStats(index)
      log('http.page', { room: roomTag(page[1] ?? ''), status: stats ? 200 : 503 })
      if (index === null || stats === null) return send(res, 503, NOT_BUILT)
      return serveFile(req, res, index, stats, '/index.html', false)
    }

    // The page is served at /s/:roomId, so its relative asset URLs arrive under /s/.
    const relative = pathname.startsWith('/s/') ? pathname.slice(2) : pathname
    const file = candidateDir === undefined ? null : resolveStaticPath(candidateDir, relative)
    const stats = file === null ? null : await fileStats(file)
    if (file === null || stats === null) return send(res, 404, 'Not found\n')
    return serveFile(req, res, file, stats, relative, relative.startsWith('/assets/'))
  }

  return async (req, res) => {
    try {
      await route(req, res)
    } catch (error) {
      log('http.error', { message: error instanceof Error ? error.message : String(error) })
      if (res.headersSent) res.destroy()
      else send(res, 500, 'Internal error\n')
    }
  }
}
