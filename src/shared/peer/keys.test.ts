import { describe, expect, it } from 'vitest'
import { HostTokenSchema, JoinKeyHashSchema, JoinKeySchema, RoomIdSchema } from '../signaling/protocol'
import { nobleBackend, webCryptoBackend } from './crypto-backend'
import { deriveLinkKeys, isLinkSecret, newHostToken, newRoomId, newSecret } from './keys'
import { open, seal } from './sealed'

// Computed independently (Python hmac/hashlib HKDF): pins the derivation, so links keep working across versions.
const KNOWN = {
  secret: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
  joinKey: 'rhZ7EV-yCPOmXmX5uAFZOr7p3zJbUwKAKqX4bNNkHh4',
  joinKeyHash: 'vB93ZtVF-Dl_rask8ASF9QXXn7218159xwU_KAHlJDI',
}

describe('link keys', () => {
  it.each([webCryptoBackend, nobleBackend])(
    'derives the join key and its hash as specified (HKDF-SHA-256, SHA-256 of the key text) with $name',
    async (backend) => {
      const keys = await deriveLinkKeys(KNOWN.secret, backend)
      expect(keys.joinKey).toBe(KNOWN.joinKey)
      expect(keys.joinKeyHash).toBe(KNOWN.joinKeyHash)
      expect(JoinKeySchema.safeParse(keys.joinKey).success).toBe(true)
      expect(JoinKeyHashSchema.safeParse(keys.joinKeyHash).success).toBe(true)
    },
  )

  it('derives the same keys with either backend, so a page without WebCrypto talks to the app', async () => {
    const secret = newSecret()
    const web = await deriveLinkKeys(secret, webCryptoBackend)
    const noble = await deriveLinkKeys(secret, nobleBackend)
    for (const [from, to] of [
      [web, noble],
      [noble, web],
    ] as const) {
      expect(await open(to.signal, 'l', await seal(from.signal, 'l', 'signal'))).toEqual({ ok: true, value: 'signal' })
      expect(await open(to.relay, 'l', await seal(from.relay, 'l', 'relay'))).toEqual({ ok: true, value: 'relay' })
      const data = new TextEncoder().encode('nonce')
      expect(await to.auth.verify(await from.auth.sign(data), data)).toBe(true)
    }
  })

  it('gives each purpose its own key', async () => {
    const keys = await deriveLinkKeys(newSecret())
    const blob = await seal(keys.signal, 'label', { hello: 1 })
    expect(await open(keys.signal, 'label', blob)).toEqual({ ok: true, value: { hello: 1 } })
    expect(await open(keys.relay, 'label', blob)).toEqual({ ok: false, failure: 'unauthentic' })
  })

  it('gives different secrets different keys', async () => {
    const [a, b] = await Promise.all([deriveLinkKeys(newSecret()), deriveLinkKeys(newSecret())])
    expect(a.joinKey).not.toBe(b.joinKey)
    const blob = await seal(a.relay, 'label', 'x')
    expect(await open(b.relay, 'label', blob)).toEqual({ ok: false, failure: 'unauthentic' })
  })

  it('refuses a malformed secret', async () => {
    for (const bad of ['', 'short', KNOWN.secret.slice(1), `${KNOWN.secret}A`, `${KNOWN.secret.slice(1)}+`]) {
      expect(isLinkSecret(bad)).toBe(false)
      await expect(deriveLinkKeys(bad)).rejects.toThrow(/256 bits/)
    }
    expect(isLinkSecret(KNOWN.secret)).toBe(true)
  })

  it('makes fresh room ids, secrets and host tokens in the protocol formats', () => {
    const ids = new Set(Array.from({ length: 50 }, newRoomId))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(RoomIdSchema.safeParse(id).success).toBe(true)
    const secrets = new Set(Array.from({ length: 50 }, newSecret))
    expect(secrets.size).toBe(50)
    for (const secret of secrets) expect(isLinkSecret(secret)).toBe(true)
    const token = newHostToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(HostTokenSchema.safeParse(token).success).toBe(true)
    expect(newHostToken()).not.toBe(token)
  })
})
