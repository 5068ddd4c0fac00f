import { describe, expect, it } from 'vitest'
import { utf8Length } from '../run-output'
import { linkCanCarry, PartAssembler, splitFrame } from './frame-parts'
import { MAX_FRAME_PARTS, type LinkFrame, type PartFrame } from './frames'
import { MAX_LINK_FRAME_BYTES } from './link'

/** A session.info whose statements take `chars` characters each, with text JSON must escape. */
function info(chars: number, problems = 2): LinkFrame {
  const description = '# Title\n"quoted" \\ tab\t é ✓ 😀 \u0001 '.repeat(Math.ceil(chars / 34)).slice(0, chars)
  return {
    type: 'session.info',
    info: {
      title: 'Big one',
      interviewerName: 'Grace',
      language: 'python',
      problems: Array.from({ length: problems }, (_, i) => ({
        title: `Problem ${i}`,
        difficulty: 'junior' as const,
        description,
        entryFunction: 'solve',
        starterCode: 'def solve():\n    pass\n',
        tests: [],
        timeoutMs: 5000,
      })),
    },
  }
}

function joined(parts: readonly PartFrame[]): string | null {
  const assembler = new PartAssembler()
  let text: string | null = null
  for (const part of parts) {
    const result = assembler.accept(part)
    if (result.kind === 'broken') return null
    if (result.kind === 'complete') text = result.text
  }
  return text
}

describe('splitFrame', () => {
  it('cuts a large frame into parts that each fit a link frame and join back to the same JSON', () => {
    const text = JSON.stringify(info(60_000))
    const parts = splitFrame(text, 7)
    expect(parts).not.toBeNull()
    expect(parts?.length).toBeGreaterThan(2)
    for (const [index, part] of (parts ?? []).entries()) {
      expect(part).toMatchObject({ type: 'part', id: 7, index, count: parts?.length })
      expect(utf8Length(JSON.stringify(part))).toBeLessThanOrEqual(MAX_LINK_FRAME_BYTES)
    }
    expect(joined(parts ?? [])).toBe(text)
  })

  it(`refuses a frame that would take more than ${MAX_FRAME_PARTS} parts`, () => {
    const huge = info(200_000, 5)
    expect(splitFrame(JSON.stringify(huge), 0)).toBeNull()
    expect(linkCanCarry(huge)).toBe(false)
    expect(linkCanCarry(info(60_000))).toBe(true)
  })
})

describe('PartAssembler', () => {
  const text = JSON.stringify(info(60_000))
  const parts = splitFrame(text, 1) ?? []

  it('gives up a frame whose parts do not follow one another', () => {
    expect(parts.length).toBeGreaterThanOrEqual(3)
    const assembler = new PartAssembler()
    expect(assembler.accept(parts[0] as PartFrame)).toEqual({ kind: 'pending' })
    expect(assembler.accept(parts[2] as PartFrame)).toEqual({ kind: 'broken' })
    expect(assembler.accept(parts[1] as PartFrame)).toEqual({ kind: 'broken' })
  })

  it('counts a frame cut short by a new one as broken, and still joins the new one', () => {
    const assembler = new PartAssembler()
    assembler.accept(parts[0] as PartFrame)
    const again = splitFrame(text, 2) ?? []
    expect(assembler.accept(again[0] as PartFrame)).toEqual({ kind: 'broken' })
    let last = { kind: 'pending' } as ReturnType<PartAssembler['accept']>
    for (const part of again.slice(1)) last = assembler.accept(part)
    expect(last).toEqual({ kind: 'complete', text })
  })

  it('forgets a half-received frame on reset, so its late parts are refused', () => {
    const assembler = new PartAssembler()
    assembler.accept(parts[0] as PartFrame)
    assembler.reset()
    expect(assembler.accept(parts[1] as PartFrame)).toEqual({ kind: 'broken' })
  })
})
