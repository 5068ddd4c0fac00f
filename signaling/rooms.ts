import {
  SIGNALING_CLOSE_CODES,
  SIGNALING_PROTOCOL_VERSION,
  type ForwardedFrame,
  type GuestJoin,
  type HostRegister,
  type ServerFrame,
  type SignalingErrorCode,
} from '../src/shared/signaling/protocol'
import { fromBase64url, sameDigest, sha256 } from './digest'
import type { SignalingLimits } from './limits'
import { roomTag, type Logger } from './log'

/** One end of a room: a live connection the room can write to and close. */
export interface Party {
  readonly id: number
  send(frame: ServerFrame): void
  close(code: number, reason: string): void
}

/** What the server holds about a room: digests, an expiry and who is connected. */
export interface Room {
  readonly id: string
  readonly tag: string
  hostTokenHash: Buffer
  joinKeyHash: Buffer
  expiresAt: number
  host: Party | null
  guest: Party | null
  /** When the last party left; null while someone is connected. */
  emptySince: number | null
}

export type Admission = { ok: true; room: Room } | { ok: false; code: SignalingErrorCode }

/** `sent` to the other party, `absent` when it is not connected, `stale` when the sender was replaced. */
export type ForwardOutcome = 'sent' | 'absent' | 'stale' | 'expired'

export interface RoomsOptions {
  limits: SignalingLimits
  now: () => number
  log: Logger
}

export type Rooms = ReturnType<typeof createRooms>

