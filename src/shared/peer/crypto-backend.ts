import { gcm } from '@noble/ciphers/aes.js'
import { equalBytes } from '@noble/ciphers/utils.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'

type Bytes = Uint8Array<ArrayBuffer>

/** AES-256-GCM under one key. */
export interface AeadKey {
  encrypt(iv: Bytes, plaintext: Bytes, additionalData: Bytes): Promise<Bytes>
  /** Null when the ciphertext or its additional data was altered, or another key sealed it. */
  decrypt(iv: Bytes, ciphertext: Bytes, additionalData: Bytes): Promise<Bytes | null>
}

/** HMAC-SHA-256 under one key. */
export interface MacKey {
  sign(data: Bytes): Promise<Bytes>
  /** Constant-time. */
  verify(mac: Bytes, data: Bytes): Promise<boolean>
}

/**
 * The primitives the link uses. Both backends compute the same values (standard algorithms), so a
 * page on one talks to an app on the other.
 */
export interface CryptoBackend {
  readonly name: 'webcrypto' | 'noble'
  /** HKDF-SHA-256. */
  hkdf(ikm: Bytes, salt: Bytes, info: Bytes, length: number): Promise<Bytes>
  sha256(data: Bytes): Promise<Bytes>
  aeadKey(raw: Bytes): Promise<AeadKey>
  macKey(raw: Bytes): Promise<MacKey>
}

/** WebCrypto: keys live as non-extractable CryptoKeys. Only in secure contexts (HTTPS, localhost, the app). */
export const webCryptoBackend: CryptoBackend = {
  name: 'webcrypto',
  async hkdf(ikm, salt, info, length) {
    const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits'])
    return new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8),
    )
  },
  async sha256(data) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', data))
  },
  async aeadKey(raw) {
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
    return {
      async encrypt(iv, plaintext, additionalData) {
        return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plaintext))
      },
      async decrypt(iv, ciphertext, additionalData) {
        try {
          return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, ciphertext))
        } catch {
          return null
        }
      },
    }
  },
  async macKey(raw) {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    return {
      sign: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', key, data)),
      verify: (mac, data) => crypto.subtle.verify('HMAC', key, mac, data),
    }
  },
}

/** Audited pure JavaScript, for pages where `crypto.subtle` is missing: a candidate on `http://` with a LAN address. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  hkdf: async (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
  sha256: async (data) => sha256(data),
  async aeadKey(raw) {
    return {
      encrypt: async (iv, plaintext, additionalData) => gcm(raw, iv, additionalData).encrypt(plaintext),
      async decrypt(iv, ciphertext, additionalData) {
        try {
          return gcm(raw, iv, additionalData).decrypt(ciphertext)
        } catch {
          return null
        }
      },
    }
  },
  async macKey(raw) {
    return {
      sign: async (data) => hmac(sha256, raw, data),
      verify: async (mac, data) => equalBytes(mac, hmac(sha256, raw, data)),
    }
  },
}

/** WebCrypto where the page has it, the pure JavaScript backend where it does not. */
export function defaultCryptoBackend(): CryptoBackend {
  const { subtle } = crypto as { subtle?: unknown }
  return subtle === undefined ? nobleBackend : webCryptoBackend
}
