import { describe, expect, it } from 'vitest'
import { FrameGate } from './frame-gate'
import type { LinkFrame } from './frames'

function gate(): { gate: FrameGate; frames: LinkFrame[] } {
  const g = new FrameGate('host')
  const frames: LinkFrame[] = []
  g.frames.add((frame) => frames.push(frame))
  return { gate: g, frames }
}

/** A run.finished frame whose one test result is `levels` arrays deep. */
function finished(levels: number): string {
  const actual = `${'['.repeat(levels)}${']'.repeat(levels)}`
  const test = `{"name":"a","status":"fail","expected":1,"actual":${actual},"stdout":"","durationMs":1}`
  return `{"type":"run.finished","runId":"r1","result":{"status":"ok","durationMs":1,"tests":[${test}]}}`
}

describe('FrameGate', () => {
  it('takes a valid frame', () => {
    const { gate: g, frames } = gate()
    g.acceptText(finished(3))
    expect(frames).toHaveLength(1)
    expect(g.stats('direct', undefined)).toMatchObject({ framesReceived: 1, droppedInvalid: 0 })
  })

  it('counts a frame nested too deeply as invalid instead of overflowing the stack', () => {
    const { gate: g, frames } = gate()
    expect(() => g.acceptText(finished(200_000))).not.toThrow()
    g.acceptText(finished(101))
    expect(frames).toEqual([])
    expect(g.stats('direct', undefined)).toMatchObject({ framesReceived: 0, droppedInvalid: 2 })
    expect(g.stats('direct', undefined).drops['invalid-frame']).toBe(2)
  })
})
