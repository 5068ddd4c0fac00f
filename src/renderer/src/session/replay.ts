import { fromBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { RunMarkSchema, type RunMark } from '../../../shared/run-record'
import type { Recording } from '../../../shared/session'

/** Whether the recording holds any document state: then the starter code is already in it. */
export function hasDocumentState(recording: Recording): boolean {
  return recording.snapshots.length > 0 || recording.events.some((e) => e.kind === 'yjs')
}

/**
 * Rebuilds a session's document from its recording: the newest snapshot, then every Yjs update
 * stored after it. Yjs updates commute, so the result is the state after the last stored event.
 */
export function applyRecording(doc: Y.Doc, recording: Recording, origin: unknown = null): void {
  const snapshot = recording.snapshots.reduce<Recording['snapshots'][number] | undefined>(
    (newest, s) => (newest === undefined || s.lastEventId > newest.lastEventId ? s : newest),
    undefined,
  )
  const after = snapshot?.lastEventId ?? 0
  Y.transact(
    doc,
    () => {
      if (snapshot) Y.applyUpdate(doc, fromBase64(snapshot.state), origin)
      for (const event of recording.events) {
        if (event.kind === 'yjs' && event.id > after && event.data !== '') {
          Y.applyUpdate(doc, fromBase64(event.data), origin)
        }
      }
    },
    origin,
  )
}

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
    let data: unknown
    try {
      data = JSON.parse(event.data)
    } catch {
      continue
    }
    const mark = RunMarkSchema.safeParse(data)
    if (mark.success) marks.set(mark.data.runId, { ...mark.data, tMs: event.tMs, problem: event.problem })
  }
  return [...marks.values()].sort((a, b) => a.tMs - b.tMs)
}
