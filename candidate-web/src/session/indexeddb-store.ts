import { IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'
import type { DocStore } from './candidate-session'

/**
 * Keeps the candidate's document in IndexedDB, keyed by room: a refresh or a crashed tab finds its
 * code again, another interview does not. Each update is written in a microtask rather than
 * before the link's own listener runs: a keystroke then goes to the interviewer first and to disk
 * still within the same task.
 */
export async function openIndexeddbStore(roomId: string, doc: Y.Doc): Promise<DocStore> {
  const persistence = new IndexeddbPersistence(`duet:${roomId}`, doc)
  const store = persistence._storeUpdate
  const storeSoon = (update: Uint8Array, origin: unknown): void => queueMicrotask(() => store(update, origin))
  doc.off('update', store)
  // destroy() unregisters whatever `_storeUpdate` holds, so it must be the listener in use.
  persistence._storeUpdate = storeSoon
  doc.on('update', storeSoon)
  await persistence.whenSynced
  return { clear: () => persistence.clearData(), destroy: () => persistence.destroy() }
}
