import { z } from 'zod'
import { OutputChunkSchema } from './worker-protocol'
import type { OutputChunk, OutputStream } from './run'

/**
 * The output a worker holds back in its current batch, mirrored into memory shared with the page.
 * A program that prints a burst and then computes without end never lets its worker post that
 * batch; when the page replaces the worker (Stop, time limit) it reads the batch from here, so
 * the user sees everything the program printed before it hung. Cross-origin isolated pages only.
 *
 * Layout: three Int32 — the run id, how many batches the run had posted before this one, and
 * the bytes used — then records of [stream: 1 byte][length: 4 bytes][UTF-8 text].
 */
const HEADER_BYTES = 12
const RUN = 0
const BATCH = 1
const USED = 2
const RECORD_HEADER_BYTES = 5
const STREAMS: readonly OutputStream[] = ['stdout', 'stderr']

/** Room for a whole batch (the sink posts one at 64 KiB) and the write that completes it. */
export const OUTPUT_TAIL_BYTES = HEADER_BYTES + 256 * 1024

export function createOutputTailBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(OUTPUT_TAIL_BYTES)
}

/** What an output sink needs of the tail. */
export interface OutputTail {
  /** Adds a held-back write; false when it does not fit (the sink then posts at once). */
  append(stream: OutputStream, text: string): boolean
  /** The held-back batch was posted: the tail starts on the next one. */
  posted(): void
}

const encoder = new TextEncoder()

/** The worker's side: one writer per worker, begun again for each run. */
export class OutputTailWriter implements OutputTail {
  private readonly header: Int32Array
  private readonly bytes: Uint8Array
  private readonly view: DataView
  private used = 0

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4)
    this.bytes = new Uint8Array(buffer, HEADER_BYTES)
    this.view = new DataView(buffer, HEADER_BYTES)
  }

  begin(runId: number): void {
    this.used = 0
    Atomics.store(this.header, USED, 0)
    Atomics.store(this.header, BATCH, 0)
    Atomics.store(this.header, RUN, runId)
  }

  append(stream: OutputStream, text: string): boolean {
    const encoded = encoder.encode(text)
    const end = this.used + RECORD_HEADER_BYTES + encoded.length
    if (end > this.bytes.length) return false
    this.view.setUint8(this.used, STREAMS.indexOf(stream))
    this.view.setUint32(this.used + 1, encoded.length)
    this.bytes.set(encoded, this.used + RECORD_HEADER_BYTES)
    this.used = end
    // Published after the bytes: a reader that sees this length sees whole records.
    Atomics.store(this.header, USED, end)
    return true
  }

  posted(): void {
    this.used = 0
    Atomics.store(this.header, USED, 0)
    Atomics.add(this.header, BATCH, 1)
  }
}

const decoder = new TextDecoder()
const ChunksSchema = z.array(OutputChunkSchema)

function decodeRecords(bytes: Uint8Array): OutputChunk[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks: OutputChunk[] = []
  for (let at = 0; at < bytes.length;) {
    if (at + RECORD_HEADER_BYTES > bytes.length) return null
    const stream = STREAMS[view.getUint8(at)]
    const length = view.getUint32(at + 1)
    const end = at + RECORD_HEADER_BYTES + length
    if (stream === undefined || end > bytes.length) return null
    chunks.push({ stream, text: decoder.decode(bytes.subarray(at + RECORD_HEADER_BYTES, end)) })
    at = end
  }
  const parsed = ChunksSchema.safeParse(chunks)
  return parsed.success ? parsed.data : null
}

/** Tries before giving up on a tail the worker keeps changing under the read. */
const READ_ATTEMPTS = 3

/**
 * The page's side: what run `runId` held back, given that `batchesReceived` of its batches reached
 * the page. Empty when the tail is another run's, holds a batch that already arrived, or does not
 * decode (the worker is the candidate's code's and is trusted with nothing).
 */
export function readOutputTail(buffer: SharedArrayBuffer, runId: number, batchesReceived: number): OutputChunk[] {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4)
  const bytes = new Uint8Array(buffer, HEADER_BYTES)
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const batch = Atomics.load(header, BATCH)
    const used = Atomics.load(header, USED)
    if (Atomics.load(header, RUN) !== runId || batch < batchesReceived) return []
    if (used < 0 || used > bytes.length) return []
    const copy = bytes.slice(0, used)
    // Still the same batch, only ever appended to: the copied records are whole.
    if (Atomics.load(header, BATCH) === batch && Atomics.load(header, USED) >= used) return decodeRecords(copy) ?? []
  }
  return []
}
