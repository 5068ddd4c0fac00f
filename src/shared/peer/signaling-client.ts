import {
  SIGNALING_PROTOCOL_VERSION,
  ServerFrameSchema,
  type ClientFrame,
  type ServerFrame,
  type SignalingErrorCode,
} from '../signaling/protocol'
import { Listeners } from './listeners'
import { backoffDelay, DEFAULT_BACKOFF, realSchedule, type Backoff, type Cancel, type Schedule } from './schedule'

/** Who this client is in its room, and the proof the server checks. */
export type SignalingIdentity =
  | { role: 'host'; roomId: string; hostToken: string; joinKeyHash: string; expiresAt: number }
  | { role: 'guest'; roomId: string; joinKey: string }

export interface SignalingClientOptions {
  /** The server's WebSocket address, e.g. `ws://192.168.1.20:8787/ws`. */
  url: string
  identity: SignalingIdentity
  WebSocketImpl?: new (url: string) => WebSocket
  schedule?: Schedule
  random?: () => number
  backoff?: Backoff
  /** How long a connection may take to open and be let in before it is dropped and retried. */
  joinTimeoutMs?: number
}

/** `WebSocket.OPEN`, which not every WebSocket implementation puts on its instances. */
const SOCKET_OPEN = 1

/** A connect attempt into a dead network can hang for minutes before the socket gives up. */
export const JOIN_TIMEOUT_MS = 10_000

export interface JoinedInfo {
  /** The other party is connected too. */
  peerPresent: boolean
  /** When the server will expire the room (ms since the epoch). */
  expiresAt: number
}

/** Refusals that end the client for good: the link is wrong, gone or expired. */
export type SignalingRefusal = 'room-not-found' | 'bad-key' | 'expired'

type Phase = 'idle' | 'connecting' | 'joining' | 'joined' | 'waiting' | 'closed'

export interface SignalingClientStats {
  /** Server frames that were not JSON or not a known frame: dropped. */
  badFrames: number
  /** Error frames the server sent. */
  errors: number
  /** Successful joins after the first one. */
  reconnects: number
}

/**
 * One role's connection to the signaling server: registers or joins, reconnects with backoff when
 * the socket drops (the host comes back with the same token, the guest joins again), and reports
 * every server frame as a typed event. Frames that do not parse are dropped and counted.
 */
export class SignalingClient {
  readonly joined = new Listeners<[info: JoinedInfo]>()
  readonly peerJoined = new Listeners<[]>()
  readonly peerLeft = new Listeners<[]>()
  /** The socket dropped after joining; a reconnect is on its way. */
  readonly disconnected = new Listeners<[]>()
  /** Another connection took this client's seat (a second tab, or the host reconnecting elsewhere). */
  readonly replaced = new Listeners<[]>()
  readonly roomClosed = new Listeners<[reason: 'expired' | 'ended']>()
  readonly refused = new Listeners<[code: SignalingRefusal]>()
  /** An error frame that did not end the client. */
  readonly error = new Listeners<[code: SignalingErrorCode, message: string]>()
  readonly signal = new Listeners<[blob: string]>()
  readonly relay = new Listeners<[blob: string]>()

  private readonly options: SignalingClientOptions
  private readonly WebSocketImpl: new (url: string) => WebSocket
  private readonly schedule: Schedule
  private phase: Phase = 'idle'
  private socket: WebSocket | null = null
  private attempt = 0
  private everJoined = false
  private cancelRetry: Cancel | null = null
  private cancelPing: Cancel | null = null
  private cancelJoinTimeout: Cancel | null = null
  /** Something came from the server since the last ping went out. */
  private heard = true
  private readonly counters: SignalingClientStats = { badFrames: 0, errors: 0, reconnects: 0 }

  constructor(options: SignalingClientOptions) {
    this.options = options
    this.WebSocketImpl = options.WebSocketImpl ?? WebSocket
    this.schedule = options.schedule ?? realSchedule
  }

  get isJoined(): boolean {
    return this.phase === 'joined'
  }

  get isClosed(): boolean {
    return this.phase === 'closed'
  }

  start(): void {
    if (this.phase === 'idle') this.connect()
  }

  /** False when not in the room right now: nothing was sent. */
  sendSignal(data: string): boolean {
    return this.sendInRoom({ type: 'signal', data })
  }

  sendRelay(data: string): boolean {
    return this.sendInRoom({ type: 'relay', data })
  }

  /** Host only: ends the room on the server for both parties. */
  endRoom(): boolean {
    return this.sendInRoom({ type: 'room.close' })
  }

  close(): void {
    this.stop()
  }

  stats(): SignalingClientStats {
    return { ...this.counters }
  }

  private sendInRoom(frame: ClientFrame): boolean {
    const socket = this.socket
    // A closing socket takes a frame without a word and drops it.
    if (this.phase !== 'joined' || !socket || socket.readyState !== SOCKET_OPEN) return false
    socket.send(JSON.stringify(frame))
    return true
  }

