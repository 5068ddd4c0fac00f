import { describe, expect, it } from 'vitest'
import type { OutputChunk } from '../../shared/exec/run'
import { ChunkFollower } from './chunk-follower'
import type { OutputView } from './output-log'

const text = (view: OutputView): string => view.blocks.map((b) => `${b.stream}:${b.text}`).join('|')

describe('following streamed output', () => {
  it('reads only what is new as the last chunk grows and new chunks come', () => {
    const follower = new ChunkFollower()
    const first: OutputChunk = { stream: 'stdout', text: 'a' }
    expect(text(follower.update([first]))).toBe('stdout:a')
    const grown: OutputChunk = { stream: 'stdout', text: 'abc' }
    expect(text(follower.update([grown]))).toBe('stdout:abc')
    const err: OutputChunk = { stream: 'stderr', text: 'x' }
    expect(text(follower.update([grown, err]))).toBe('stdout:abc|stderr:x')
    expect(text(follower.update([grown, { stream: 'stderr', text: 'xy' }, first]))).toBe(
      'stdout:abc|stderr:xy|stdout:a',
    )
    expect(text(follower.update([grown, { stream: 'stderr', text: 'xy' }, first]))).toBe(
      'stdout:abc|stderr:xy|stdout:a',
    )
  })

  it('starts again when the list is not a continuation', () => {
    const follower = new ChunkFollower()
    follower.update([
      { stream: 'stdout', text: 'one' },
      { stream: 'stderr', text: 'two' },
    ])
    expect(text(follower.update([{ stream: 'stdout', text: 'other' }]))).toBe('stdout:other')
    expect(text(follower.update([]))).toBe('')
    expect(text(follower.update([{ stream: 'stderr', text: 'new' }]))).toBe('stderr:new')
  })
})
