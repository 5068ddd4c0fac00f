import { describe, expect, it } from 'vitest'
import { BLOCK_CHARS, DISPLAY_LIMIT_CHARS, joinChunks, logOf, OutputLog } from './output-log'

describe('the output log', () => {
  it('joins writes to one stream into blocks, and starts a new block when the stream changes', () => {
    const log = new OutputLog()
    log.append({ stream: 'stdout', text: 'a' })
    log.append({ stream: 'stdout', text: 'b\n' })
    log.append({ stream: 'stderr', text: 'oops\n' })
    log.append({ stream: 'stdout', text: 'c' })
    const { blocks, hiddenChars } = log.view()
    expect(hiddenChars).toBe(0)
    expect(blocks.map((b) => [b.stream, b.text, b.opens])).toEqual([
      ['stdout', 'ab\n', true],
      ['stderr', 'oops\n', true],
      ['stdout', 'c', true],
    ])
  })

  it('keeps a flood of tiny writes in a few blocks of bounded size', () => {
    const log = new OutputLog()
    for (let i = 0; i < 100_000; i++) log.append({ stream: 'stdout', text: `line ${i % 10}\n` })
    const total = 100_000 * 7
    const { blocks, hiddenChars } = log.view()
    expect(blocks.every((b) => b.text.length <= BLOCK_CHARS)).toBe(true)
    expect(blocks.length).toBeLessThanOrEqual(Math.ceil(DISPLAY_LIMIT_CHARS / BLOCK_CHARS) + 1)
    const shown = blocks.reduce((sum, b) => sum + b.text.length, 0)
    expect(shown + hiddenChars).toBe(total)
    expect(shown).toBeLessThanOrEqual(DISPLAY_LIMIT_CHARS)
    expect(blocks.at(-1)?.text.endsWith('line 9\n')).toBe(true)
    // Continuation blocks of one stream are not announced again to a screen reader.
    expect(blocks.slice(1).every((b) => !b.opens)).toBe(true)
    expect(log.chunks()).toEqual([
      {
        stream: 'stdout',
        text: 'line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\n'.repeat(10_000),
      },
    ])
  })

  it('shows at most a set number of blocks when every write switches streams', () => {
    const log = new OutputLog()
    for (let i = 0; i < 5000; i++) log.append({ stream: i % 2 ? 'stderr' : 'stdout', text: 'x' })
    const { blocks, hiddenChars } = log.view(DISPLAY_LIMIT_CHARS, 100)
    expect(blocks).toHaveLength(100)
    expect(hiddenChars).toBe(4900)
  })

  it('never splits an emoji across blocks', () => {
    const log = new OutputLog()
    log.append({ stream: 'stdout', text: `${'a'.repeat(BLOCK_CHARS - 1)}😀b` })
    const { blocks } = log.view()
    expect(blocks.map((b) => b.text.length)).toEqual([BLOCK_CHARS - 1, 3])
    expect(blocks[1]?.text).toBe('😀b')
  })

  it('clears what the console shows but keeps it for the record', () => {
    const log = new OutputLog()
    log.append({ stream: 'stdout', text: 'before ' })
    log.clearDisplay()
    expect(log.view()).toEqual({ blocks: [], hiddenChars: 0 })
    log.append({ stream: 'stdout', text: 'after' })
    expect(log.view().blocks.map((b) => b.text)).toEqual(['after'])
    expect(log.chunks()).toEqual([{ stream: 'stdout', text: 'before after' }])
  })

  it('builds from a list of chunks and joins neighbours of one stream', () => {
    const chunks = [
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'b' },
      { stream: 'stderr', text: '' },
      { stream: 'stderr', text: 'c' },
    ] as const
    expect(joinChunks(chunks)).toEqual([
      { stream: 'stdout', text: 'ab' },
      { stream: 'stderr', text: 'c' },
    ])
    expect(logOf(chunks).chunks()).toEqual(joinChunks(chunks))
  })
})
