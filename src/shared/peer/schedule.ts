/** Cancels what a `Schedule` call set up; calling it again does nothing. */
export type Cancel = () => void

/** Runs `task` once after `ms`; injectable so tests can drive time. */
export type Schedule = (task: () => void, ms: number) => Cancel

export const realSchedule: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms)
  return () => clearTimeout(timer)
}

export interface Backoff {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = { baseMs: 250, maxMs: 10_000 }

/**
 * Delay before retry number `attempt` (0 first): doubling up to `maxMs`, then a random point in
 * the upper half, so clients that lost the same server do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30))
  return ceiling / 2 + (random() * ceiling) / 2
}
