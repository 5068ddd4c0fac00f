/**
 * The interview countdown, worked out the same way on both sides from the host's clock:
 * `startedAt + timeLimitMs - hostNow`. Nothing counts from a local start, so a reload of either
 * page shows the same time. The candidate's page estimates the host's clock from ping/pong.
 */

export const MINUTE_MS = 60_000
/** Warnings: under ten minutes, then under two. */
export const FIRST_WARNING_MS = 10 * MINUTE_MS
export const FINAL_WARNING_MS = 2 * MINUTE_MS
/** What the interviewer is offered when the time is up. */
export const TIME_EXTENSIONS_MINUTES = [5, 10, 15] as const
/** The most one extension may add. */
export const MAX_EXTENSION_MINUTES = 120

export type TimerLevel = 'running' | 'first-warning' | 'final-warning' | 'over'

export interface Countdown {
  /** Time left; negative once over. */
  remainingMs: number
  level: TimerLevel
}

export interface TimedState {
  /** Host clock, ms since the epoch; null before the session goes live. */
  startedAt: number | null
  timeLimitMs: number | null
}

/** The countdown at `hostNow`, or null when the session has no limit or has not started. */
export function countdownAt(state: TimedState, hostNow: number): Countdown | null {
  if (state.startedAt === null || state.timeLimitMs === null) return null
  const remainingMs = state.startedAt + state.timeLimitMs - hostNow
  return { remainingMs, level: levelOf(remainingMs) }
}

export function levelOf(remainingMs: number): TimerLevel {
  if (remainingMs <= 0) return 'over'
  if (remainingMs <= FINAL_WARNING_MS) return 'final-warning'
  if (remainingMs <= FIRST_WARNING_MS) return 'first-warning'
  return 'running'
}

/** What a warning says, visibly and to screen readers; null while no warning applies. */
export function levelMessage(level: TimerLevel): string | null {
  switch (level) {
    case 'first-warning':
      return 'Less than 10 minutes left'
    case 'final-warning':
      return 'Less than 2 minutes left'
    case 'over':
      return 'Time is up'
    case 'running':
      return null
  }
}

/**
 * `m:ss`, or `h:mm:ss` from an hour up. Seconds round up, so the clock reads 0:00 only once the
 * time is really up; past zero it stays at 0:00.
 */
export function clockText(remainingMs: number): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

/** Time gone by, as `m:ss` or `h:mm:ss` in whole seconds (rounded down): session times, overtime. */
export function elapsedText(ms: number): string {
  return clockText(Math.floor(Math.max(0, ms) / 1000) * 1000)
}

/**
 * The new limit after adding `addMs`. Once the time is up, the extra time counts from now: five
 * more minutes means five minutes from the moment the interviewer chose them.
 */
export function extendedLimit(startedAt: number, timeLimitMs: number, hostNow: number, addMs: number): number {
  return Math.max(timeLimitMs, hostNow - startedAt) + addMs
}

/** "1 hour 5 minutes", "42 minutes", "less than a minute". */
export function durationText(ms: number): string {
  const minutes = Math.round(Math.max(0, ms) / MINUTE_MS)
  if (minutes < 1) return 'less than a minute'
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const part = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`
  if (hours === 0) return part(rest, 'minute')
  return rest === 0 ? part(hours, 'hour') : `${part(hours, 'hour')} ${part(rest, 'minute')}`
}

/** One ping/pong round trip, on the candidate's clock except `hostAt`. */
export interface ClockSample {
  sentAt: number
  /** The host's clock when it answered. */
  hostAt: number
  receivedAt: number
}

/** Samples kept: enough to ride out a few slow round trips. */
export const CLOCK_SAMPLES_KEPT = 6

/** Each sample bounds the offset: the host answered between the ping leaving and the pong arriving. */
const lowest = (s: ClockSample): number => s.hostAt - s.receivedAt
const highest = (s: ClockSample): number => s.hostAt - s.sentAt

/**
 * Keeps the newest samples. Older ones whose bounds the new sample rules out are dropped: one of
 * the clocks was set, and only what came after counts. A sample that came back before it was
 * sent is ignored.
 */
export function keepSample(samples: readonly ClockSample[], sample: ClockSample): ClockSample[] {
  if (sample.receivedAt < sample.sentAt) return [...samples]
  const consistent = samples.filter((s) => lowest(s) <= highest(sample) && lowest(sample) <= highest(s))
  return [...consistent, sample].slice(-CLOCK_SAMPLES_KEPT)
}

/**
 * How far the host's clock is ahead of this one (add it to the local clock to get the host's).
 * The host answered about half a round trip after the ping left; the sample with the shortest
 * round trip bounds that guess best, as in NTP's clock filter. Null before any sample.
 */
export function clockOffset(samples: readonly ClockSample[]): number | null {
  let best: ClockSample | null = null
  for (const sample of samples) {
    if (!best || sample.receivedAt - sample.sentAt < best.receivedAt - best.sentAt) best = sample
  }
  return best === null ? null : best.hostAt - (best.sentAt + best.receivedAt) / 2
}
