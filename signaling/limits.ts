import { MAX_FRAME_BYTES } from '../src/shared/signaling/protocol'

/** Every bound the server enforces; times are in milliseconds of the server's clock. */
export interface SignalingLimits {
  /** Rooms held at once; a registration beyond it is refused with `room-full`. */
  maxRooms: number
  /** WebSocket connections at once; an upgrade beyond it is answered 503. */
  maxConnections: number
  /** Messages up to this size are read and refused with `too-large`; bigger ones make ws close with 1009. */
  hardMaxPayloadBytes: number
  /** Token bucket per connection: sustained frames per second and the burst above it. */
  framesPerSecond: number
  frameBurst: number
  /** Token bucket per connection on bytes, so a few large frames cannot saturate the server. */
  bytesPerSecond: number
  byteBurst: number
  /** A connection that has this many frames dropped for rate within `floodWindowMs` is closed. */
  floodCloseAfterDrops: number
  floodWindowMs: number
  /** The furthest `expiresAt` a host may ask for; later ones are brought to this. */
  maxRoomLifetimeMs: number
  /** A room nobody has been connected to for this long expires. */
  idleRoomMs: number
  /** Expired and ended room ids are remembered this long, so joins get `expired` rather than `room-not-found`. */
  tombstoneMs: number
  maxTombstones: number
  /** A connection must register or join within this time. */
  handshakeTimeoutMs: number
  /** Ping period (real time); a connection that has not answered the previous ping is terminated. */
  heartbeatIntervalMs: number
  /** How often a page in a room pings (told in its join answer), so that it notices a dead connection. */
  pagePingMs: number
  /** How often expiry, idle rooms and handshake timeouts are checked. */
  sweepIntervalMs: number
  /** A receiver this far behind is dropped rather than buffered without bound. */
  maxBufferedBytes: number
}

export const DEFAULT_LIMITS: Readonly<SignalingLimits> = {
  maxRooms: 2000,
  maxConnections: 5000,
  hardMaxPayloadBytes: 2 * MAX_FRAME_BYTES,
  framesPerSecond: 100,
  frameBurst: 200,
  bytesPerSecond: 512 * 1024,
  // A session.info in its largest number of parts (frames.ts MAX_FRAME_PARTS) goes through at once.
  byteBurst: 2 * 1024 * 1024,
  floodCloseAfterDrops: 500,
  floodWindowMs: 10_000,
  maxRoomLifetimeMs: 24 * 60 * 60 * 1000,
  idleRoomMs: 30 * 60 * 1000,
  tombstoneMs: 24 * 60 * 60 * 1000,
  maxTombstones: 10_000,
  handshakeTimeoutMs: 15_000,
  // The other party hears of a silently dead page within two periods.
  heartbeatIntervalMs: 10_000,
  pagePingMs: 5_000,
  sweepIntervalMs: 5_000,
  maxBufferedBytes: 4 * 1024 * 1024,
}
