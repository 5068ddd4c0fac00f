/**
 * Interactive input() on a cross-origin isolated page. The worker cannot receive a message while
 * Python runs, so it blocks on a SharedArrayBuffer with Atomics.wait and the page writes the line
 * into it. Layout: Int32 state, Int32 byte length, then the line as UTF-8.
 */

/** The longest line one answer carries; the rest of a longer paste is cut. */
export const INPUT_CAPACITY_BYTES = 1 << 20

const HEADER_BYTES = 8
const STATE = 0
const LENGTH = 1

const WAITING = 0
const LINE = 1
const END = 2
const CANCELLED = 3

export type InputReply = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'cancelled' }

export function createInputBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + INPUT_CAPACITY_BYTES)
}

/** The page's end: answers the worker's requests, or cancels one when the run is stopped. */
export class InputChannelWriter {
  private readonly header: Int32Array
  private readonly data: Uint8Array

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2)
    this.data = new Uint8Array(buffer, HEADER_BYTES)
  }

  /** Answers the waiting worker with a line (without its newline), or null for end of input. */
  answer(line: string | null): void {
    if (line === null) {
      this.settle(END)
      return
    }
    const bytes = new TextEncoder().encode(line)
    const length = Math.min(bytes.length, this.data.length)
    this.data.set(bytes.subarray(0, length))
    Atomics.store(this.header, LENGTH, length)
    this.settle(LINE)
  }

  /** Wakes a waiting worker without a line: the program is being stopped. */
  cancel(): void {
    this.settle(CANCELLED)
  }

  private settle(state: number): void {
    // Only a worker that is waiting takes an answer; a late one (after a stop) is dropped.
    if (Atomics.compareExchange(this.header, STATE, WAITING, state) === WAITING) Atomics.notify(this.header, STATE)
  }
}

/** The worker's end. */
export class InputChannelReader {
  private readonly header: Int32Array
  private readonly data: Uint8Array

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2)
    this.data = new Uint8Array(buffer, HEADER_BYTES)
  }

  /** Marks the channel as waiting; call it before asking the page, so an early answer is not lost. */
  prepare(): void {
    Atomics.store(this.header, STATE, WAITING)
  }

  /** Blocks until the page answers (or cancels). */
  wait(): InputReply {
    Atomics.wait(this.header, STATE, WAITING)
    const state = Atomics.load(this.header, STATE)
    if (state === END) return { kind: 'eof' }
    if (state === CANCELLED) return { kind: 'cancelled' }
    const length = Atomics.load(this.header, LENGTH)
    // TextDecoder refuses views of shared memory: copy first.
    return { kind: 'line', text: new TextDecoder().decode(this.data.slice(0, length)) }
  }
}
