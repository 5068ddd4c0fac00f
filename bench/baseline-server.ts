import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize, sep } from 'node:path'
import { build } from 'vite'
import WebSocket, { WebSocketServer } from 'ws'
import { SECURITY_HEADERS } from '../src/main/security-headers'

/**
 * The seeds' design, for comparison: a plain WebSocket server that keeps the latest whole text and
 * passes it to every other client on each change. Each page (bench/baseline-page) is a Monaco
 * editor that sends its whole text on every model change and `setValue`s every text it receives.
 * The pages get the Duet pages' headers: cross-origin isolated, their clocks tick as finely.
 */

/** About the size of a starter-pack stub, like the document the Duet benchmark types into. */
const SEED = `def compress_runs(text: str) -> str:
    """Return text with each run of 2+ equal characters written as the character and the run length."""
    pass
`

const PAGE_ROOT = join(import.meta.dirname, 'baseline-page')

/** A production build of the page, like the Duet pages it is compared with. */
async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: PAGE_ROOT,
    base: '/',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  })
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
}

export interface BaselineServer {
  url: string
  stop(): Promise<void>
}

export async function startBaselineServer(): Promise<BaselineServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'duet-baseline-page-'))
  try {
    await buildPage(outDir)
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true })
    throw error
  }

  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const file = normalize(join(outDir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(outDir + sep)) {
      res.writeHead(404).end()
      return
    }
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    )
  })
  let text = SEED
  const wss = new WebSocketServer({ server, path: '/ws' })
  wss.on('connection', (socket) => {
    socket.send(text)
    socket.on('message', (data) => {
      text = data.toString()
      for (const client of wss.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) client.send(text)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.close(() => {
          rmSync(outDir, { recursive: true, force: true })
          resolve()
        })
      }),
  }
}
