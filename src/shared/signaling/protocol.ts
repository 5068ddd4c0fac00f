import { z } from 'zod'

/**
 * Frames between the signaling server and its two clients: the interviewer's app (host) and the
 * candidate's page (guest). Every frame is one JSON text message on `SIGNALING_PATH`. The server
 * never sees the link secret: the host registers only the SHA-256 of the join key, and `signal`
 * and `relay` payloads are ciphertext the server forwards without reading.
 */
export const SIGNALING_PROTOCOL_VERSION = 1
export const SIGNALING_PATH = '/ws'

/** Largest message either way, in bytes of UTF-8 JSON. */
export const MAX_FRAME_BYTES = 64 * 1024
/** Largest blob: leaves room for the envelope, so a full blob still fits in one frame. */
export const MAX_BLOB_CHARS = MAX_FRAME_BYTES - 1024

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')

/** 128 random bits in base64url, as in the link `/s/{roomId}`. */
export const RoomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be 22 base64url characters (128 bits)')
/** At least 128 bits; the server keeps only its SHA-256. */
export const HostTokenSchema = base64url(22, 128)
/** The guest's proof of the link, derived from the secret with HKDF; the server hashes it on arrival. */
export const JoinKeySchema = base64url(22, 128)
/** SHA-256 of the join key, base64url without padding. */
export const JoinKeyHashSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a SHA-256 in base64url (43 characters)')

/** Standard base64 of an AES-GCM ciphertext: opaque to the server, which only measures its size. */
export const BlobSchema = z
  .string()
  .min(4)
  .max(MAX_BLOB_CHARS)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
  .refine((s) => s.length % 4 === 0, 'must be padded base64')

const SeqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
const VersionSchema = z.literal(SIGNALING_PROTOCOL_VERSION)

export const RoleSchema = z.enum(['host', 'guest'])
export type Role = z.infer<typeof RoleSchema>

// ---- client → server ----

/** Creates the room, or resumes it when the same host token comes back (reconnect, restart). */
export const HostRegisterSchema = z.object({
  type: z.literal('host.register'),
  v: VersionSchema,
  roomId: RoomIdSchema,
  hostToken: HostTokenSchema,
  joinKeyHash: JoinKeyHashSchema,
  /** Milliseconds since the epoch; the server may bring it closer, and says so in its answer. */
  expiresAt: z.number().int().positive(),
})

/** Joins as the one live guest; a guest already there is replaced. */
export const GuestJoinSchema = z.object({
  type: z.literal('guest.join'),
  v: VersionSchema,
  roomId: RoomIdSchema,
  joinKey: JoinKeySchema,
})

/** Encrypted SDP/ICE for the other party. */
export const SignalSchema = z.object({ type: z.literal('signal'), data: BlobSchema, seq: SeqSchema.optional() })
/** An encrypted link frame for the other party, when the data channel cannot open (relay mode). */
export const RelaySchema = z.object({ type: z.literal('relay'), data: BlobSchema, seq: SeqSchema.optional() })
/** The host ends the interview: the room is closed for both and cannot be joined again. */
export const RoomCloseSchema = z.object({ type: z.literal('room.close') })
/** Asks for a `pong`, so a page can tell a live connection from one that silently died. */
export const PingSchema = z.object({ type: z.literal('ping') })

export const ClientFrameSchema = z.discriminatedUnion('type', [
  HostRegisterSchema,
  GuestJoinSchema,
  SignalSchema,
  RelaySchema,
  RoomCloseSchema,
  PingSchema,
])
export type ClientFrame = z.infer<typeof ClientFrameSchema>
export type HostRegister = z.infer<typeof HostRegisterSchema>
export type GuestJoin = z.infer<typeof GuestJoinSchema>
export type ForwardedFrame = z.infer<typeof SignalSchema> | z.infer<typeof RelaySchema>

// ---- server → client ----

/**
 * Every refusal. `room-full` means the server holds as many rooms as it may (no new room can be
 * registered); a room itself never refuses a guest who proves the key: the newcomer replaces the
 * old guest. An ended room answers `expired` like one past its expiry.
 */
export const SignalingErrorCodeSchema = z.enum([
  'room-not-found',
  'bad-key',
  'expired',
  'too-large',
  'rate-limited',
  'room-full',
  'bad-frame',
  'not-joined',
])
export type SignalingErrorCode = z.infer<typeof SignalingErrorCodeSchema>

