import { describe, expect, it } from 'vitest'
import {
  BlobSchema,
  ClientFrameSchema,
  JoinKeyHashSchema,
  MAX_BLOB_CHARS,
  MAX_FRAME_BYTES,
  RoomIdSchema,
  ServerFrameSchema,
  SIGNALING_ERROR_MESSAGES,
  SignalingErrorCodeSchema,
} from './protocol'

describe('signaling protocol', () => {
  it('takes room ids of exactly 128 bits in base64url', () => {
    expect(RoomIdSchema.safeParse('AAAAAAAAAAAAAAAAAAAA-_').success).toBe(true)
    expect(RoomIdSchema.safeParse('AAAAAAAAAAAAAAAAAAAAA').success).toBe(false)
    expect(RoomIdSchema.safeParse('AAAAAAAAAAAAAAAAAAAA+/').success).toBe(false)
    expect(JoinKeyHashSchema.safeParse('A'.repeat(43)).success).toBe(true)
    expect(JoinKeyHashSchema.safeParse('A'.repeat(44)).success).toBe(false)
  })

  it('takes blobs of padded base64 up to the limit, which leaves room for the envelope', () => {
    expect(BlobSchema.safeParse('aGk=').success).toBe(true)
    expect(BlobSchema.safeParse('aGk').success).toBe(false)
    expect(BlobSchema.safeParse('a-_k').success).toBe(false)
    expect(BlobSchema.safeParse('A'.repeat(MAX_BLOB_CHARS)).success).toBe(true)
    expect(BlobSchema.safeParse('A'.repeat(MAX_BLOB_CHARS + 4)).success).toBe(false)
    const fullest = JSON.stringify({ type: 'relay', data: 'A'.repeat(MAX_BLOB_CHARS), seq: Number.MAX_SAFE_INTEGER })
    expect(fullest.length).toBeLessThanOrEqual(MAX_FRAME_BYTES)
  })

  it('strips fields it does not know, so they are never forwarded', () => {
    const parsed = ClientFrameSchema.parse({ type: 'signal', data: 'aGk=', note: 'x' })
    expect(parsed).toEqual({ type: 'signal', data: 'aGk=' })
    expect(ServerFrameSchema.parse({ type: 'peer.left', role: 'host', extra: 1 })).toEqual({
      type: 'peer.left',
      role: 'host',
    })
  })

  it('has a message for every error code', () => {
    for (const code of SignalingErrorCodeSchema.options) expect(SIGNALING_ERROR_MESSAGES[code]).toMatch(/\.$/)
  })
})
