import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { SIGNALING_CLOSE_CODES, SIGNALING_PATH, type IceServer } from '../src/shared/signaling/protocol'
import { Connection, type ConnectionContext } from './connection'
import { createHttpHandler } from './http'
import { validateIceServers } from './ice-servers'
import { DEFAULT_LIMITS, type SignalingLimits } from './limits'
import { createLogger, stdoutSink, type LogSink } from './log'
import { createRooms } from './rooms'

export interface SignalingServerOptions {
  port: number
  host: string
  /** The candidate page build (candidate-web/dist); without it `/s/:roomId` answers 503. */
  candidateDir?: string
  /** Served at `/config` for both ends' `RTCPeerConnection`. */
  iceServers: readonly IceServer[]
  limits?: Partial<SignalingLimits>
  /** Milliseconds since the epoch; expiry, rate limits and log times follow it. */
  now?: () => number
  /** Receives one JSON line per event; stdout by default. */
  log?: LogSink
}

export interface SignalingStats {
  rooms: number
  connections: number
  hosts: number
  guests: number
  relayedFrames: number
  relayedBytes: number
  uptimeMs: number
}

export interface SignalingServer {
  /** `http://host:port`; WebSockets connect to the same origin at `SIGNALING_PATH`. */
  url: string
  port: number
  close(): Promise<void>
  stats(): SignalingStats
}

/** How long `close()` waits for clients to answer the close handshake before cutting them. */
const CLOSE_GRACE_MS = 1000

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** Rooms, encrypted signaling and relay over WebSocket, plus the candidate page over HTTP. */
export async function startSignalingServer(options: SignalingServerOptions): Promise<SignalingServer> {
  const iceServers = validateIceServers(options.iceServers, 'iceServers')
  if (!iceServers.ok) throw new Error(iceServers.message)
  const limits: SignalingLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const now = options.now ?? Date.now
  const log = createLogger(options.log ?? stdoutSink, now)
  const startedAt = now()
  const rooms = createRooms({ limits, now, log })
  const connections = new Set<Connection>()
  const context: ConnectionContext = { rooms, limits, now, log, relayed: { frames: 0, bytes: 0 } }
  let nextConnectionId = 1

  const handleHttp = createHttpHandler({
    candidateDir: options.candidateDir,
    config: { iceServers: iceServers.value },
    health: () => ({
      ok: true,
      rooms: rooms.census().rooms,
      connections: connections.size,
      uptime: Math.round((now() - startedAt) / 1000),
    }),
    log,
  })
  const server = createServer((req, res) => void handleHttp(req, res))
  // Ciphertext does not compress, and per-message deflate costs memory per connection.
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: limits.hardMaxPayloadBytes,
    perMessageDeflate: false,
  })

  function accept(ws: WebSocket): void {
    const connection = new Connection(ws, nextConnectionId++, context)
    connections.add(connection)
    log('conn.open', { conn: connection.id, connections: connections.size })
    ws.on('message', (data, isBinary) => {
      try {
        connection.onMessage(data, isBinary)
      } catch (error) {
        // A bug must cost one connection, never the server.
        log('conn.internal-error', { conn: connection.id, message: error instanceof Error ? error.message : '' })
        ws.terminate()
      }
    })
    ws.on('pong', () => {
      connection.alive = true
    })
    ws.on('error', (error: Error & { code?: string }) => {
      const tooLarge = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
      log(tooLarge ? 'refused' : 'conn.error', { conn: connection.id, code: tooLarge ? 'too-large' : error.code })
    })
    ws.on('close', (code) => {
      connections.delete(connection)
      connection.onClose(code)
    })
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (new URL(req.url ?? '/', 'http://signaling').pathname !== SIGNALING_PATH) {
      refuseUpgrade(socket, '404 Not Found')
      return
    }
    if (connections.size >= limits.maxConnections) {
      log('refused', { code: 'server-busy', connections: connections.size })
      refuseUpgrade(socket, '503 Service Unavailable')
      return
    }
    sockets.handleUpgrade(req, socket, head, accept)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port, address } = server.address() as AddressInfo
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat()
  }, limits.heartbeatIntervalMs)
  const sweep = setInterval(() => {
    rooms.sweep()
    const t = now()
    for (const connection of connections) {
      if (connection.room === null && t - connection.openedAt >= limits.handshakeTimeoutMs) {
        connection.close(SIGNALING_CLOSE_CODES.handshakeTimeout, 'no register or join in time')
      }
    }
  }, limits.sweepIntervalMs)
  // Embedded in the desktop app, the server must not keep the process alive by itself.
  heartbeat.unref()
  sweep.unref()
  log('server.started', { url, maxRooms: limits.maxRooms, iceServers: iceServers.value.length })

  let closing: Promise<void> | undefined
  async function shutDown(): Promise<void> {
    clearInterval(heartbeat)
    clearInterval(sweep)
    const closed = [...connections].map(
      (connection) =>
        new Promise<void>((resolve) => {
          connection.onceClosed(resolve)
          connection.close(SIGNALING_CLOSE_CODES.goingAway, 'server shutting down')
        }),
    )
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())
    await Promise.race([Promise.all(closed), grace])
    for (const connection of connections) connection.terminate()
    sockets.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    log('server.stopped', {})
  }

  return {
    url,
    port,
    stats: () => ({
      ...rooms.census(),
      connections: connections.size,
      relayedFrames: context.relayed.frames,
      relayedBytes: context.relayed.bytes,
      uptimeMs: now() - startedAt,
    }),
    close: () => (closing ??= shutDown()),
  }
}
