import { shallowReactive } from 'vue'
import { DEFAULT_OUTPUT_LIMIT_BYTES } from '../../../shared/exec/run'
import type { LinkFrame } from '../../../shared/peer/frames'
import { appendOutput, utf8Length } from '../../../shared/run-output'
import type { LiveRun } from './live-runs'

export type RunFrame = Extract<LinkFrame, { type: 'run.started' | 'run.output' | 'run.finished' }>

export const isRunFrame = (frame: LinkFrame): frame is RunFrame =>
  frame.type === 'run.started' || frame.type === 'run.output' || frame.type === 'run.finished'

export interface CandidateRunsOptions {
  /** The live view's list of runs: new candidate runs are pushed onto it. */
  runs: LiveRun[]
  problemCount: () => number
  /** The problem's text in the shared document, for a run whose code did not fit its frame. */
  codeOf: (problem: number) => string
  /** Now, in ms since the session started. */
  sessionMs: () => number
  /** Stores a run that ended, or was ended here; called again if its real end arrives later. */
  store: (run: LiveRun) => void
  outputLimitBytes?: number
}

export interface CandidateRuns {
  /**
   * Applies a run frame; false when it fits no run and was ignored: an unknown or finished run, a
   * start for a problem the session lacks, or a start under an id the session has already (only
   * a run stopped here, unfinished, is taken up again).
   */
  handle(frame: RunFrame): boolean
  /** Every run still going ends as `stopped` with this message and is stored. */
  interrupt(message: string): void
}

/** Runs going at once: one, plus a few whose end was lost when the link dropped and came back. */
const MAX_RUNNING = 4

interface Track {
  run: LiveRun
  outputBytes: number
  /** Ended here (link lost, session over); the candidate's own end may still come and replaces it. */
  interrupted: boolean
  finished: boolean
}

/** The candidate's runs as they stream in over the link, into the live view's list of runs. */
export function createCandidateRuns(options: CandidateRunsOptions): CandidateRuns {
  const limit = options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES
  const tracks = new Map<string, Track>()

  /**
   * A run this view does not follow may be one an earlier view stored as stopped when it closed:
   * the candidate's page kept its frames and sends them now. Such a run is taken up again.
   */
  function trackOf(runId: string): Track | undefined {
    const known = tracks.get(runId)
    if (known) return known
    const stored = options.runs.find(
      (r) => r.key === runId && r.side === 'candidate' && r.status === 'stopped' && r.durationMs === null,
    )
    if (!stored) return undefined
    const track: Track = { run: stored, outputBytes: 0, interrupted: true, finished: false }
    for (const chunk of stored.output) track.outputBytes += utf8Length(chunk.text)
    tracks.set(runId, track)
    return track
  }

  /** Frames of a run ended here arrive after all: it is still going on the candidate's page. */
  function resume(track: Track): void {
    track.interrupted = false
    track.run.status = 'running'
    track.run.message = null
  }

  function start(frame: Extract<RunFrame, { type: 'run.started' }>): boolean {
    const known = trackOf(frame.runId)
    if (known) {
      if (!known.interrupted || known.finished) return false
      resume(known)
      return true
    }
    // Any other run with this id, stored or the interviewer's, is not the candidate's to replace.
    if (options.runs.some((r) => r.key === frame.runId)) return false
    if (frame.problem >= options.problemCount()) return false
    // The page runs one program at a time; a flood of starts is not a page of ours.
    const running = [...tracks.values()].filter((t) => !t.finished && !t.interrupted).length
    if (running >= MAX_RUNNING) return false
    const run = shallowReactive<LiveRun>({
      key: frame.runId,
      side: 'candidate',
      kind: frame.kind,
      problem: frame.problem,
      language: frame.language,
      code: frame.code ?? options.codeOf(frame.problem),
      output: [],
      status: 'running',
      durationMs: null,
      tests: null,
      message: null,
      tMs: Math.max(0, Math.round(options.sessionMs() - frame.agoMs)),
    })
    tracks.set(frame.runId, { run, outputBytes: 0, interrupted: false, finished: false })
    options.runs.push(run)
    return true
  }

  function handle(frame: RunFrame): boolean {
    if (frame.type === 'run.started') return start(frame)
    const track = trackOf(frame.runId)
    if (!track || track.finished) return false
    const { run } = track
    if (track.interrupted) resume(track)
    if (frame.type === 'run.output') {
      const added = appendOutput(run.output, { stream: frame.stream, text: frame.text }, limit - track.outputBytes)
      if (added.addedBytes > 0) {
        run.output = added.output
        track.outputBytes += added.addedBytes
      }
      return true
    }
    track.finished = true
    run.status = frame.result.status
    run.durationMs = frame.result.durationMs
    run.tests = frame.result.tests
    run.message = frame.result.message ?? null
    options.store(run)
    return true
  }

  function interrupt(message: string): void {
    for (const track of tracks.values()) {
      if (track.finished || track.interrupted) continue
      track.interrupted = true
      track.run.status = 'stopped'
      track.run.message = message
      options.store(track.run)
    }
  }

  return { handle, interrupt }
}
