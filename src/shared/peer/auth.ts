import { z } from 'zod'
import type { Role } from '../signaling/protocol'
import { fromBase64url, randomBytes, toBase64url } from './base64'
import type { MacKey } from './crypto-backend'

const Base64url256 = z.string().regex(/^[A-Za-z0-9_-]{43}$/)
const AuthMessageSchema = z.discriminatedUnion('auth', [
  z.object({ auth: z.literal('challenge'), nonce: Base64url256 }),
  z.object({ auth: z.literal('answer'), mac: Base64url256 }),
])

export type AuthStep = { kind: 'send'; text: string } | { kind: 'verified' } | { kind: 'failed' }

const encoder = new TextEncoder()
const proofInput = (role: Role, nonce: string) => encoder.encode(`duet/1 auth|${role}|${nonce}`)

/**
 * The mutual challenge on a freshly opened data channel. Each side sends a random nonce and
 * answers the other's with HMAC(auth, role|nonce): the role in the MAC stops an answer being
 * reflected back, the fresh nonce stops an old one being replayed. A side sends its challenge
 * before its answer, so an answer that comes before the challenge, a second challenge, or anything
 * else fails the exchange.
 */
export class MutualAuth {
  /** The first message to send on the channel. */
  readonly challenge: string
  private readonly nonce: string
  private answered = false

  constructor(
    private readonly role: Role,
    private readonly key: MacKey,
  ) {
    this.nonce = toBase64url(randomBytes(32))
    this.challenge = JSON.stringify({ auth: 'challenge', nonce: this.nonce })
  }

  /** Takes one message from the other side; anything but a well-formed challenge or answer fails. */
  async step(text: string): Promise<AuthStep> {
    const message = parseAuthMessage(text)
    if (!message) return { kind: 'failed' }
    if (message.auth === 'challenge') {
      if (this.answered) return { kind: 'failed' }
      this.answered = true
      const mac = await this.key.sign(proofInput(this.role, message.nonce))
      return { kind: 'send', text: JSON.stringify({ auth: 'answer', mac: toBase64url(mac) }) }
    }
    const mac = fromBase64url(message.mac)
    if (!this.answered || !mac) return { kind: 'failed' }
    const other: Role = this.role === 'host' ? 'guest' : 'host'
    const ok = await this.key.verify(mac, proofInput(other, this.nonce))
    return ok ? { kind: 'verified' } : { kind: 'failed' }
  }
}

function parseAuthMessage(text: string): z.infer<typeof AuthMessageSchema> | null {
  try {
    const parsed = AuthMessageSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