/** The room table: registration, joining, forwarding, leaving and expiry. Knows nothing of sockets. */
export function createRooms({ limits, now, log }: RoomsOptions) {
  const rooms = new Map<string, Room>()
  // Expired and ended rooms, by id, with when they went: a late join is told `expired`.
  const tombstones = new Map<string, number>()

  function isTombstoned(roomId: string, t: number): boolean {
    const at = tombstones.get(roomId)
    if (at === undefined) return false
    if (t - at < limits.tombstoneMs) return true
    tombstones.delete(roomId)
    return false
  }

  function bury(room: Room, t: number): void {
    rooms.delete(room.id)
    tombstones.set(room.id, t)
    // Oldest first: Map keeps insertion order.
    for (const id of tombstones.keys()) {
      if (tombstones.size <= limits.maxTombstones) break
      tombstones.delete(id)
    }
  }

  /** Tells both parties the room is gone, closes them and forgets the room. */
  function shut(room: Room, reason: 'expired' | 'ended', event: string): void {
    const parties = [room.host, room.guest]
    room.host = null
    room.guest = null
    bury(room, now())
    for (const party of parties) {
      party?.send({ type: 'room.closed', reason })
      party?.close(SIGNALING_CLOSE_CODES.roomClosed, reason)
    }
    log(event, { room: room.tag, rooms: rooms.size })
  }

  function clampExpiry(expiresAt: number, t: number): number {
    return Math.min(expiresAt, t + limits.maxRoomLifetimeMs)
  }

  function register(party: Party, frame: HostRegister): Admission {
    const t = now()
    if (isTombstoned(frame.roomId, t) || frame.expiresAt <= t) return { ok: false, code: 'expired' }
    const tokenHash = sha256(frame.hostToken)
    const existing = rooms.get(frame.roomId)
    if (existing) {
      if (!sameDigest(existing.hostTokenHash, tokenHash)) return { ok: false, code: 'bad-key' }
      if (existing.expiresAt <= t) {
        shut(existing, 'expired', 'room.expired')
        return { ok: false, code: 'expired' }
      }
      return resume(existing, party, frame, t)
    }
    if (rooms.size >= limits.maxRooms) return { ok: false, code: 'room-full' }
    const room: Room = {
      id: frame.roomId,
      tag: roomTag(frame.roomId),
      hostTokenHash: tokenHash,
      joinKeyHash: fromBase64url(frame.joinKeyHash),
      expiresAt: clampExpiry(frame.expiresAt, t),
      host: party,
      guest: null,
      emptySince: null,
    }
    rooms.set(room.id, room)
    party.send({
      type: 'host.registered',
      v: SIGNALING_PROTOCOL_VERSION,
      roomId: room.id,
      expiresAt: room.expiresAt,
      resumed: false,
      peerPresent: false,
      pingEveryMs: limits.pagePingMs,
    })
    log('room.registered', {
      room: room.tag,
      conn: party.id,
      expiresInS: Math.round((room.expiresAt - t) / 1000),
      rooms: rooms.size,
    })
    return { ok: true, room }
  }

  /** The host token matched: the new connection takes the host seat and may move the expiry. */
  function resume(room: Room, party: Party, frame: HostRegister, t: number): Admission {
    const previous = room.host
    room.host = party
    room.joinKeyHash = fromBase64url(frame.joinKeyHash)
    room.expiresAt = clampExpiry(frame.expiresAt, t)
    room.emptySince = null
    party.send({
      type: 'host.registered',
      v: SIGNALING_PROTOCOL_VERSION,
      roomId: room.id,
      expiresAt: room.expiresAt,
      resumed: true,
      peerPresent: room.guest !== null,
      pingEveryMs: limits.pagePingMs,
    })
    if (previous) {
      previous.send({ type: 'host.replaced' })
      previous.close(SIGNALING_CLOSE_CODES.replaced, 'host replaced')
    }
    room.guest?.send({ type: 'peer.joined', role: 'host' })
    log('host.resumed', { room: room.tag, conn: party.id, replaced: previous !== null })
    return { ok: true, room }
  }

  function join(party: Party, frame: GuestJoin): Admission {
    const t = now()
    if (isTombstoned(frame.roomId, t)) return { ok: false, code: 'expired' }
    const room = rooms.get(frame.roomId)
    if (!room) return { ok: false, code: 'room-not-found' }
    if (room.expiresAt <= t) {
      shut(room, 'expired', 'room.expired')
      return { ok: false, code: 'expired' }
    }
    if (!sameDigest(room.joinKeyHash, sha256(frame.joinKey))) return { ok: false, code: 'bad-key' }
    const previous = room.guest
    room.guest = party
    room.emptySince = null
    party.send({
      type: 'guest.joined',
      v: SIGNALING_PROTOCOL_VERSION,
      roomId: room.id,
      expiresAt: room.expiresAt,
      peerPresent: room.host !== null,
      pingEveryMs: limits.pagePingMs,
    })
    // Exactly one live guest: the newcomer proved the key, so the old tab or device is told why and closed.
    if (previous) {
      previous.send({ type: 'guest.replaced' })
      previous.close(SIGNALING_CLOSE_CODES.replaced, 'guest replaced')
    }
    room.host?.send({ type: 'peer.joined', role: 'guest' })
    log('guest.joined', { room: room.tag, conn: party.id, replaced: previous !== null })
    return { ok: true, room }
  }

  function forward(room: Room, from: Party, frame: ForwardedFrame): ForwardOutcome {
    if (room.expiresAt <= now() && rooms.get(room.id) === room) {
      shut(room, 'expired', 'room.expired')
      return 'expired'
    }
    const to = room.host === from ? room.guest : room.guest === from ? room.host : undefined
    if (to === undefined) return 'stale'
    if (to === null) return 'absent'
    to.send(frame)
    return 'sent'
  }

  /** A connection closed (its `conn.close` log line says so); a replaced one has no seat to give up. */
  function leave(room: Room, party: Party): void {
    if (room.host === party) {
      room.host = null
      room.guest?.send({ type: 'peer.left', role: 'host' })
    } else if (room.guest === party) {
      room.guest = null
      room.host?.send({ type: 'peer.left', role: 'guest' })
    } else {
      return
    }
    if (!room.host && !room.guest) room.emptySince = now()
  }

  /** The host ended the interview. */
  function end(room: Room): void {
    if (rooms.get(room.id) === room) shut(room, 'ended', 'room.ended')
  }

  /** Expires rooms past `expiresAt` and rooms nobody has been in for `idleRoomMs`. */
  function sweep(): void {
    const t = now()
    for (const room of rooms.values()) {
      if (room.expiresAt <= t) shut(room, 'expired', 'room.expired')
      else if (room.emptySince !== null && t - room.emptySince >= limits.idleRoomMs) shut(room, 'expired', 'room.idle')
    }
    for (const [id, at] of tombstones) {
      if (t - at < limits.tombstoneMs) break
      tombstones.delete(id)
    }
  }

  /** Rooms, and the hosts and guests live in them (a replaced connection still closing is not counted). */
  function census(): { rooms: number; hosts: number; guests: number } {
    let hosts = 0
    let guests = 0
    for (const room of rooms.values()) {
      if (room.host) hosts += 1
      if (room.guest) guests += 1
    }
    return { rooms: rooms.size, hosts, guests }
  }

  return { register, join, forward, leave, end, sweep, census }
}
