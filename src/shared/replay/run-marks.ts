import { RunMarkSchema, type RunMark } from '../run-record'
import type { Recording } from '../session'
import { eventJson } from './event-data'

export interface TimelineRunMark extends RunMark {
  tMs: number
  problem: number | null
}

/**
 * The runs marked on the timeline, one per run by the time it started, in that order. A run is
 * marked again when its record is replaced (stopped when the link dropped, then its real end):
 * the last mark has its final status.
 */
export function runMarks(recording: Recording): TimelineRunMark[] {
  const marks = new Map<string, TimelineRunMark>()
  for (const event of recording.events) {
    if (event.kind !== 'run') continue
    const mark = eventJson(event, RunMarkSchema)
    if (mark) marks.set(mark.runId, { ...mark, tMs: event.tMs, problem: event.problem })
  }
  return [...marks.values()].sort((a, b) => a.tMs - b.tMs)
}
