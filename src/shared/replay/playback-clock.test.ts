import { describe, expect, it } from 'vitest'
import { idleGaps, PlaybackClock, SKIPPED_GAP_PLAY_MS } from './playback-clock'

describe('idle gaps', () => {
  it('are the stretches of more than 5 s with nothing recorded, up to the end', () => {
    expect(idleGaps([3000, 3000, 8000, 8001, 14_001, 19_001], 30_000)).toEqual([
      { startMs: 8001, endMs: 14_001 },
      { startMs: 19_001, endMs: 30_000 },
    ])
    expect(idleGaps([], 5000)).toEqual([])
    expect(idleGaps([], 5001)).toEqual([{ startMs: 0, endMs: 5001 }])
  })
})

describe('the playback clock', () => {
  const gaps = [
    { startMs: 10_000, endMs: 20_000 },
    { startMs: 30_000, endMs: 90_000 },
  ]
  const clock = new PlaybackClock(gaps, 100_000)

  it('plays session time as it is when idle gaps are not skipped', () => {
    expect(clock.playDuration(false)).toBe(100_000)
    expect(clock.toPlay(42_000, false)).toBe(42_000)
    expect(clock.toSession(42_000, false)).toBe(42_000)
  })

  it('shortens each skipped gap to a moment and crosses it evenly', () => {
    const skipped = 10_000 - SKIPPED_GAP_PLAY_MS + (60_000 - SKIPPED_GAP_PLAY_MS)
    expect(clock.playDuration(true)).toBe(100_000 - skipped)
    expect(clock.toPlay(5000, true)).toBe(5000)
    expect(clock.toPlay(10_000, true)).toBe(10_000)
    expect(clock.toPlay(15_000, true)).toBe(10_000 + SKIPPED_GAP_PLAY_MS / 2)
    expect(clock.toPlay(20_000, true)).toBe(10_000 + SKIPPED_GAP_PLAY_MS)
    expect(clock.toPlay(25_000, true)).toBe(15_000 + SKIPPED_GAP_PLAY_MS)
    expect(clock.toPlay(95_000, true)).toBe(95_000 - skipped)
  })

  it('maps play time back to the same session time', () => {
    for (let t = 0; t <= 100_000; t += 250) {
      expect(clock.toSession(clock.toPlay(t, true), true)).toBeCloseTo(t, 6)
    }
    let previous = -1
    for (let p = 0; p <= clock.playDuration(true); p += 10) {
      const t = clock.toSession(p, true)
      expect(t).toBeGreaterThan(previous)
      previous = t
    }
  })
})
