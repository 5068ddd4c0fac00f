/** Nothing recorded for longer than this is an idle gap, which playback can skip. */
export const IDLE_GAP_MS = 5000
/** How long a skipped gap still plays, in session ms at 1×: enough to see the playhead jump. */
export const SKIPPED_GAP_PLAY_MS = 500

export interface IdleGap {
  startMs: number
  endMs: number
}

/** The stretches longer than `IDLE_GAP_MS` between the given moments (any order) and the session's ends. */
export function idleGaps(moments: Iterable<number>, durationMs: number): IdleGap[] {
  const sorted = [...new Set([0, ...moments, durationMs])].filter((t) => t >= 0 && t <= durationMs)
  sorted.sort((a, b) => a - b)
  const gaps: IdleGap[] = []
  for (let i = 1; i < sorted.length; i++) {
    const startMs = sorted[i - 1] ?? 0
    const endMs = sorted[i] ?? 0
    if (endMs - startMs > IDLE_GAP_MS) gaps.push({ startMs, endMs })
  }
  return gaps
}

/**
 * Maps session time to play time and back. Played in full, they are the same; with idle gaps
 * skipped, each gap lasts `SKIPPED_GAP_PLAY_MS` of play time, the playhead crossing it evenly.
 * A player advances play time by the wall time that passed times its speed.
 */
export class PlaybackClock {
  readonly #gaps: readonly IdleGap[]
  /** Play time at each gap's start. */
  readonly #playAtGap: number[]
  readonly #durationMs: number

  constructor(gaps: readonly IdleGap[], durationMs: number) {
    this.#gaps = [...gaps].sort((a, b) => a.startMs - b.startMs)
    this.#durationMs = durationMs
    let removed = 0
    this.#playAtGap = this.#gaps.map((gap) => {
      const at = gap.startMs - removed
      removed += gap.endMs - gap.startMs - SKIPPED_GAP_PLAY_MS
      return at
    })
  }

  /** How long the whole session plays. */
  playDuration(skipIdle: boolean): number {
    return this.toPlay(this.#durationMs, skipIdle)
  }

  toPlay(sessionMs: number, skipIdle: boolean): number {
    if (!skipIdle) return sessionMs
    const index = this.#lastIndex((gap) => gap.startMs <= sessionMs)
    const gap = this.#gaps[index]
    const playAt = this.#playAtGap[index]
    if (!gap || playAt === undefined) return sessionMs
    if (sessionMs >= gap.endMs) return playAt + SKIPPED_GAP_PLAY_MS + (sessionMs - gap.endMs)
    return playAt + ((sessionMs - gap.startMs) * SKIPPED_GAP_PLAY_MS) / (gap.endMs - gap.startMs)
  }

  toSession(playMs: number, skipIdle: boolean): number {
    if (!skipIdle) return playMs
    const index = this.#lastIndex((_, i) => (this.#playAtGap[i] ?? 0) <= playMs)
    const gap = this.#gaps[index]
    const playAt = this.#playAtGap[index]
    if (!gap || playAt === undefined) return playMs
    const into = playMs - playAt
    if (into >= SKIPPED_GAP_PLAY_MS) return gap.endMs + (into - SKIPPED_GAP_PLAY_MS)
    return gap.startMs + (into * (gap.endMs - gap.startMs)) / SKIPPED_GAP_PLAY_MS
  }

  /** The last gap for which `test` holds; tests hold for a prefix of the gaps. */
  #lastIndex(test: (gap: IdleGap, index: number) => boolean): number {
    let low = 0
    let high = this.#gaps.length
    while (low < high) {
      const mid = (low + high) >>> 1
      const gap = this.#gaps[mid]
      if (gap && test(gap, mid)) low = mid + 1
      else high = mid
    }
    return low - 1
  }
}
