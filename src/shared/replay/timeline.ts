import type { Note } from '../notes'
import type { StoredRun } from '../run-record'
import type { Recording } from '../session'
import { DocTimeline, type DocState } from './doc-timeline'
import { replayMarkers, type ReplayMarker } from './markers'
import { idleGaps, PlaybackClock, type IdleGap } from './playback-clock'
import { ProblemTrack } from './problem-track'

export interface ReplaySources {
  recording: Recording
  /** How many problems the session has: one text each. */
  problemCount: number
  notes?: readonly Note[]
  runs?: readonly StoredRun[]
}

/** What the replay shows at one moment. */
export interface ReplayFrame extends DocState {
  tMs: number
  /** The problem the session was on. */
  problem: number
}

/**
 * Everything a replay needs from one session: its length, markers and idle gaps, and the
 * editor's texts and current problem at any moment, rebuilt from the recorded updates and
 * snapshots. Frames are exact: the texts are the document after every update stamped at or
 * before the moment.
 */
export class ReplayTimeline {
  readonly durationMs: number
  readonly problemCount: number
  readonly markers: readonly ReplayMarker[]
  readonly idleGaps: readonly IdleGap[]
  readonly clock: PlaybackClock
  /** Nothing was recorded: the session never started, or its recording was lost. */
  readonly isEmpty: boolean
  readonly #doc: DocTimeline
  readonly #problems: ProblemTrack

  constructor({ recording, problemCount, notes = [], runs = [] }: ReplaySources) {
    this.problemCount = problemCount
    this.#doc = new DocTimeline(recording, problemCount)
    this.#problems = new ProblemTrack(recording)
    this.markers = replayMarkers({ recording, notes, runs })
    const moments = [
      ...recording.events.map((e) => e.tMs),
      ...notes.map((n) => n.tMs),
      ...runs.map((r) => r.tMs),
      this.#doc.lastUpdateMs,
    ]
    this.durationMs = moments.reduce((latest, t) => Math.max(latest, t), 0)
    this.idleGaps = idleGaps(moments, this.durationMs)
    this.clock = new PlaybackClock(this.idleGaps, this.durationMs)
    this.isEmpty = recording.events.length === 0 && recording.snapshots.length === 0
  }

  /** The moment `tMs`, clamped to the session. */
  frameAt(tMs: number): ReplayFrame {
    const at = Math.max(0, Math.min(this.durationMs, tMs))
    return { tMs: at, problem: this.#problems.at(at), ...this.#doc.at(at) }
  }

  /** The current problem at `tMs`. */
  problemAt(tMs: number): number {
    return this.#problems.at(tMs)
  }

  /** Frees the replay document; the timeline rebuilds it on the next frame. */
  dispose(): void {
    this.#doc.dispose()
  }
}
