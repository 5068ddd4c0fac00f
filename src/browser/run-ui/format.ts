import { formatDuration } from '../../shared/exec/duration'
import type { RunStatus } from '../../shared/exec/run'
import type { TestStatus } from '../../shared/exec/test-result'
import type { JsonValue } from '../../shared/json'

export { formatDuration } from '../../shared/exec/duration'

export const RUN_STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  ok: 'Finished',
  error: 'Error',
  timeout: 'Timed out',
  stopped: 'Stopped',
  'output-limit': 'Output limit reached',
}

export const TEST_STATUS_LABELS: Readonly<Record<TestStatus, string>> = {
  pass: 'Passed',
  fail: 'Failed',
  error: 'Error',
}

/** A test value as the problem's JSON shows it. */
export function formatJson(value: JsonValue | undefined): string {
  return value === undefined ? '—' : JSON.stringify(value)
}

/** "1,000 characters" */
export function formatChars(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'character' : 'characters'}`
}

/** How a run ended, as a console shows it: a stored run may not know its duration. */
export interface ConsoleResult {
  status: RunStatus
  durationMs: number | null
  message?: string | null
}

/** "Finished in 12 ms", "Timed out after 10 s", "Stopped". */
export function runOutcome({ status, durationMs }: ConsoleResult): string {
  if (durationMs === null) return RUN_STATUS_LABELS[status]
  const duration = formatDuration(durationMs)
  return status === 'ok' ? `Finished in ${duration}` : `${RUN_STATUS_LABELS[status]} after ${duration}`
}
