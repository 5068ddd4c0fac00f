import { shallowReactive } from 'vue'
import { MAX_CODE_CHARS, type OutputChunk, type RunStatus } from '../../../shared/exec/run'
import type { TestResult } from '../../../shared/exec/test-result'
import type { Language } from '../../../shared/problem'
import { streamText } from '../../../shared/run-output'
import {
  MAX_RUN_DURATION_MS,
  storableRunEnding,
  type RunKind,
  type RunRecord,
  type RunSide,
  type StoredRun,
} from '../../../shared/run-record'

/**
 * One run as the live view shows it: stored earlier, streaming from the candidate, or run here.
 * Reactive, shallowly: fields are replaced (a new `output` array per change), never mutated.
 */
export interface LiveRun {
  /** The run's id: unique within the session. */
  key: string
  side: RunSide
  kind: RunKind
  problem: number
  language: Language
  code: string
  /** In order; consecutive chunks of one stream are merged; capped at the output limit. */
  output: OutputChunk[]
  status: RunStatus | 'running'
  /** Null while running, or when the run never reported its end. */
  durationMs: number | null
  tests: TestResult[] | null
  message: string | null
  /** When it started, in ms since the session started. */
  tMs: number
}

export function liveRunOf(stored: StoredRun): LiveRun {
  const output: OutputChunk[] = []
  // Stored per stream: the order between stdout and stderr is not kept.
  if (stored.stdout !== '') output.push({ stream: 'stdout', text: stored.stdout })
  if (stored.stderr !== '') output.push({ stream: 'stderr', text: stored.stderr })
  return shallowReactive<LiveRun>({
    key: stored.runId,
    side: stored.side,
    kind: stored.kind,
    problem: stored.problem,
    language: stored.language,
    code: stored.code,
    output,
    status: stored.status,
    durationMs: stored.durationMs,
    tests: stored.testResults,
    message: stored.message,
    tMs: stored.tMs,
  })
}

/**
 * What to store of a run that has ended; null while it is still running. Either side's run is
 * kept within what the host stores (test results trimmed as for the link) rather than refused.
 */
export function recordOf(run: LiveRun, sessionId: string): RunRecord | null {
  if (run.status === 'running') return null
  const ending = storableRunEnding({ tests: run.tests, ...(run.message === null ? {} : { message: run.message }) })
  return {
    sessionId,
    runId: run.key,
    problem: run.problem,
    side: run.side,
    kind: run.kind,
    language: run.language,
    code: run.code.slice(0, MAX_CODE_CHARS),
    stdout: streamText(run.output, 'stdout'),
    stderr: streamText(run.output, 'stderr'),
    status: run.status,
    durationMs: run.durationMs === null ? null : Math.min(run.durationMs, MAX_RUN_DURATION_MS),
    testResults: ending.tests,
    message: ending.message ?? null,
    tMs: run.tMs,
  }
}
