import { DEFAULT_OUTPUT_LIMIT_BYTES, type OutputChunk, type RunResult } from '../../../src/shared/exec/run'
import { MAX_RUN_OUTPUT_FRAME_BYTES, type LinkFrame } from '../../../src/shared/peer/frames'
import { realSchedule, type Cancel, type Schedule } from '../../../src/shared/peer/schedule'
import type { Language } from '../../../src/shared/problem'
import { fitsLinkFrame, runFinishedFrame, splitJsonText } from '../../../src/shared/run-frames'
import { appendOutput, utf8Length } from '../../../src/shared/run-output'
import type { CandidateRunKind } from '../../../src/shared/run-record'

export interface CandidateRunStart {
  /** Unique on this page: letters, digits, - and _, at most 64 (RunIdSchema). */
  runId: string
  problem: number
  kind: CandidateRunKind
  language: Language
  code: string
}

/** What the candidate's runner tells the interviewer, in order: started, output..., ended. */
export interface RunReporter {
  /** False when a run with this id was reported already, and this one is not. */
  started(run: CandidateRunStart): boolean
  output(runId: string, chunk: OutputChunk): void
  ended(runId: string, result: RunResult): void
}

export interface RunReporterControl extends RunReporter {
  /** The link is open again: sends what was kept while it was down. */
  resume(): void
  /** Frames waiting for the link. */
  pending(): number
  dispose(): void
}

export interface RunReporterOptions {
  /** Sends a frame; false when the link is not open, and the frame is kept for later. */
  send(frame: LinkFrame): boolean
  now?: () => number
  schedule?: Schedule
  /** Output past this many bytes per run is not forwarded (the runner stops there too). */
  outputLimitBytes?: number
  /** Output is gathered this long before it goes, so a flood of prints is a few frames. */
  coalesceMs?: number
  /** Output bytes kept while the link is down; past it the oldest run's kept output is dropped. */
  maxQueuedOutputBytes?: number
  /** Runs kept while the link is down; past it the oldest run is dropped whole. */
  maxQueuedRuns?: number
}

export const RUN_OUTPUT_COALESCE_MS = 50
const MAX_QUEUED_OUTPUT_BYTES = 2_000_000
const MAX_QUEUED_RUNS = 200
export const OUTPUT_LOST_NOTICE = '\n[Some output was lost while the connection was down.]\n'

interface ActiveRun {
  /** Accepted output bytes, against the limit. */
  bytes: number
  /** Output not yet turned into frames. */
  buffer: OutputChunk[]
  flushTimer: Cancel | null
}

/** A frame waiting to go; `start` frames are built when sent, so `agoMs` is right even if late. */
interface Outgoing {
  runId: string
  frame: LinkFrame
  startedAt: number | null
  outputBytes: number
}

// The largest number `agoMs` could be, so a start frame measured with it fits whatever is sent.
const AGO_PLACEHOLDER = Number.MAX_SAFE_INTEGER

/**
 * Streams the candidate's runs to the interviewer as `run.started`, `run.output` and
 * `run.finished` frames. Output is coalesced and cut at the run's output limit; every frame fits
 * the link. While the link is down frames wait in a bounded queue and go, in order, on `resume()`.
 */
