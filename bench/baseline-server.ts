import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'

/**
 * The seeds' design, for comparison: a plain WebSocket server that passes the whole text to every
 * other client on each change. The sender page sends its textarea's text on every input; the
 * receiver page sets its textarea to what arrives and records it for the probe.
 */

/** About the size of a starter-pack stub, like the document the Duet benchmark types into. */
const SEED = `def compress_runs(text: str) -> str:
    """Return text with each run of 2+ equal characters written as the character and the run length."""
    pass
`

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;')

function page(script: string, text: string): string {
  return `<!doctype html>
<meta charset="utf-8">
<textarea id="text" rows="20" cols="100" spellcheck="false">${escapeHtml(text)}</textarea>
<script>
const text = document.getElementById('text');
const socket = new WebSocket('ws://' + location.host + '/ws');
socket.onopen = () => { document.body.dataset.open = 'true'; };
${script}
</script>`
}

const PAGES: Readonly<Record<string, string>> = {
  '/sender': page(`text.addEventListener('input', () => socket.send(text.value));`, SEED),
  '/receiver': page(
    `socket.onmessage = (event) => { text.value = event.data; window.__duetBench.record(text.value); };`,
    '',
  ),
}

export interface BaselineServer {
  url: string
  stop(): Promise<void>
}

export async function startBaselineServer(): Promise<BaselineServer> {
  const server = createServer((req, res) => {
    const body = PAGES[req.url ?? '']
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(body ?? 'not found')
  })
  const wss = new WebSocketServer({ server, path: '/ws' })
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary })
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
        server.close(() => resolve())
      }),
  }
}
