import { describe, expect, it } from 'vitest'
import { OutputSink } from './output-sink'
import { createOutputTailBuffer, OutputTailWriter, readOutputTail, type OutputTail } from './output-tail'
import type { OutputChunk } from './run'

function sink(limitBytes = 1_000_000, schedule?: (flush: () => void) => void, tail?: OutputTail) {
  let now = 0
  const posts: OutputChunk[][] = []
  let limits = 0
  const s = new OutputSink({
    limitBytes,
    post: (chunks) => posts.push(chunks),
    onLimit: () => limits++,
    now: () => now,
    ...(schedule ? { schedule } : {}),
    ...(tail ? { tail } : {}),
  })
  return {
    s,
    posts,
    limits: () => limits,
    advance: (ms: number) => (now += ms),
  }
}

describe('OutputSink', () => {
  it('posts the first writes of a window at once, then holds the rest for one batch', () => {
    const { s, posts, advance } = sink()
    for (let i = 0; i < 20; i++) s.write('stdout', `${i}\n`)
    expect(posts).toHaveLength(16)
    s.tick()
    expect(posts).toHaveLength(16)
    advance(16)
    s.tick()
    expect(posts).toHaveLength(17)
    expect(posts[16]).toEqual([{ stream: 'stdout', text: '16\n17\n18\n19\n' }])
  })

  it('keeps streams apart and in order inside a batch', () => {
    const { s, posts, advance } = sink()
    for (let i = 0; i < 16; i++) s.write('stdout', '.')
    s.write('stdout', 'a')
    s.write('stderr', 'b')
    s.write('stdout', 'c')
    s.write('stdout', 'd')
    advance(20)
    s.write('stderr', 'e')
    expect(posts.at(-1)).toEqual([
      { stream: 'stdout', text: 'a' },
      { stream: 'stderr', text: 'b' },
      { stream: 'stdout', text: 'cd' },
      { stream: 'stderr', text: 'e' },
    ])
  })

  it('sends a batch as soon as it is full', () => {
    const { s, posts } = sink()
    for (let i = 0; i < 16; i++) s.write('stdout', '.')
    s.write('stdout', 'x'.repeat(70 * 1024))
    expect(posts).toHaveLength(17)
  })

  it('schedules a flush for the held batch when the environment can', () => {
    const scheduled: (() => void)[] = []
    const { s, posts } = sink(1_000_000, (flush) => scheduled.push(flush))
    for (let i = 0; i < 18; i++) s.write('stdout', '.')
    expect(scheduled).toHaveLength(1)
    scheduled[0]?.()
    expect(posts.at(-1)).toEqual([{ stream: 'stdout', text: '..' }])
  })

  it('keeps the held-back batch in the tail, and only that batch', () => {
    const buffer = createOutputTailBuffer()
    const tail = new OutputTailWriter(buffer)
    tail.begin(1)
    const { s, posts, advance } = sink(1_000_000, undefined, tail)
    for (let i = 0; i < 16; i++) s.write('stdout', `${i}\n`)
    expect(readOutputTail(buffer, 1, posts.length)).toEqual([])
    s.write('stdout', '16\n')
    s.write('stderr', 'warn\n')
    expect(posts).toHaveLength(16)
    expect(readOutputTail(buffer, 1, posts.length)).toEqual([
      { stream: 'stdout', text: '16\n' },
      { stream: 'stderr', text: 'warn\n' },
    ])
    advance(16)
    s.tick()
    expect(posts).toHaveLength(17)
    expect(readOutputTail(buffer, 1, posts.length)).toEqual([])
  })

  it('posts a write at once when the tail has no room for it', () => {
    let appended = 0
    const full: OutputTail = {
      append: () => {
        appended++
        return false
      },
      posted: () => {},
    }
    const { s, posts } = sink(1_000_000, undefined, full)
    for (let i = 0; i < 18; i++) s.write('stdout', '.')
    expect(posts).toHaveLength(18)
    expect(appended).toBe(2)
  })

  it('stops at the limit in UTF-8 bytes without splitting a character, once', () => {
    const { s, posts, limits } = sink(7)
    s.write('stdout', 'ab')
    s.write('stdout', 'éé😀')
    s.write('stdout', 'more')
    expect(posts.flat().map((c) => c.text)).toEqual(['ab', 'éé'])
    expect(limits()).toBe(1)
    expect(s.limitReached).toBe(true)
    expect(s.roomBytes).toBe(1)
  })
})
