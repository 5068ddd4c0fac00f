import type { RawData, WebSocket } from 'ws'
import {
  ClientFrameSchema,
  MAX_FRAME_BYTES,
  SIGNALING_CLOSE_CODES,
  SIGNALING_ERROR_MESSAGES,
  type ClientFrame,
  type Role,
  type ServerFrame,
  type SignalingErrorCode,
} from '../src/shared/signaling/protocol'
import { describeIssues, parseWith } from '../src/shared/validation'
import type { SignalingLimits } from './limits'
import { roomTag, type Logger } from './log'
import { TokenBucket } from './rate-limit'
import type { Admission, Party, Room, Rooms } from './rooms'

export interface ConnectionContext {
  rooms: Rooms
  limits: SignalingLimits
  now: () => number
  log: Logger
  /** Totals for `stats()`: sizes only, never contents. */
  relayed: { frames: number; bytes: number }
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0)
  return data instanceof ArrayBuffer ? data.byteLength : data.length
}

function asText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data.toString('utf8')
}

/**
 * Zeroes a frame once handled. Its bytes are the socket's read buffer, unmasked in place by ws:
 * left as they are, a host token or join key would outlive the frame in freed memory until the
 * allocator happened to reuse it, for a core dump or swap to show. Parsing copied what is kept.
 */
function scrub(data: RawData): void {
  if (Array.isArray(data)) for (const chunk of data) chunk.fill(0)
  else if (data instanceof ArrayBuffer) new Uint8Array(data).fill(0)
  else data.fill(0)
}

const NOT_JSON = Symbol('not JSON')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

/** One WebSocket: rate limit, frame parsing, and dispatch to the room table. */
export class Connection implements Party {
  readonly id: number
  readonly openedAt: number
  room: Room | null = null
  role: Role | null = null
  /** Cleared on every ping, set by the pong; a connection still false at the next ping is dead. */
  alive = true

  private readonly ws: WebSocket
  private readonly ctx: ConnectionContext
  private readonly frameBucket: TokenBucket
  private readonly byteBucket: TokenBucket
  private limited = false
  private dropWindowStart = 0
  private drops = 0
  private closing = false

  constructor(ws: WebSocket, id: number, ctx: ConnectionContext) {
    this.ws = ws
    this.id = id
    this.ctx = ctx
    this.openedAt = ctx.now()
    this.frameBucket = new TokenBucket(ctx.limits.framesPerSecond, ctx.limits.frameBurst, this.openedAt)
    this.byteBucket = new TokenBucket(ctx.limits.bytesPerSecond, ctx.limits.byteBurst, this.openedAt)
  }

  send(frame: ServerFrame): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    // A receiver this far behind is gone or hopeless; buffering more would only grow the server.
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.log('conn.slow', { conn: this.id, room: this.room?.tag })
      this.ws.terminate()
      return
    }
    this.ws.send(JSON.stringify(frame))
  }

  close(code: number, reason: string): void {
    this.closing = true
    this.ws.close(code, reason)
  }

  terminate(): void {
    this.ws.terminate()
  }

  onceClosed(listener: () => void): void {
    if (this.ws.readyState === this.ws.CLOSED) listener()
    else this.ws.once('close', () => listener())
  }

  /** Called by the heartbeat: terminates if the last ping went unanswered, then pings again. */
  heartbeat(): void {
    if (!this.alive) {
      this.ctx.log('conn.dead', { conn: this.id, room: this.room?.tag })
      this.ws.terminate()
      return
    }
    this.alive = false
    this.ws.ping()
  }

  onMessage(data: RawData, isBinary: boolean): void {
    try {
      this.handle(data, isBinary)
    } finally {
      scrub(data)
    }
  }

  private handle(data: RawData, isBinary: boolean): void {
    if (this.closing) return
    const size = byteLength(data)
    if (!this.admit(size)) return
    if (size > MAX_FRAME_BYTES) return this.refuse('too-large')
    if (isBinary) return this.refuse('bad-frame', 'Frames are JSON text, not binary.')
    const json = parseJson(asText(data))
    if (json === NOT_JSON) return this.refuse('bad-frame', 'Frames are JSON text; this one is not valid JSON.')
    const parsed = parseWith(ClientFrameSchema, json)
    if (!parsed.ok) return this.refuse('bad-frame', `Not a signaling frame: ${describeIssues(parsed.issues)}`)
    this.dispatch(parsed.value, size)
  }

  onClose(code: number): void {
    this.ctx.log('conn.close', { conn: this.id, role: this.role ?? undefined, room: this.room?.tag, code })
    if (this.room) this.ctx.rooms.leave(this.room, this)
  }

  private dispatch(frame: ClientFrame, size: number): void {
    const { rooms } = this.ctx
    switch (frame.type) {
      case 'host.register':
        return this.enter('host', frame.roomId, () => rooms.register(this, frame))
      case 'guest.join':
        return this.enter('guest', frame.roomId, () => rooms.join(this, frame))
      case 'signal':
      case 'relay': {
        if (!this.room) return this.refuse('not-joined')
        if (rooms.forward(this.room, this, frame) === 'sent') {
          this.ctx.relayed.frames += 1
          this.ctx.relayed.bytes += size
        }
        return
      }
      case 'ping':
        if (!this.room) return this.refuse('not-joined')
        return this.send({ type: 'pong' })
      case 'room.close': {
        if (!this.room) return this.refuse('not-joined')
        if (this.role !== 'host') return this.refuse('bad-frame', 'Only the interviewer can end the room.')
        rooms.end(this.room)
        return
      }
    }
  }

  private enter(role: Role, roomId: string, admit: () => Admission): void {
    if (this.room) return this.refuse('bad-frame', 'This connection is already in a room.')
    const result = admit()
    if (!result.ok) return this.refuse(result.code, undefined, roomTag(roomId))
    this.room = result.room
    this.role = role
  }

  /**
   * Charges the frame to both buckets. The first drop after a good frame is answered with
   * `rate-limited`; later drops are silent so a flood is not answered by a flood. A connection
   * that keeps flooding is closed.
   */
  private admit(size: number): boolean {
    const t = this.ctx.now()
    if (this.frameBucket.take(1, t) && this.byteBucket.take(size, t)) {
      this.limited = false
      return true
    }
    if (t - this.dropWindowStart >= this.ctx.limits.floodWindowMs) {
      this.dropWindowStart = t
      this.drops = 0
    }
    this.drops += 1
    if (this.drops > this.ctx.limits.floodCloseAfterDrops) {
      this.ctx.log('conn.flood', { conn: this.id, room: this.room?.tag })
      this.close(SIGNALING_CLOSE_CODES.rateLimited, 'rate limited')
      return false
    }
    if (!this.limited) {
      this.limited = true
      this.refuse('rate-limited')
    }
    return false
  }

  private refuse(code: SignalingErrorCode, detail?: string, tag = this.room?.tag): void {
    this.ctx.log('refused', { conn: this.id, code, role: this.role ?? undefined, room: tag })
    this.send({ type: 'error', code, message: detail ?? SIGNALING_ERROR_MESSAGES[code] })
  }
}
