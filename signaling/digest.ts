import { createHash, timingSafeEqual } from 'node:crypto'

/** SHA-256 of a token or key as it arrives; the server keeps only these. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

export function fromBase64url(value: string): Buffer {
  return Buffer.from(value, 'base64url')
}

/** Compares two digests in constant time, so response timing says nothing about a near miss. */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
