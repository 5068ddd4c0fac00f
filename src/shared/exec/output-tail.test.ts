import { describe, expect, it } from 'vitest'
import { createOutputTailBuffer, OUTPUT_TAIL_BYTES, OutputTailWriter, readOutputTail } from './output-tail'

describe('output tail', () => {
  it('gives the page the held-back writes of the batch it has not received, in order', () => {
    const buffer = createOutputTailBuffer()
    const tail = new OutputTailWriter(buffer)
    tail.begin(7)
    expect(tail.append('stdout', 'naïve 😀\n')).toBe(true)
    expect(tail.append('stderr', 'oops\n')).toBe(true)
    expect(readOutputTail(buffer, 7, 0)).toEqual([
      { stream: 'stdout', text: 'naïve 😀\n' },
      { stream: 'stderr', text: 'oops\n' },
    ])
  })

  it('gives nothing for a batch that already arrived, for another run, or once posted', () => {
    const buffer = createOutputTailBuffer()
    const tail = new OutputTailWriter(buffer)
    tail.begin(3)
    tail.append('stdout', 'a')
    tail.posted()
    tail.append('stdout', 'b')
    expect(readOutputTail(buffer, 3, 2)).toEqual([])
    expect(readOutputTail(buffer, 4, 1)).toEqual([])
    expect(readOutputTail(buffer, 3, 1)).toEqual([{ stream: 'stdout', text: 'b' }])
    tail.posted()
    expect(readOutputTail(buffer, 3, 2)).toEqual([])
    tail.begin(4)
    expect(readOutputTail(buffer, 4, 0)).toEqual([])
  })

  it('refuses a write that does not fit, keeping what is there', () => {
    const buffer = createOutputTailBuffer()
    const tail = new OutputTailWriter(buffer)
    tail.begin(1)
    tail.append('stdout', 'kept')
    expect(tail.append('stdout', 'x'.repeat(OUTPUT_TAIL_BYTES))).toBe(false)
    expect(readOutputTail(buffer, 1, 0)).toEqual([{ stream: 'stdout', text: 'kept' }])
  })

  it('reads a tail the worker scribbled over as empty, without throwing', () => {
    const buffer = createOutputTailBuffer()
    const tail = new OutputTailWriter(buffer)
    tail.begin(1)
    tail.append('stdout', 'hello')
    const header = new Int32Array(buffer, 0, 3)
    const bytes = new Uint8Array(buffer, 12)
    bytes[0] = 9
    expect(readOutputTail(buffer, 1, 0)).toEqual([])
    bytes[0] = 0
    new DataView(buffer, 12).setUint32(1, 1_000_000)
    expect(readOutputTail(buffer, 1, 0)).toEqual([])
    Atomics.store(header, 2, -5)
    expect(readOutputTail(buffer, 1, 0)).toEqual([])
    Atomics.store(header, 2, OUTPUT_TAIL_BYTES * 2)
    expect(readOutputTail(buffer, 1, 0)).toEqual([])
  })
})
