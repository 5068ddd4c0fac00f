import { describe, expect, it } from 'vitest'
import {
  CLOCK_SAMPLES_KEPT,
  clockOffset,
  clockText,
  countdownAt,
  durationText,
  elapsedText,
  extendedLimit,
  keepSample,
  levelMessage,
  levelOf,
  type ClockSample,
} from './timer'

const MIN = 60_000
const START = 1_700_000_000_000

describe('the countdown', () => {
  it('counts down from the host’s start and limit, whatever the moment it is asked', () => {
    const state = { startedAt: START, timeLimitMs: 45 * MIN }
    expect(countdownAt(state, START)).toEqual({ remainingMs: 45 * MIN, level: 'running' })
    expect(countdownAt(state, START + 30 * MIN)).toEqual({ remainingMs: 15 * MIN, level: 'running' })
    expect(countdownAt(state, START + 50 * MIN)).toEqual({ remainingMs: -5 * MIN, level: 'over' })
  })

  it('has nothing to count without a limit or before the session starts', () => {
    expect(countdownAt({ startedAt: START, timeLimitMs: null }, START)).toBeNull()
    expect(countdownAt({ startedAt: null, timeLimitMs: 30 * MIN }, START)).toBeNull()
  })

  it('warns under ten minutes and under two, and is over at zero', () => {
    expect(levelOf(10 * MIN + 1)).toBe('running')
    expect(levelOf(10 * MIN)).toBe('first-warning')
    expect(levelOf(2 * MIN + 1)).toBe('first-warning')
    expect(levelOf(2 * MIN)).toBe('final-warning')
    expect(levelOf(1)).toBe('final-warning')
    expect(levelOf(0)).toBe('over')
    expect(levelOf(-1)).toBe('over')
    expect(levelMessage('running')).toBeNull()
    expect(levelMessage('first-warning')).toBe('Less than 10 minutes left')
    expect(levelMessage('final-warning')).toBe('Less than 2 minutes left')
    expect(levelMessage('over')).toBe('Time is up')
  })

  it('reads m:ss or h:mm:ss, rounding up so 0:00 means the time is up', () => {
    expect(clockText(45 * MIN)).toBe('45:00')
    expect(clockText(9 * MIN + 59_001)).toBe('10:00')
    expect(clockText(61_000)).toBe('1:01')
    expect(clockText(1)).toBe('0:01')
    expect(clockText(0)).toBe('0:00')
    expect(clockText(-90_000)).toBe('0:00')
    expect(clockText(90 * MIN)).toBe('1:30:00')
    expect(clockText(60 * MIN + 5_000)).toBe('1:00:05')
    expect(elapsedText(83_700)).toBe('1:23')
    expect(elapsedText(3_600_999)).toBe('1:00:00')
    expect(elapsedText(-5_000)).toBe('0:00')
  })
})

describe('extending the time', () => {
  it('adds to the limit while there is time left', () => {
    expect(extendedLimit(START, 30 * MIN, START + 25 * MIN, 5 * MIN)).toBe(35 * MIN)
  })

  it('counts from now once the time is up', () => {
    expect(extendedLimit(START, 30 * MIN, START + 33 * MIN, 5 * MIN)).toBe(38 * MIN)
  })
})

describe('the duration', () => {
  it.each([
    [0, 'less than a minute'],
    [29_000, 'less than a minute'],
    [31_000, '1 minute'],
    [42 * MIN, '42 minutes'],
    [60 * MIN, '1 hour'],
    [65 * MIN, '1 hour 5 minutes'],
    [121 * MIN, '2 hours 1 minute'],
  ])('of %i ms reads %j', (ms, text) => {
    expect(durationText(ms)).toBe(text)
  })
})

describe('the host clock offset', () => {
  const sample = (sentAt: number, hostAt: number, receivedAt: number): ClockSample => ({ sentAt, hostAt, receivedAt })

  it('is unknown before a round trip', () => {
    expect(clockOffset([])).toBeNull()
  })

  it('takes the host’s answer as half a round trip after the ping', () => {
    // The host's clock is 5 s ahead; the ping takes 40 ms each way.
    expect(clockOffset([sample(1000, 6040, 1080)])).toBe(5000)
    // Same clocks, a 1 ms round trip.
    expect(clockOffset([sample(1000, 1000, 1001)])).toBe(-0.5)
  })

  it('trusts the sample with the shortest round trip', () => {
    // A queued answer (long way back) would put the host 400 ms too far behind.
    const slow = sample(0, 5010, 820)
    const fast = sample(2000, 7010, 2020)
    expect(clockOffset([slow, fast])).toBe(5000)
    expect(clockOffset([fast, slow])).toBe(5000)
  })

  it('keeps only the newest samples', () => {
    let samples: ClockSample[] = []
    for (let i = 0; i < CLOCK_SAMPLES_KEPT + 3; i++) {
      samples = keepSample(samples, sample(i * 1000, i * 1000 + 10 + i, i * 1000 + 20))
    }
    expect(samples).toHaveLength(CLOCK_SAMPLES_KEPT)
    expect(samples[0]?.sentAt).toBe(3000)
  })

  it('follows a clock that was set at the next answer, dropping the samples it rules out', () => {
    const before = [sample(0, 5, 10), sample(1000, 1004, 1008)]
    expect(clockOffset(before)).toBe(0)
    // The host's clock jumped 31 minutes; the new round trip is slower than the old best.
    const after = keepSample(before, sample(2000, 2000 + 31 * MIN + 15, 2030))
    expect(after).toHaveLength(1)
    expect(clockOffset(after)).toBe(31 * MIN)
  })

  it('ignores a sample that came back before it left', () => {
    expect(keepSample([], sample(100, 50, 90))).toEqual([])
  })
})