  private connect(): void {
    this.phase = 'connecting'
    const socket = new this.WebSocketImpl(this.options.url)
    this.socket = socket
    // Real time, like the ping period: it is the network's and the server's time, not the link's.
    this.cancelJoinTimeout = realSchedule(() => {
      this.cancelJoinTimeout = null
      if (this.socket === socket) this.onSocketLost()
    }, this.options.joinTimeoutMs ?? JOIN_TIMEOUT_MS)
    socket.onopen = () => {
      if (this.socket !== socket) return
      this.phase = 'joining'
      socket.send(JSON.stringify(this.joinFrame()))
    }
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return
      this.heard = true
      this.onMessage(event.data)
    }
    socket.onclose = () => {
      if (this.socket === socket) this.onSocketLost()
    }
  }

  private joinFrame(): ClientFrame {
    const id = this.options.identity
    const v = SIGNALING_PROTOCOL_VERSION
    return id.role === 'host'
      ? {
          type: 'host.register',
          v,
          roomId: id.roomId,
          hostToken: id.hostToken,
          joinKeyHash: id.joinKeyHash,
          expiresAt: id.expiresAt,
        }
      : { type: 'guest.join', v, roomId: id.roomId, joinKey: id.joinKey }
  }

  private onMessage(data: unknown): void {
    const frame = parseServerFrame(data)
    if (!frame) {
      this.counters.badFrames++
      return
    }
    switch (frame.type) {
      case 'host.registered':
      case 'guest.joined':
        if (this.phase !== 'joining') return
        this.stopJoinTimeout()
        this.phase = 'joined'
        if (this.everJoined) this.counters.reconnects++
        this.everJoined = true
        this.attempt = 0
        if (frame.pingEveryMs !== undefined) this.startPinging(frame.pingEveryMs)
        return this.joined.emit({ peerPresent: frame.peerPresent, expiresAt: frame.expiresAt })
      case 'peer.joined':
        return this.peerJoined.emit()
      case 'peer.left':
        return this.peerLeft.emit()
      case 'host.replaced':
      case 'guest.replaced':
        this.stop()
        return this.replaced.emit()
      case 'room.closed':
        this.stop()
        return this.roomClosed.emit(frame.reason)
      case 'signal':
        return this.signal.emit(frame.data)
      case 'relay':
        return this.relay.emit(frame.data)
      case 'error':
        return this.onError(frame.code, frame.message)
      case 'pong':
        return
    }
  }

  /**
   * Pings as the server asked. A socket whose network died without a word (no FIN, no RST) still
   * looks open to the page, for minutes; silence for a whole period after a ping tells it apart.
   * The period is the server's, in real time: a test that speeds up the link's own timers does not
   * make the server answer faster.
   */
  private startPinging(everyMs: number): void {
    this.stopPinging()
    this.heard = true
    const tick = (): void => {
      this.cancelPing = null
      // The server fell silent: handled as a dropped socket, so the page shows it and reconnects.
      if (!this.heard) return this.onSocketLost()
      this.heard = false
      this.socket?.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame))
      this.cancelPing = realSchedule(tick, everyMs)
    }
    this.cancelPing = realSchedule(tick, everyMs)
  }

  private stopPinging(): void {
    this.cancelPing?.()
    this.cancelPing = null
  }

  private stopJoinTimeout(): void {
    this.cancelJoinTimeout?.()
    this.cancelJoinTimeout = null
  }

  /** The socket closed, fell silent or was never let in: try again, and say so if it was in the room. */
  private onSocketLost(): void {
    const wasJoined = this.phase === 'joined'
    this.dropSocket()
    this.retry()
    if (wasJoined) this.disconnected.emit()
  }

  private onError(code: SignalingErrorCode, message: string): void {
    this.counters.errors++
    if (this.phase === 'joining' && isFinalRefusal(code, this.everJoined)) {
      this.stop()
      this.refused.emit(code)
      return
    }
    // A join refused for now (the server is full; after a server restart, the room comes back when the host does): try again later.
    if (this.phase === 'joining' && (code === 'room-full' || code === 'room-not-found')) {
      this.dropSocket()
      this.retry()
    }
    this.error.emit(code, message)
  }

  private retry(): void {
    this.phase = 'waiting'
    const delay = backoffDelay(
      this.attempt++,
      this.options.backoff ?? DEFAULT_BACKOFF,
      this.options.random ?? Math.random,
    )
    this.cancelRetry = this.schedule(() => {
      this.cancelRetry = null
      this.connect()
    }, delay)
  }

  private dropSocket(): void {
    this.stopPinging()
    this.stopJoinTimeout()
    const socket = this.socket
    this.socket = null
    socket?.close(1000)
  }

  private stop(): void {
    this.phase = 'closed'
    this.cancelRetry?.()
    this.cancelRetry = null
    this.dropSocket()
  }
}

function isFinalRefusal(code: SignalingErrorCode, everJoined: boolean): code is SignalingRefusal {
  // An unknown room is final only on the first join: once in, it means the server restarted.
  return code === 'bad-key' || code === 'expired' || (code === 'room-not-found' && !everJoined)
}

function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null
  let json: unknown
  try {
    json = JSON.parse(data)
  } catch {
    return null
  }
  const parsed = ServerFrameSchema.safeParse(json)
  return parsed.success ? parsed.data : null
}
