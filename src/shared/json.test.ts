import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { JsonValueSchema, MAX_JSON_DEPTH, nestsWithin, parseMessage } from './json'

/** `[[…[]…]]`, `levels` arrays deep. */
function nested(levels: number): unknown {
  let value: unknown = []
  for (let i = 1; i < levels; i++) value = [value]
  return value
}

describe('nestsWithin', () => {
  it('counts levels of arrays and objects; scalars are none', () => {
    expect(nestsWithin(1, 0)).toBe(true)
    expect(nestsWithin([], 0)).toBe(false)
    expect(nestsWithin([[1], { a: 2 }], 2)).toBe(true)
    expect(nestsWithin([{ a: [1] }], 2)).toBe(false)
    expect(nestsWithin(nested(100), 100)).toBe(true)
    expect(nestsWithin(nested(101), 100)).toBe(false)
  })

  it('checks a value millions of levels deep without recursion', () => {
    expect(nestsWithin(nested(1_000_000), MAX_JSON_DEPTH)).toBe(false)
  })

  it('fails a cycle, and walks shared parts once per depth rather than once per path', () => {
    const cycle: unknown[] = []
    cycle.push(cycle)
    expect(nestsWithin(cycle, 100)).toBe(false)
    // 2^90 paths, 91 distinct arrays.
    let shared: unknown = 1
    for (let i = 0; i < 90; i++) shared = [shared, shared]
    expect(nestsWithin(shared, 100)).toBe(true)
    expect(nestsWithin(shared, 100, { tree: true })).toBe(false)
  })

  it('takes objects of another realm (structured clone) but not class instances for containers', () => {
    expect(nestsWithin(Object.create(null), 0)).toBe(false)
    expect(nestsWithin(new Map([[1, nested(200)]]), 1)).toBe(true)
  })
})

describe('JsonValueSchema', () => {
  it('refuses a value nested too deeply before its recursive schema can overflow the stack', () => {
    expect(JsonValueSchema.safeParse(nested(MAX_JSON_DEPTH)).success).toBe(true)
    const deep = JsonValueSchema.safeParse(nested(200_000))
    expect(deep.success).toBe(false)
    expect(deep.error?.issues[0]?.message).toMatch(/at most 100 levels/)
  })

  it('still refuses what JSON cannot hold', () => {
    expect(JsonValueSchema.safeParse(undefined).success).toBe(false)
    expect(JsonValueSchema.safeParse([Number.NaN]).success).toBe(false)
    expect(JsonValueSchema.safeParse({ a: [1, 'b', null, true] }).success).toBe(true)
  })
})

describe('parseMessage', () => {
  const Schema = z.object({ type: z.literal('x'), value: z.array(z.unknown()) })

  it('returns the parsed message, or null when it does not match', () => {
    expect(parseMessage(Schema, { type: 'x', value: [1] })).toEqual({ type: 'x', value: [1] })
    expect(parseMessage(Schema, { type: 'y', value: [] })).toBeNull()
  })

  it('refuses a message nested too deeply, or with shared parts, before parsing it', () => {
    expect(parseMessage(Schema, { type: 'x', value: [nested(200_000)] })).toBeNull()
    const part = [1]
    expect(parseMessage(Schema, { type: 'x', value: [part, part] })).toBeNull()
  })

  it('never throws, even when the schema does', () => {
    const throwing = z.unknown().transform(() => {
      throw new RangeError('Maximum call stack size exceeded')
    })
    expect(parseMessage(throwing, {})).toBeNull()
  })
})
