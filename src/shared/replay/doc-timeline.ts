import { fromBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import type { Recording } from '../session'
import { problemTextName } from '../sync/doc'

/** One stored Yjs update, in the order it was stored. */
interface Step {
  /** When it happened; never earlier than the step before (see `stepsOf`). */
  tMs: number
  update: Uint8Array
}

/** A stored full state: the document once the first `steps` steps are applied. */
interface Snapshot {
  steps: number
  state: string
  decoded: Uint8Array | null
}

/** The document at one step: the problems' texts. */
export interface DocState {
  /** How many stored updates the state includes; equal counts mean equal texts. */
  steps: number
  /** One per problem, by index. */
  texts: readonly string[]
}

/**
 * The stored Yjs updates in stored order. A clock stepped back while recording could stamp an
 * update earlier than the one before it; it is kept in its place, stamped like its predecessor,
 * so that "everything up to a moment" is always a prefix of the log.
 */
function stepsOf(recording: Recording): { steps: Step[]; ids: number[] } {
  const steps: Step[] = []
  const ids: number[] = []
  let latest = 0
  const events = [...recording.events].sort((a, b) => a.id - b.id)
  for (const event of events) {
    if (event.kind !== 'yjs' || event.data === '') continue
    latest = Math.max(latest, event.tMs)
    steps.push({ tMs: latest, update: fromBase64(event.data) })
    ids.push(event.id)
  }
  return { steps, ids }
}

/** How many of the `values`, sorted by what `read` gives for each index, give at most `limit`. */
function countAtMost<T>(values: readonly T[], limit: number, read: (i: number) => number): number {
  let low = 0
  let high = values.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (read(mid) <= limit) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * A session's document at any moment of its recording: the state at time `t` is every Yjs update
 * stamped at or before `t` (all updates of one millisecond together). It starts from the newest
 * snapshot that the state includes and applies the updates stored after it; moving forward with no
 * snapshot in between reuses the document it has, so playback applies only the new updates.
 */
export class DocTimeline {
  readonly #steps: Step[]
  readonly #snapshots: Snapshot[]
  readonly #problemCount: number
  #doc: Y.Doc | null = null
  /** The snapshot `#doc` started from, null for none. */
  #base: Snapshot | null = null
  /** How many steps `#doc` holds. */
  #at = 0
  #state: DocState | null = null

  constructor(recording: Recording, problemCount: number) {
    const { steps, ids } = stepsOf(recording)
    this.#steps = steps
    this.#problemCount = problemCount
    // A snapshot holds every update stored up to its last event, whatever the updates' times.
    this.#snapshots = recording.snapshots
      .map((s) => ({ steps: countAtMost(ids, s.lastEventId, (i) => ids[i] ?? 0), state: s.state, decoded: null }))
      .sort((a, b) => a.steps - b.steps)
  }

  /** When the last stored update happened, or 0 with none. */
  get lastUpdateMs(): number {
    return this.#steps.at(-1)?.tMs ?? 0
  }

  /** How many updates happened at or before `tMs`. */
  stepsAt(tMs: number): number {
    return countAtMost(this.#steps, tMs, (i) => this.#steps[i]?.tMs ?? 0)
  }

  /** The problems' texts at `tMs` ms since the session started. */
  at(tMs: number): DocState {
    return this.atStep(this.stepsAt(tMs))
  }

  /** The problems' texts once the first `steps` stored updates are applied. */
  atStep(steps: number): DocState {
    const target = Math.max(0, Math.min(this.#steps.length, Math.floor(steps)))
    if (this.#state?.steps === target && this.#doc) return this.#state
    const base = this.#snapshotFor(target)
    // Behind the target and started from the same snapshot: carry on from here. Otherwise start
    // again from that snapshot, so every path to a moment gives the same document.
    if (!this.#doc || this.#at > target || this.#base !== base) this.#restart(base)
    const doc = this.#doc
    if (!doc) throw new Error('the replay document was not created')
    if (this.#at < target) {
      doc.transact(() => {
        for (let i = this.#at; i < target; i++) {
          const step = this.#steps[i]
          if (step) Y.applyUpdate(doc, step.update)
        }
      })
      this.#at = target
    }
    this.#state = {
      steps: target,
      texts: Array.from({ length: this.#problemCount }, (_, i) => doc.getText(problemTextName(i)).toString()),
    }
    return this.#state
  }

  /** Frees the document; the timeline can still be used, it starts again from a snapshot. */
  dispose(): void {
    this.#doc?.destroy()
    this.#doc = null
    this.#base = null
    this.#state = null
    this.#at = 0
  }

  #snapshotFor(target: number): Snapshot | null {
    const index = countAtMost(this.#snapshots, target, (i) => this.#snapshots[i]?.steps ?? 0) - 1
    return this.#snapshots[index] ?? null
  }

  #restart(base: Snapshot | null): void {
    this.#doc?.destroy()
    const doc = new Y.Doc()
    if (base) {
      base.decoded ??= fromBase64(base.state)
      Y.applyUpdate(doc, base.decoded)
    }
    this.#doc = doc
    this.#base = base
    this.#at = base?.steps ?? 0
  }
}
