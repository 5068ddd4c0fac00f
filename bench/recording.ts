import { performance } from 'node:perf_hooks'
import { ReplayTimeline } from '../src/shared/replay/timeline'
import type { Benchmark } from './benchmark'
import { createBenchSession, recordSyntheticSession, SESSION_PROBLEMS, startBenchHost } from './recording-session'

const RECORDINGS = 3
const APPEND_RUNS = 5
const WARM_UP_SEEKS = 20
const MEASURED_SEEKS = 300

/** A small seeded generator, so every run seeks to the same moments. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 48271) + 1) >>> 0
    return state / 4294967296
  }
}

/**
 * The synthetic 60-minute session (bench/recording-session.ts) recorded through the real recorder
 * and the host's `recording.append` into a real SQLite file. The figure is how much the database
 * file grew: its size after a TRUNCATE checkpoint once the recorder stopped, minus its size after
 * the same checkpoint once the session was created. That is every timeline row (Yjs updates,
 * events, run marks), every snapshot and their index entries, in whole 4 KB pages.
 */
export const recordingKBPerHour: Benchmark = {
  key: 'recordingKBPerHour',
  title: 'database growth for a 60-minute session of steady typing',
  target: 2048,
  unit: 'KB',
  async run() {
    const samples: number[] = []
    for (let i = 0; i < RECORDINGS; i++) {
      const session = await recordSyntheticSession()
      samples.push(session.growthBytes / 1024)
      session.dispose()
    }
    return samples
  },
}

/**
 * Events per second through the host's `recording.append` (the typed client, the contract's input
 * parsing, the service's checks and one SQLite transaction per batch), fed the very batches the
 * recorder sent while recording the synthetic session, snapshots included, into a fresh session.
 */
export const eventAppendPerSec: Benchmark = {
  key: 'eventAppendPerSec',
  title: "events per second stored through recording.append, in the recorder's own batches",
  target: 20_000,
  atLeast: true,
  unit: 'events/s',
  async run() {
    const recorded = await recordSyntheticSession()
    const batches = recorded.batches
    recorded.dispose()
    const events = batches.reduce((sum, batch) => sum + batch.events.length, 0)
    const samples: number[] = []
    for (let i = 0; i < APPEND_RUNS; i++) {
      const { api, dispose } = startBenchHost()
      try {
        const sessionId = await createBenchSession(api)
        const started = performance.now()
        for (const batch of batches) await api.recording.append({ ...batch, sessionId })
        samples.push(events / ((performance.now() - started) / 1000))
      } finally {
        dispose()
      }
    }
    return samples
  },
}

/**
 * Random seeks over the stored synthetic session: the recording is loaded through the host once,
 * then each sample is one jump to a random moment, forward or back, until the problems' texts
 * there are ready. The playback document is reused across seeks, as the replay view does.
 */
export const replaySeekMs60min: Benchmark = {
  key: 'replaySeekMs60min',
  title: 'a random seek in the replay of a 60-minute session',
  target: 50,
  unit: 'ms',
  async run() {
    const recorded = await recordSyntheticSession()
    try {
      const recording = await recorded.api.recording.load({ sessionId: recorded.sessionId })
      const timeline = new ReplayTimeline({ recording, problemCount: SESSION_PROBLEMS })
      const random = seededRandom(11)
      const samples: number[] = []
      for (let i = 0; i < WARM_UP_SEEKS + MEASURED_SEEKS; i++) {
        const moment = random() * timeline.durationMs
        const started = performance.now()
        timeline.frameAt(moment)
        const elapsed = performance.now() - started
        if (i >= WARM_UP_SEEKS) samples.push(elapsed)
      }
      timeline.dispose()
      return samples
    } finally {
      recorded.dispose()
    }
  },
}
