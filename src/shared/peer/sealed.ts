import { z } from 'zod'
import type { Role } from '../signaling/protocol'
import { fromBase64, randomBytes, toBase64 } from './base64'
import type { AeadKey } from './crypto-backend'

/**
 * AES-GCM envelopes for what passes through the signaling server. The additional data names the
 * purpose and the direction, so a blob cannot be replayed the other way or for another use; inside,
 * a session id and a sequence number let the receiver refuse blobs from an old session and replays.
 */

export type SealPurpose = 'signal' | 'relay'

const IV_BYTES = 12
const TAG_BYTES = 16
/** Bytes a sealed blob adds to its plaintext (before base64). */
export const SEAL_OVERHEAD_BYTES = IV_BYTES + TAG_BYTES

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

const otherRole = (role: Role): Role => (role === 'host' ? 'guest' : 'host')

/** The additional data of blobs `from` sends for `purpose`, e.g. `duet/1 signal:host→guest`. */
export function sealLabel(purpose: SealPurpose, from: Role): string {
  return `duet/1 ${purpose}:${from}→${otherRole(from)}`
}

/** Encrypts `value` as JSON under a fresh random IV: standard base64 of IV ‖ ciphertext ‖ tag. */
export async function seal(key: AeadKey, label: string, value: unknown): Promise<string> {
  const iv = randomBytes(IV_BYTES)
  const ciphertext = await key.encrypt(iv, encoder.encode(JSON.stringify(value)), encoder.encode(label))
  const out = new Uint8Array(IV_BYTES + ciphertext.length)
  out.set(iv)
  out.set(ciphertext, IV_BYTES)
  return toBase64(out)
}

/** Why a blob was refused: not a blob, altered or sealed with another key or label, or not JSON inside. */
export type OpenFailure = 'malformed' | 'unauthentic' | 'not-json'
export type Opened = { ok: true; value: unknown } | { ok: false; failure: OpenFailure }

/** Decrypts and parses a blob from `seal`; every failure is a value, never an exception. */
export async function open(key: AeadKey, label: string, blob: string): Promise<Opened> {
  const bytes = fromBase64(blob)
  if (!bytes || bytes.length < SEAL_OVERHEAD_BYTES) return { ok: false, failure: 'malformed' }
  const plaintext = await key.decrypt(bytes.subarray(0, IV_BYTES), bytes.subarray(IV_BYTES), encoder.encode(label))
  if (!plaintext) return { ok: false, failure: 'unauthentic' }
  try {
    return { ok: true, value: JSON.parse(decoder.decode(plaintext)) as unknown }
  } catch {
    return { ok: false, failure: 'not-json' }
  }
}

/** What every sealed blob holds: the session it belongs to, its number in that session, and a body. */
export const EnvelopeSchema = z.object({
  sid: z.string().max(64),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  body: z.unknown(),
})
export type Envelope = z.infer<typeof EnvelopeSchema>

/** Bytes of plaintext an envelope adds around its body's JSON, at most (session id of 64, largest seq). */
export const ENVELOPE_OVERHEAD_BYTES =
  JSON.stringify({ sid: 'x'.repeat(64), seq: Number.MAX_SAFE_INTEGER, body: null }).length - 'null'.length

export type OpenedEnvelope = { ok: true; envelope: Envelope } | { ok: false; failure: OpenFailure }

export async function openEnvelope(key: AeadKey, label: string, blob: string): Promise<OpenedEnvelope> {
  const opened = await open(key, label, blob)
  if (!opened.ok) return opened
  const parsed = EnvelopeSchema.safeParse(opened.value)
  return parsed.success ? { ok: true, envelope: parsed.data } : { ok: false, failure: 'malformed' }
}

/**
 * The receiving side of one session and purpose: accepts an envelope of its session whose number
 * is above every number accepted before, so a replayed or reordered blob is refused.
 */
export class ReplayGuard {
  private last = 0

  constructor(readonly sid: string) {}

  accept(envelope: Envelope): boolean {
    if (envelope.sid !== this.sid || envelope.seq <= this.last) return false
    this.last = envelope.seq
    return true
  }
}
