import { describe, expect, it } from 'vitest'
import { TokenBucket } from './rate-limit'

describe('TokenBucket', () => {
  it('allows the burst at once, then refills at the rate, never beyond the burst', () => {
    const bucket = new TokenBucket(10, 5, 0)
    expect(Array.from({ length: 6 }, () => bucket.take(1, 0))).toEqual([true, true, true, true, true, false])
    expect(bucket.take(1, 99)).toBe(false)
    expect(bucket.take(1, 100)).toBe(true)
    expect(bucket.take(1, 100)).toBe(false)
    const full = Array.from({ length: 8 }, () => bucket.take(1, 60_000))
    expect(full.filter(Boolean)).toHaveLength(5)
  })

  it('takes nothing when a cost does not fit', () => {
    const bucket = new TokenBucket(1000, 1000, 0)
    expect(bucket.take(600, 0)).toBe(true)
    expect(bucket.take(600, 0)).toBe(false)
    expect(bucket.take(400, 0)).toBe(true)
  })

  it('does not refill when the clock goes backwards', () => {
    const bucket = new TokenBucket(10, 1, 1000)
    expect(bucket.take(1, 1000)).toBe(true)
    expect(bucket.take(1, 0)).toBe(false)
  })
})
