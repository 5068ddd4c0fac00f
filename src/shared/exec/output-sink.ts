import { utf8Length, utf8Prefix } from '../run-output'
import type { OutputTail } from './output-tail'
import type { OutputChunk, OutputStream } from './run'

export interface OutputSinkOptions {
  limitBytes: number
  /** Receives each batch, in order; chunks are never empty. */
  post(chunks: OutputChunk[]): void
  /** Called once, when a write would pass the limit (what fits is kept and posted first). */
  onLimit(): void
  now(): number
  /**
   * Runs `flush` later, when the worker's event loop is free (JavaScript's timers and awaits). A
   * busy Python program never yields, so its batches go out on writes and at the end instead.
   */
  schedule?(flush: () => void, delayMs: number): void
  /** Mirrors the held-back batch where the page can read it if the worker never posts it. */
  tail?: OutputTail
}

/** Output is batched in windows of this length... */
const FLUSH_INTERVAL_MS = 16
/**
 * ...where the first few writes still go out at once: a program that prints a little and then
 * computes, or hangs until its worker is replaced, has shown everything it printed. Past them a
 * flood goes out as one batch per window.
 */
const IMMEDIATE_POSTS_PER_WINDOW = 16
/** A batch goes out as soon as it holds this much. */
const MAX_BATCH_BYTES = 64 * 1024

/**
 * Collects a run's output into batches for postMessage and enforces the output limit in bytes of
 * UTF-8.
 */
export class OutputSink {
  private batch: OutputChunk[] = []
  private batchBytes = 0
  private usedBytes = 0
  private windowStart = Number.NEGATIVE_INFINITY
  private windowPosts = 0
  private scheduled = false
  private reachedLimit = false

  constructor(private readonly options: OutputSinkOptions) {}

  get limitReached(): boolean {
    return this.reachedLimit
  }

  /** Bytes the program may still print. */
  get roomBytes(): number {
    return this.options.limitBytes - this.usedBytes
  }

  write(stream: OutputStream, text: string): void {
    if (text === '' || this.reachedLimit) return
    const kept = utf8Prefix(text, this.roomBytes)
    if (kept !== '') this.append(stream, kept, utf8Length(kept))
    if (kept.length < text.length) {
      this.reachedLimit = true
      this.flush()
      this.options.onLimit()
      return
    }
    const windowOver = this.options.now() - this.windowStart >= FLUSH_INTERVAL_MS
    const postNow = windowOver || this.windowPosts < IMMEDIATE_POSTS_PER_WINDOW || this.batchBytes >= MAX_BATCH_BYTES
    // Every write held back is in the tail, so the tail is always the whole unposted batch.
    if (postNow || (this.options.tail !== undefined && !this.options.tail.append(stream, kept))) this.flush()
    else this.scheduleFlush()
  }

  /** Sends a batch that has waited out its window: for a busy program between writes. */
  tick(): void {
    if (this.batch.length > 0 && this.options.now() - this.windowStart >= FLUSH_INTERVAL_MS) this.flush()
  }

  flush(): void {
    if (this.batch.length === 0) return
    const now = this.options.now()
    if (now - this.windowStart >= FLUSH_INTERVAL_MS) {
      this.windowStart = now
      this.windowPosts = 0
    }
    this.windowPosts++
    const batch = this.batch
    this.batch = []
    this.batchBytes = 0
    this.options.post(batch)
    this.options.tail?.posted()
  }

  private append(stream: OutputStream, text: string, bytes: number): void {
    this.usedBytes += bytes
    this.batchBytes += bytes
    const last = this.batch.at(-1)
    if (last?.stream === stream) last.text += text
    else this.batch.push({ stream, text })
  }

  private scheduleFlush(): void {
    if (this.scheduled || !this.options.schedule) return
    this.scheduled = true
    this.options.schedule(() => {
      this.scheduled = false
      this.flush()
    }, FLUSH_INTERVAL_MS)
  }
}
