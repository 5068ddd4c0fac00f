import { afterEach, describe, expect, it, vi } from 'vitest'
import { defaultCryptoBackend, nobleBackend, webCryptoBackend, type CryptoBackend } from './crypto-backend'

const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (byte) => parseInt(byte, 16))
const utf8 = (text: string) => new TextEncoder().encode(text)

// Published test vectors: RFC 5869 case 1, RFC 4231 case 2, and the GCM specification's test case 16.
const HKDF = {
  ikm: hex('0b'.repeat(22)),
  salt: hex('000102030405060708090a0b0c'),
  info: hex('f0f1f2f3f4f5f6f7f8f9'),
  okm: hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'),
}
const HMAC = {
  key: utf8('Jefe'),
  data: utf8('what do ya want for nothing?'),
  mac: hex('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'),
}
const GCM = {
  key: hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
  iv: hex('cafebabefacedbaddecaf888'),
  ad: hex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
  plaintext: hex(
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  ),
  sealed: hex(
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
      '76fc6ece0f4e1768cddf8853bb2d551b',
  ),
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe.each([webCryptoBackend, nobleBackend])('$name backend', (backend: CryptoBackend) => {
  it('computes HKDF-SHA-256 and SHA-256 as published', async () => {
    expect(await backend.hkdf(HKDF.ikm, HKDF.salt, HKDF.info, 42)).toEqual(HKDF.okm)
    expect(await backend.sha256(utf8('abc'))).toEqual(
      hex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
    )
  })

  it('computes and checks HMAC-SHA-256 as published', async () => {
    const key = await backend.macKey(HMAC.key)
    expect(await key.sign(HMAC.data)).toEqual(HMAC.mac)
    expect(await key.verify(HMAC.mac, HMAC.data)).toBe(true)
    const wrong = HMAC.mac.slice()
    wrong[31] = (wrong[31] ?? 0) ^ 1
    expect(await key.verify(wrong, HMAC.data)).toBe(false)
    expect(await key.verify(HMAC.mac.slice(0, 16), HMAC.data)).toBe(false)
  })

  it('seals and opens AES-256-GCM as published, refusing any change', async () => {
    const key = await backend.aeadKey(GCM.key)
    expect(await key.encrypt(GCM.iv, GCM.plaintext, GCM.ad)).toEqual(GCM.sealed)
    expect(await key.decrypt(GCM.iv, GCM.sealed, GCM.ad)).toEqual(GCM.plaintext)
    const altered = GCM.sealed.slice()
    altered[5] = (altered[5] ?? 0) ^ 0x80
    expect(await key.decrypt(GCM.iv, altered, GCM.ad)).toBeNull()
    expect(await key.decrypt(GCM.iv, GCM.sealed, utf8('other'))).toBeNull()
    expect(await key.decrypt(GCM.iv, GCM.sealed.slice(0, 10), GCM.ad)).toBeNull()
  })
})

describe('backend choice', () => {
  it('uses WebCrypto where crypto.subtle exists, and pure JavaScript where it does not (http:// on a LAN)', () => {
    expect(defaultCryptoBackend()).toBe(webCryptoBackend)
    const real = crypto
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) })
    expect(defaultCryptoBackend()).toBe(nobleBackend)
  })
})
