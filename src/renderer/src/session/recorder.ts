import { toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { HostError } from '../../../shared/host-errors'
import type { HostInput } from '../../../shared/host-api'
import type { EventKind, RecordedEvent } from '../../../shared/session'

export type AppendBatch = HostInput<'recording.append'>
export type TimelineEventKind = Exclude<EventKind, 'yjs'>

export interface RecorderOptions {
  sessionId: string
  doc: Y.Doc
  append: (batch: AppendBatch) => Promise<unknown>
  /** The host's clock in ms since the epoch; injectable so tests control time. */
  now?: () => number
  /** When the session started on that clock, or null before: earlier entries are stamped 0. */
  startedAt: () => number | null
  /** Which problem a document change touched, for the timeline; null when unknown. */
  problemOf?: (transaction: Y.Transaction) => number | null
  /** Called with the error while appends fail, and with null once one succeeds again. */
  onTrouble?: (error: unknown) => void
  flushIntervalMs?: number
  snapshotIntervalMs?: number
  snapshotEveryUpdates?: number
}

export interface Recorder {
  /** A timeline event; `data` is stored as JSON text. */
  event(kind: TimelineEventKind, problem: number | null, data?: unknown): void
  /** Sends everything recorded so far; resolves once it is stored. */
  flush(): Promise<void>
  /** Stops listening to the document, adds a final snapshot and flushes. */
  stop(): Promise<void>
}

/** The contract's cap on events per append. */
const MAX_EVENTS_PER_BATCH = 5000
const MAX_RETRY_DELAY_MS = 5000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Records a session's document and timeline into the host: every Yjs update (base64) and every
 * event, stamped with ms since the session started. Appends are batched, one call at most every
 * `flushIntervalMs`, one at a time so the stored order is the recorded order; a failed append is
 * retried with the same batch until it is stored. A batch carries a full snapshot of the document
 * when `snapshotEveryUpdates` updates or `snapshotIntervalMs` have passed since the last one, so
 * that replay can seek without applying the whole history.
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const {
    sessionId,
    doc,
    append,
    now = Date.now,
    startedAt,
    problemOf = () => null,
    onTrouble = () => undefined,
    flushIntervalMs = 250,
    snapshotIntervalMs = 30_000,
    snapshotEveryUpdates = 500,
  } = options

  const queue: RecordedEvent[] = []
  let updatesSinceSnapshot = 0
  let lastSnapshotAt = now()
  let forceSnapshot = false
  let timer: ReturnType<typeof setTimeout> | undefined
  // Every send runs after the one before it: batches reach the host in recorded order.
  let chain: Promise<void> = Promise.resolve()
  let busy = false
  let stopped = false

  const tMs = (): number => {
    const start = startedAt()
    return start === null ? 0 : Math.max(0, Math.round(now() - start))
  }

  function onUpdate(update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void {
    queue.push({ tMs: tMs(), kind: 'yjs', problem: problemOf(transaction), data: toBase64(update) })
    updatesSinceSnapshot++
    schedule()
  }
  doc.on('update', onUpdate)

  // Armed only while no append is in flight, so calls are at least `flushIntervalMs` apart.
  function schedule(): void {
    if (timer === undefined && !busy && !stopped) timer = setTimeout(tick, flushIntervalMs)
  }

  function tick(): void {
    timer = undefined
    void run(sendOne)
  }

  function run(work: () => Promise<void>): Promise<void> {
    chain = chain.then(async () => {
      busy = true
      try {
        await work()
      } catch (error) {
        // Never leave the chain rejected: every later batch would wait on it forever.
        onTrouble(error)
      } finally {
        busy = false
      }
      if (queue.length > 0) schedule()
    })
    return chain
  }

  function snapshotDue(): boolean {
    if (updatesSinceSnapshot === 0) return false
    return forceSnapshot || updatesSinceSnapshot >= snapshotEveryUpdates || now() - lastSnapshotAt >= snapshotIntervalMs
  }

  function takeBatch(): AppendBatch | null {
    if (queue.length === 0) return null
    const events = queue.splice(0, MAX_EVENTS_PER_BATCH)
    const batch: AppendBatch = { sessionId, events }
    // The state now is exactly the state after this batch's last event, but only once the
    // queue is empty: a later chunk's updates are already in the document.
    if (queue.length === 0 && snapshotDue()) {
      batch.snapshot = {
        tMs: events.at(-1)?.tMs ?? tMs(),
        state: toBase64(Y.encodeStateAsUpdateV2(doc)),
        encoding: 'v2',
      }
      updatesSinceSnapshot = 0
      lastSnapshotAt = now()
      forceSnapshot = false
    }
    return batch
  }

  async function sendOne(): Promise<void> {
    const batch = takeBatch()
    if (batch === null) return
    for (let delay = flushIntervalMs; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      try {
        await append(batch)
        onTrouble(null)
        return
      } catch (error) {
        onTrouble(error)
        // The host refused the batch itself: sending it again cannot succeed.
        if (error instanceof HostError && error.code === 'invalid-input') return
        await sleep(delay)
      }
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    return run(async () => {
      while (queue.length > 0) await sendOne()
    })
  }

  return {
    event(kind, problem, data) {
      queue.push({ tMs: tMs(), kind, problem, data: data === undefined ? '' : JSON.stringify(data) })
      schedule()
    },
    flush,
    stop() {
      if (!stopped) {
        stopped = true
        doc.off('update', onUpdate)
        forceSnapshot = true
      }
      return flush()
    },
  }
}
