import { describe, expect, it } from 'vitest'
import { fromBase64, fromBase64url, randomBytes, toBase64, toBase64url } from './base64'

describe('base64', () => {
  it('round-trips every length and byte value, in both alphabets', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = randomBytes(length)
      expect(fromBase64(toBase64(bytes))).toEqual(bytes)
      expect(fromBase64url(toBase64url(bytes))).toEqual(bytes)
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(fromBase64(toBase64(all))).toEqual(all)
  })

  it('encodes large arrays (beyond one String.fromCharCode chunk)', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 0xff)
    expect(fromBase64(toBase64(bytes))).toEqual(bytes)
  })

  it('matches the standard encodings', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0x01])
    expect(toBase64(bytes)).toBe('+/+/AQ==')
    expect(toBase64url(bytes)).toBe('-_-_AQ')
  })

  it('refuses text that is not the expected alphabet or shape', () => {
    expect(fromBase64('abc')).toBeNull()
    expect(fromBase64('ab=c')).toBeNull()
    expect(fromBase64('-_-_AQ==')).toBeNull()
    expect(fromBase64('ab c')).toBeNull()
    expect(fromBase64url('+/+/')).toBeNull()
    expect(fromBase64url('AQ==')).toBeNull()
    expect(fromBase64url('A')).toBeNull()
  })
})
