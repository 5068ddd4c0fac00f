import { describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from './base64'
import { deriveLinkKeys, newSecret } from './keys'
import { open, openEnvelope, ReplayGuard, seal, sealLabel, SEAL_OVERHEAD_BYTES } from './sealed'

const keys = await deriveLinkKeys(newSecret())
const label = sealLabel('relay', 'host')

function flipByte(blob: string, index: number): string {
  const bytes = fromBase64(blob) as Uint8Array
  bytes[index] = (bytes[index] ?? 0) ^ 1
  return toBase64(bytes)
}

describe('sealed blobs', () => {
  it('round-trips a JSON value as padded standard base64 of IV, ciphertext and tag', async () => {
    const value = { type: 'sync', data: 'AAEC', nested: [1, 'two', null] }
    const blob = await seal(keys.relay, label, value)
    expect(blob).toMatch(/^[A-Za-z0-9+/]*={0,2}$/)
    expect(blob.length % 4).toBe(0)
    expect(fromBase64(blob)?.length).toBe(JSON.stringify(value).length + SEAL_OVERHEAD_BYTES)
    expect(await open(keys.relay, label, blob)).toEqual({ ok: true, value })
  })

  it('uses a fresh IV every time', async () => {
    const a = await seal(keys.relay, label, 'same')
    const b = await seal(keys.relay, label, 'same')
    expect(a).not.toBe(b)
    expect(a.slice(0, 16)).not.toBe(b.slice(0, 16))
  })

  it('names purpose and direction in the additional data', () => {
    expect(sealLabel('signal', 'host')).toBe('duet/1 signal:host→guest')
    expect(sealLabel('relay', 'guest')).toBe('duet/1 relay:guest→host')
  })

  it('refuses a blob opened for the other direction or the other purpose', async () => {
    const blob = await seal(keys.relay, sealLabel('relay', 'host'), 'to the guest')
    expect(await open(keys.relay, sealLabel('relay', 'guest'), blob)).toEqual({ ok: false, failure: 'unauthentic' })
    expect(await open(keys.relay, sealLabel('signal', 'host'), blob)).toEqual({ ok: false, failure: 'unauthentic' })
  })

  it('refuses any altered byte: IV, ciphertext or tag', async () => {
    const blob = await seal(keys.relay, label, { n: 1 })
    const length = (fromBase64(blob) as Uint8Array).length
    for (const index of [0, 11, 12, length - 17, length - 1]) {
      expect(await open(keys.relay, label, flipByte(blob, index))).toEqual({ ok: false, failure: 'unauthentic' })
    }
  })

  it('refuses what is not a blob, never throwing', async () => {
    expect(await open(keys.relay, label, 'not base64!')).toEqual({ ok: false, failure: 'malformed' })
    expect(await open(keys.relay, label, 'AAAA')).toEqual({ ok: false, failure: 'malformed' })
    expect(await open(keys.relay, label, '')).toEqual({ ok: false, failure: 'malformed' })
  })

  it('reports authentic plaintext that is not JSON', async () => {
    const iv = new Uint8Array(12)
    const data = new TextEncoder().encode('not json {')
    const additionalData = new TextEncoder().encode(label)
    const ciphertext = await keys.relay.encrypt(iv, data, additionalData)
    const blob = toBase64(new Uint8Array([...iv, ...ciphertext]))
    expect(await open(keys.relay, label, blob)).toEqual({ ok: false, failure: 'not-json' })
  })

  it('opens envelopes and refuses values that are not one', async () => {
    const envelope = { sid: 'a.b', seq: 3, body: { k: 1 } }
    expect(await openEnvelope(keys.relay, label, await seal(keys.relay, label, envelope))).toEqual({
      ok: true,
      envelope,
    })
    for (const bad of [{ sid: 'a.b', body: 1 }, { sid: 1, seq: 1 }, { sid: 'a', seq: -1 }, 'text']) {
      expect(await openEnvelope(keys.relay, label, await seal(keys.relay, label, bad))).toEqual({
        ok: false,
        failure: 'malformed',
      })
    }
  })
})

describe('replay guard', () => {
  it('accepts increasing numbers of its session once each', () => {
    const guard = new ReplayGuard('s1')
    expect(guard.accept({ sid: 's1', seq: 1, body: null })).toBe(true)
    expect(guard.accept({ sid: 's1', seq: 2, body: null })).toBe(true)
    expect(guard.accept({ sid: 's1', seq: 2, body: null })).toBe(false)
    expect(guard.accept({ sid: 's1', seq: 1, body: null })).toBe(false)
    expect(guard.accept({ sid: 's1', seq: 5, body: null })).toBe(true)
    expect(guard.accept({ sid: 's1', seq: 4, body: null })).toBe(false)
  })

  it('refuses number 0, other sessions, and does not move on a refusal', () => {
    const guard = new ReplayGuard('s1')
    expect(guard.accept({ sid: 's1', seq: 0, body: null })).toBe(false)
    expect(guard.accept({ sid: 'old', seq: 100, body: null })).toBe(false)
    expect(guard.accept({ sid: 's1', seq: 1, body: null })).toBe(true)
  })
})
