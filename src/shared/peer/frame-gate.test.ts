import { describe, expect, it } from 'vitest'
import { FrameGate } from './frame-gate'
import { splitFrame } from './frame-parts'
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

describe('FrameGate, frames in parts', () => {
  const bigInfo: LinkFrame = {
    type: 'session.info',
    info: { title: 'T', interviewerName: 'G', language: 'python', problems: [] },
  }
  const partsOf = (frame: LinkFrame | string): string[] =>
    (splitFrame(typeof frame === 'string' ? frame : JSON.stringify(frame), 3) ?? []).map((p) => JSON.stringify(p))
  const padded = (frame: LinkFrame): string => JSON.stringify(frame).replace(/}$/, `${' '.repeat(60_000)}}`)

  it('joins the parts and checks the whole frame like any other', () => {
    const g = new FrameGate('guest')
    const frames: LinkFrame[] = []
    g.frames.add((frame) => frames.push(frame))
    const parts = partsOf(padded(bigInfo))
    expect(parts.length).toBeGreaterThan(1)
    for (const part of parts) g.acceptText(part)
    expect(frames).toEqual([bigInfo])
    expect(g.stats('direct', undefined)).toMatchObject({ framesReceived: 1, droppedInvalid: 0 })
  })

  it('keeps host-only frames from the guest out in parts too, and refuses parts of parts', () => {
    const { gate: g, frames } = gate()
    for (const part of partsOf(padded(bigInfo))) g.acceptText(part)
    const inner = JSON.stringify({ type: 'part', id: 1, index: 0, count: 2, text: 'x'.repeat(60_000) })
    for (const part of partsOf(inner)) g.acceptText(part)
    expect(frames).toEqual([])
    expect(g.stats('direct', undefined).drops).toMatchObject({ 'host-only': 1, 'invalid-frame': 1 })
  })
})
