import { IndexeddbPersistence, PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb'
import * as Y from 'yjs'
import type { DocStore } from './candidate-session'

/** Updates are written once typing pauses this long... */
export const STORE_QUIET_MS = 25
/** ...or this long after the first one waiting, whichever comes first. */
export const STORE_MAX_WAIT_MS = 1000

/** y-indexeddb's object store of updates. */
const UPDATES_STORE = 'updates'
/** As y-indexeddb waits before merging its stored updates. */
const COMPACT_AFTER_MS = 1000

/**
 * Keeps the candidate's document in IndexedDB, keyed by room: a refresh or a crashed tab finds its
 * code again, another interview does not.
 *
 * A keystroke's update is not written in the keystroke's own task: there it would take the main
 * thread (an IndexedDB transaction per key) while the same key travels to the interviewer. The
 * updates of a burst are merged and written as one when typing pauses, and at once when the page
 * is hidden or unloads. Every update has already gone to the interviewer, who keeps it too.
 */
export async function openIndexeddbStore(roomId: string, doc: Y.Doc): Promise<DocStore> {
  const persistence = new IndexeddbPersistence(`duet:${roomId}`, doc)
  const store = persistence._storeUpdate
  let waiting: Uint8Array[] = []
  let firstAt = 0
  let lastAt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let compactTimer: ReturnType<typeof setTimeout> | undefined

  // What y-indexeddb's own listener does, but the transaction is committed at once instead of
  // once the browser has answered the write: a page that is being reloaded or closed never hears
  // that answer, and its open transaction would be rolled back with the keys typed last.
  const write = (update: Uint8Array): void => {
    const db = persistence.db
    if (db === null) return
    const transaction = db.transaction([UPDATES_STORE], 'readwrite')
    transaction.objectStore(UPDATES_STORE).add(update)
    transaction.commit()
    if (++persistence._dbsize < PREFERRED_TRIM_SIZE) return
    // Many small updates are merged into one, later and once; if that fails they stay as they are.
    clearTimeout(compactTimer)
    compactTimer = setTimeout(() => storeState(persistence, false).catch(() => {}), COMPACT_AFTER_MS)
  }

  const flush = (): void => {
    clearTimeout(timer)
    timer = undefined
    if (waiting.length === 0) return
    const merged = waiting.length === 1 ? waiting[0] : Y.mergeUpdates(waiting)
    waiting = []
    if (merged) write(merged)
  }
  // One timer per burst, not one per keystroke: it looks at when the last update came.
  const check = (): void => {
    timer = undefined
    const now = performance.now()
    const quietFor = now - lastAt
    const waited = now - firstAt
    if (quietFor >= STORE_QUIET_MS || waited >= STORE_MAX_WAIT_MS) flush()
    else timer = setTimeout(check, Math.min(STORE_QUIET_MS - quietFor, STORE_MAX_WAIT_MS - waited))
  }
  const arm = (): void => {
    timer ??= setTimeout(check, STORE_QUIET_MS)
  }
  // This runs in the keystroke's task before the link sends the key: bookkeeping only.
  const storeSoon = (update: Uint8Array, origin: unknown): void => {
    // Updates read back from IndexedDB carry the persistence as their origin: nothing to write.
    if (origin === persistence) return
    lastAt = performance.now()
    if (waiting.push(update) > 1) return
    firstAt = lastAt
    queueMicrotask(arm)
  }
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') flush()
  }

  doc.off('update', store)
  // destroy() unregisters whatever `_storeUpdate` holds, so it must be the listener in use.
  persistence._storeUpdate = storeSoon
  doc.on('update', storeSoon)
  addEventListener('pagehide', flush)
  document.addEventListener('visibilitychange', onVisibility)
  await persistence.whenSynced
  return {
    clear: () => {
      waiting = []
      flush()
      return persistence.clearData()
    },
    destroy: () => {
      flush()
      clearTimeout(compactTimer)
      removeEventListener('pagehide', flush)
      document.removeEventListener('visibilitychange', onVisibility)
      return persistence.destroy()
    },
  }
}
