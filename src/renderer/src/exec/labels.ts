import type { RunKind, RunSide } from '../../../shared/run-record'

export const RUN_KIND_LABELS: Readonly<Record<RunKind, string>> = {
  run: 'Run',
  tests: 'Tests',
  'hidden-tests': 'Hidden tests',
}

export const RUN_SIDE_LABELS: Readonly<Record<RunSide, string>> = {
  candidate: 'Candidate',
  interviewer: 'You',
}

/** A time on the session's clock: "4:05", "1:02:09". */
export function formatSessionTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}
