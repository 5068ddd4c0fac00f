import { HostError } from '../../../shared/host-errors'
import type { FieldIssue } from '../../../shared/validation'

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The per-field issues of a failed host call, if it was rejected for invalid input. */
export function issuesOf(error: unknown): FieldIssue[] {
  return error instanceof HostError ? error.issues : []
}
