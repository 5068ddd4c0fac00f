import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { BRIDGE_PATH, BridgeRequestSchema, type BridgeMessage } from '../../shared/bridge-protocol'
import type { Host } from '../host/host'

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

export interface BridgeOptions {
  host: Host
  /** Serves the UI: a built folder, or Vite's dev middleware (which needs the server for HMR). */
  createRequestHandler: (server: Server) => Promise<RequestHandler>
  port: number
  /** Loopback only by default: the bridge has no login, whoever reaches it reaches the database. */
  hostname: string
}

export interface RunningBridge {
  url: string
  server: Server
  close(): Promise<void>
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Only the bridge's own page may open the host socket: not another site open in the same browser. */
function isSameOriginUpgrade(req: IncomingMessage): boolean {
  const host = req.headers.host
  const origin = req.headers.origin
  if (!host || !origin) return false
  const hostname = host.replace(/:\d+$/, '')
  return origin === `http://${host}` && LOOPBACK_NAMES.has(hostname)
}

function send(socket: WebSocket, message: BridgeMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
}

function parseFrame(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'))
  } catch {
    return undefined
  }
}

/** The browser twin of the Electron adapter: the host API over one WebSocket, plus the UI. */
export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  let handleRequest: RequestHandler | null = null
  const server = createServer((req, res) => {
    if (handleRequest) void handleRequest(req, res)
    else res.writeHead(503).end('Starting')
  })
  handleRequest = await options.createRequestHandler(server)
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 25 * 1024 * 1024 })

  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://bridge').pathname !== BRIDGE_PATH) return
    if (!isSameOriginUpgrade(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req))
  })

  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: Buffer) => {
      const request = BridgeRequestSchema.safeParse(parseFrame(data))
      if (!request.success) return
      const { id, method, input } = request.data
      void options.host.dispatch(method, input).then((reply) => send(ws, { type: 'reply', id, reply }))
    })
  })

  const unsubscribe = options.host.onEvent((event, payload) => {
    for (const ws of sockets.clients) send(ws, { type: 'event', event, payload })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.hostname, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const shownHost = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname

  return {
    url: `http://${shownHost}:${port}/`,
    server,
    close: async () => {
      unsubscribe()
      for (const ws of sockets.clients) ws.terminate()
      sockets.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
