import { createHash, randomBytes } from 'node:crypto'
import WebSocket from 'ws'
import {
  SIGNALING_PATH,
  SIGNALING_PROTOCOL_VERSION,
  ServerFrameSchema,
  type ClientFrame,
  type ServerFrame,
} from '../src/shared/signaling/protocol'
import type { SignalingLimits } from './limits'
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from './server'

/** A clock tests move by hand: expiry and rate limits follow it, not the wall. */
export function manualClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
  let t = start
  return {
    now: () => t,
    advance(ms: number) {
      t += ms
    },
  }
}

export interface TestServer {
  server: SignalingServer
  clock: ReturnType<typeof manualClock>
  /** Every log line the server wrote, as text. */
  logs: string[]
  wsUrl: string
}

/** A real server on 127.0.0.1 with a free port, a manual clock and captured logs. */
export async function startTestServer(
  limits: Partial<SignalingLimits> = {},
  options: Partial<SignalingServerOptions> = {},
): Promise<TestServer> {
  const clock = manualClock()
  const logs: string[] = []
  const server = await startSignalingServer({
    port: 0,
    host: '127.0.0.1',
    iceServers: [],
    now: clock.now,
    log: (line) => logs.push(line),
    ...options,
    limits: { sweepIntervalMs: 20, ...limits },
  })
  return { server, clock, logs, wsUrl: `${server.url.replace(/^http/, 'ws')}${SIGNALING_PATH}` }
}

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>

/** A real `ws` client that records every frame and lets a test wait for the next one of a type. */
export class TestClient {
  readonly ws: WebSocket
  /** Frames received and not yet taken. */
  readonly inbox: ServerFrame[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  private wake: (() => void)[] = []

  constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data: Buffer) => {
      this.inbox.push(ServerFrameSchema.parse(JSON.parse(data.toString('utf8'))))
      this.notify()
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
        this.notify()
      })
    })
  }

  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options)
    const client = new TestClient(ws)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return client
  }

  send(frame: ClientFrame): void {
    this.ws.send(JSON.stringify(frame))
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary })
  }

  /** Waits for the first frame of `type` in the inbox and removes it. */
  async take<T extends ServerFrame['type']>(type: T, timeoutMs = 3000): Promise<FrameOf<T>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const index = this.inbox.findIndex((frame) => frame.type === type)
      if (index >= 0) return this.inbox.splice(index, 1)[0] as FrameOf<T>
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(`no ${type} frame within ${timeoutMs} ms; inbox: ${this.inbox.map((f) => f.type).join(', ')}`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.wake.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  async error(timeoutMs?: number): Promise<FrameOf<'error'>['code']> {
    return (await this.take('error', timeoutMs)).code
  }

  close(): void {
    this.ws.terminate()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = []
    for (const resolve of wake) resolve()
  }
}

/** Fresh link material as the host derives it: the server gets only the token and the key's hash. */
export function newRoom() {
  const joinKey = randomBytes(32).toString('base64url')
  return {
    roomId: randomBytes(16).toString('base64url'),
    hostToken: randomBytes(32).toString('base64url'),
    joinKey,
    joinKeyHash: createHash('sha256').update(joinKey).digest('base64url'),
  }
}

export type RoomMaterial = ReturnType<typeof newRoom>

export function registerFrame(room: RoomMaterial, expiresAt: number): ClientFrame {
  return {
    type: 'host.register',
    v: SIGNALING_PROTOCOL_VERSION,
    roomId: room.roomId,
    hostToken: room.hostToken,
    joinKeyHash: room.joinKeyHash,
    expiresAt,
  }
}

export function joinFrame(room: RoomMaterial, joinKey = room.joinKey): ClientFrame {
  return { type: 'guest.join', v: SIGNALING_PROTOCOL_VERSION, roomId: room.roomId, joinKey }
}

/** Random bytes as the base64 blob a real client would send (ciphertext looks like this). */
export function blob(bytes = 48): string {
  return randomBytes(bytes).toString('base64')
}

export const HOUR = 60 * 60 * 1000

/** A host registered and a guest joined in a new room; both acks and the host's peer.joined taken. */
export async function openRoom(ts: TestServer, room = newRoom()) {
  const host = await TestClient.connect(ts.wsUrl)
  host.send(registerFrame(room, ts.clock.now() + HOUR))
  await host.take('host.registered')
  const guest = await TestClient.connect(ts.wsUrl)
  guest.send(joinFrame(room))
  await guest.take('guest.joined')
  await host.take('peer.joined')
  return { room, host, guest }
}

/** Resolves after `ms` of real time: only to let frames that must NOT arrive have their chance. */
export function settle(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