export function createRunReporter(options: RunReporterOptions): RunReporterControl {
  const now = options.now ?? Date.now
  const schedule = options.schedule ?? realSchedule
  const limit = options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES
  const coalesceMs = options.coalesceMs ?? RUN_OUTPUT_COALESCE_MS
  const maxQueuedOutput = options.maxQueuedOutputBytes ?? MAX_QUEUED_OUTPUT_BYTES
  const maxQueuedRuns = options.maxQueuedRuns ?? MAX_QUEUED_RUNS
  const active = new Map<string, ActiveRun>()
  /** Every run id this page reported, so a repeated id is not reported twice. */
  const seen = new Set<string>()
  const outbox: Outgoing[] = []
  let queuedOutputBytes = 0

  function toSend(item: Outgoing): LinkFrame {
    if (item.frame.type !== 'run.started' || item.startedAt === null) return item.frame
    return { ...item.frame, agoMs: Math.max(0, Math.round(now() - item.startedAt)) }
  }

  function pump(): void {
    for (let next = outbox[0]; next && options.send(toSend(next)); next = outbox[0]) {
      outbox.shift()
      queuedOutputBytes -= next.outputBytes
    }
    if (outbox.length > 0) bound()
  }

  function enqueue(item: Outgoing): void {
    outbox.push(item)
    queuedOutputBytes += item.outputBytes
    pump()
  }

  /** Keeps what waits within bounds: never a run's start or end, only its output or, past the run cap, the oldest run. */
  function bound(): void {
    while (queuedOutputBytes > maxQueuedOutput) {
      const victim = outbox.find((item) => item.outputBytes > 0)?.runId
      if (victim === undefined) break
      dropOutputOf(victim)
    }
    const runs = [...new Set(outbox.map((item) => item.runId))]
    for (const runId of runs.slice(0, Math.max(0, runs.length - maxQueuedRuns))) {
      if (active.has(runId)) continue
      for (let i = outbox.length - 1; i >= 0; i--) {
        const item = outbox[i]
        if (item?.runId === runId) {
          outbox.splice(i, 1)
          queuedOutputBytes -= item.outputBytes
        }
      }
    }
  }

  /** Replaces a run's waiting output with one notice, so the interviewer knows some is missing. */
  function dropOutputOf(runId: string): void {
    const first = outbox.findIndex((item) => item.runId === runId && item.outputBytes > 0)
    for (let i = outbox.length - 1; i >= first; i--) {
      const item = outbox[i]
      if (item?.runId !== runId || item.outputBytes === 0) continue
      outbox.splice(i, 1)
      queuedOutputBytes -= item.outputBytes
    }
    const noticed = outbox.some(
      (item) => item.runId === runId && item.frame.type === 'run.output' && item.outputBytes === 0,
    )
    if (!noticed) {
      const notice: LinkFrame = { type: 'run.output', runId, stream: 'stderr', text: OUTPUT_LOST_NOTICE }
      outbox.splice(first, 0, { runId, frame: notice, startedAt: null, outputBytes: 0 })
    }
  }

  function flushOutput(runId: string, run: ActiveRun): void {
    run.flushTimer?.()
    run.flushTimer = null
    for (const chunk of run.buffer.splice(0)) {
      for (const text of splitJsonText(chunk.text, MAX_RUN_OUTPUT_FRAME_BYTES)) {
        const frame: LinkFrame = { type: 'run.output', runId, stream: chunk.stream, text }
        outbox.push({ runId, frame, startedAt: null, outputBytes: utf8Length(text) })
        queuedOutputBytes += utf8Length(text)
      }
    }
    pump()
  }

  function started(run: CandidateRunStart): boolean {
    if (seen.has(run.runId)) return false
    seen.add(run.runId)
    active.set(run.runId, { bytes: 0, buffer: [], flushTimer: null })
    const frame: LinkFrame = {
      type: 'run.started',
      runId: run.runId,
      problem: run.problem,
      kind: run.kind,
      language: run.language,
      code: run.code,
      agoMs: 0,
    }
    // Too large for one frame: the interviewer keeps the same text in the shared document.
    const fits = fitsLinkFrame({ ...frame, agoMs: AGO_PLACEHOLDER })
    enqueue({ runId: run.runId, frame: fits ? frame : { ...frame, code: null }, startedAt: now(), outputBytes: 0 })
    return true
  }

  function output(runId: string, chunk: OutputChunk): void {
    const run = active.get(runId)
    if (!run || run.bytes >= limit) return
    const added = appendOutput(run.buffer, chunk, limit - run.bytes)
    if (added.addedBytes === 0) return
    run.buffer = added.output
    run.bytes += added.addedBytes
    run.flushTimer ??= schedule(() => flushOutput(runId, run), coalesceMs)
  }

  function ended(runId: string, result: RunResult): void {
    const run = active.get(runId)
    if (!run) return
    flushOutput(runId, run)
    active.delete(runId)
    enqueue({ runId, frame: runFinishedFrame(runId, result), startedAt: null, outputBytes: 0 })
  }

  return {
    started,
    output,
    ended,
    resume: pump,
    pending: () => outbox.length,
    dispose() {
      for (const run of active.values()) run.flushTimer?.()
      active.clear()
      outbox.length = 0
    },
  }
}