/** Default wording, written for the candidate's page; the server sends these. */
export const SIGNALING_ERROR_MESSAGES: Readonly<Record<SignalingErrorCode, string>> = {
  'room-not-found': 'This interview link is not known to the server. Check the link with your interviewer.',
  'bad-key': 'This link does not match the interview room. Ask your interviewer for the full link.',
  expired: 'This interview link has expired or the interview has ended.',
  'too-large': `A message was larger than ${MAX_FRAME_BYTES / 1024} KiB and was not delivered.`,
  'rate-limited': 'Too many messages at once; some were dropped. Slow down and try again.',
  'room-full': 'The signaling server has no room for another interview right now. Try again later.',
  'bad-frame': 'The server could not read a message from this page. Reload the page.',
  'not-joined': 'This connection has not joined an interview room yet.',
}

export const SignalingErrorSchema = z.object({
  type: z.literal('error'),
  code: SignalingErrorCodeSchema,
  message: z.string(),
})
export type SignalingError = z.infer<typeof SignalingErrorSchema>

export const RoomClosedReasonSchema = z.enum(['expired', 'ended'])

/**
 * In the join answers: the server answers `ping` and asks the page to send one this often. A page
 * that hears nothing for two such periods treats the connection as dead. Absent from servers that
 * do not answer pings.
 */
const PingEveryMsSchema = z.number().int().positive().optional()

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('host.registered'),
    v: VersionSchema,
    roomId: RoomIdSchema,
    expiresAt: z.number().int(),
    /** True when the host token resumed a room that already existed. */
    resumed: z.boolean(),
    peerPresent: z.boolean(),
    pingEveryMs: PingEveryMsSchema,
  }),
  z.object({
    type: z.literal('guest.joined'),
    v: VersionSchema,
    roomId: RoomIdSchema,
    expiresAt: z.number().int(),
    peerPresent: z.boolean(),
    pingEveryMs: PingEveryMsSchema,
  }),
  /** The other party is connected (again, or a new guest replaced the old one): start negotiating. */
  z.object({ type: z.literal('peer.joined'), role: RoleSchema }),
  z.object({ type: z.literal('peer.left'), role: RoleSchema }),
  /** To an old guest connection just before it is closed: another tab or device proved the key. */
  z.object({ type: z.literal('guest.replaced') }),
  /** To an old host connection just before it is closed: the host resumed from a new connection. */
  z.object({ type: z.literal('host.replaced') }),
  z.object({ type: z.literal('room.closed'), reason: RoomClosedReasonSchema }),
  z.object({ type: z.literal('pong') }),
  SignalSchema,
  RelaySchema,
  SignalingErrorSchema,
])
export type ServerFrame = z.infer<typeof ServerFrameSchema>

/** WebSocket close codes the server uses, so a page can tell why it was disconnected. */
export const SIGNALING_CLOSE_CODES = {
  /** The server is shutting down; reconnect with backoff. */
  goingAway: 1001,
  /** A frame beyond the hard limit: ws cuts the connection (`too-large`). */
  tooLarge: 1009,
  /** `guest.replaced` or `host.replaced` was sent. */
  replaced: 4001,
  /** `room.closed` was sent. */
  roomClosed: 4002,
  /** Neither `host.register` nor `guest.join` arrived in time. */
  handshakeTimeout: 4003,
  /** The connection kept flooding after `rate-limited`. */
  rateLimited: 4029,
} as const

const IceUrlSchema = z.string().regex(/^(stuns?|turns?):\S+$/, 'must be a stun:, stuns:, turn: or turns: URL')

/** One ICE server as `RTCPeerConnection` takes it; TURN needs a username and a credential. */
export const IceServerSchema = z
  .strictObject({
    urls: z.union([IceUrlSchema, z.array(IceUrlSchema).min(1, 'must list at least one URL')]),
    username: z.string().min(1).optional(),
    credential: z.string().min(1).optional(),
  })
  .refine(
    (server) =>
      [server.urls].flat().every((url) => !url.startsWith('turn')) ||
      (server.username !== undefined && server.credential !== undefined),
    'a TURN server needs a username and a credential',
  )
export type IceServer = z.infer<typeof IceServerSchema>

/** The body of `GET /config`. */
export const SignalingConfigSchema = z.object({ iceServers: z.array(IceServerSchema) })
export type SignalingConfig = z.infer<typeof SignalingConfigSchema>

/** The body of `GET /healthz`. */
export const HealthSchema = z.object({
  ok: z.literal(true),
  rooms: z.number().int().nonnegative(),
  connections: z.number().int().nonnegative(),
  /** Seconds since the server started. */
  uptime: z.number().nonnegative(),
})
export type Health = z.infer<typeof HealthSchema>
