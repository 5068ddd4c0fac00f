import { fromBase64url, randomBytes, toBase64url } from './base64'
import { defaultCryptoBackend, type AeadKey, type MacKey } from './crypto-backend'

/**
 * Everything one link secret gives its holders. The secret (256 bits, base64url) travels only in
 * the link's fragment; each purpose gets its own HKDF key, so a key used in one place says nothing
 * about another.
 */
export interface LinkKeys {
  /** Shown to the signaling server by the guest to prove it holds the link (base64url, 43 characters). */
  joinKey: string
  /** What the host registers: SHA-256 of the join key's text, base64url (43 characters), as the server computes it. */
  joinKeyHash: string
  /** AES-256-GCM over every SDP/ICE payload. */
  signal: AeadKey
  /** AES-256-GCM over link frames relayed through the signaling server. */
  relay: AeadKey
  /** HMAC-SHA-256 for the challenge run when the data channel opens. */
  auth: MacKey
}

const SECRET_BYTES = 32
const KEY_BYTES = 32
const encoder = new TextEncoder()
// A fixed salt is fine: the secret is already uniformly random; the salt only separates Duet's use of HKDF.
const SALT = encoder.encode('duet/link-keys/v1')
const INFO = {
  join: encoder.encode('duet join'),
  signal: encoder.encode('duet signal'),
  relay: encoder.encode('duet relay'),
  auth: encoder.encode('duet auth'),
}

/** A well-formed link secret: 256 bits as unpadded base64url. */
export function isLinkSecret(secret: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(secret) && fromBase64url(secret)?.length === SECRET_BYTES
}

/** Derives the link's keys; rejects a secret that `isLinkSecret` refuses. */
export async function deriveLinkKeys(secret: string, backend = defaultCryptoBackend()): Promise<LinkKeys> {
  const bytes = isLinkSecret(secret) ? fromBase64url(secret) : null
  if (!bytes) throw new Error('The link secret must be 256 bits of base64url (43 characters).')
  const derive = (info: Uint8Array<ArrayBuffer>) => backend.hkdf(bytes, SALT, info, KEY_BYTES)
  const [join, signal, relay, auth] = await Promise.all([
    derive(INFO.join),
    derive(INFO.signal).then((raw) => backend.aeadKey(raw)),
    derive(INFO.relay).then((raw) => backend.aeadKey(raw)),
    derive(INFO.auth).then((raw) => backend.macKey(raw)),
  ])
  const joinKey = toBase64url(join)
  const joinKeyHash = toBase64url(await backend.sha256(encoder.encode(joinKey)))
  return { joinKey, joinKeyHash, signal, relay, auth }
}

/** 128 random bits, base64url (22 characters): the room in `/s/{roomId}`. */
export function newRoomId(): string {
  return toBase64url(randomBytes(16))
}

/** 256 random bits, base64url (43 characters): the link secret. */
export function newSecret(): string {
  return toBase64url(randomBytes(SECRET_BYTES))
}

/** 256 random bits, base64url: proves to the signaling server that a connection is the room's host. */
export function newHostToken(): string {
  return toBase64url(randomBytes(32))
}
