import type { Recording } from '../session'
import { eventJson, ProblemChangeDataSchema } from './event-data'

interface Change {
  tMs: number
  to: number
}

/**
 * Which problem the session was on at any moment: the one the last `problem` event moved it to,
 * or, before the first, the one that event moved it from (sessions start on the first problem).
 */
export class ProblemTrack {
  readonly #changes: Change[]
  readonly #initial: number

  constructor(recording: Recording) {
    const events = recording.events.filter((e) => e.kind === 'problem').sort((a, b) => a.tMs - b.tMs || a.id - b.id)
    this.#changes = []
    let initial: number | null = null
    for (const event of events) {
      const change = eventJson(event, ProblemChangeDataSchema)
      const to = change?.to ?? event.problem
      if (to === null) continue
      initial ??= change?.from ?? 0
      this.#changes.push({ tMs: event.tMs, to })
    }
    this.#initial = initial ?? 0
  }

  /** The current problem at `tMs`; a change at exactly `tMs` has happened. */
  at(tMs: number): number {
    let low = 0
    let high = this.#changes.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.#changes[mid]?.tMs ?? 0) <= tMs) low = mid + 1
      else high = mid
    }
    return low === 0 ? this.#initial : (this.#changes[low - 1]?.to ?? this.#initial)
  }
}
