import { fromBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import type { Recording } from '../session'

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
