import { describe, expect, it } from 'vitest'
import { formatLogArguments } from './js-inspect'

class Point {
  x = 1
}

const show = (...args: unknown[]) => formatLogArguments(args, (error) => `${error.name}: ${error.message}`)

describe('console formatting', () => {
  it('prints values as Node does', () => {
    expect(show('text', 1, -0, 2n, true, null, undefined, Symbol('s'))).toBe(
      'text 1 -0 2n true null undefined Symbol(s)',
    )
    expect(show(['a', "it's"], { a: 1, 'b-c': [2] })).toBe(`[ 'a', "it's" ] { a: 1, 'b-c': [ 2 ] }`)
    expect(show(new Map([['k', { v: 1 }]]), new Set([1]))).toBe("Map(1) { 'k' => { v: 1 } } Set(1) { 1 }")
    expect(
      show(
        function named() {},
        () => 1,
        Point,
      ),
    ).toBe('[Function: named] [Function (anonymous)] [class Point]')
    expect(show(new Point())).toBe('Point { x: 1 }')
    const holey: number[] = []
    holey[1] = 1
    expect(show(Object.create(null), [], {}, holey)).toBe('[Object: null prototype] {} [] {} [ <1 empty item>, 1 ]')
    expect(show(new Uint8Array([1, 2]), new Date(0), /x/g)).toBe('Uint8Array(2) [ 1, 2 ] 1970-01-01T00:00:00.000Z /x/g')
    expect(show(new RangeError('bad'))).toBe('RangeError: bad')
  })

  it('cuts deep nesting and cycles, and never calls a getter', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic['self'] = cyclic
    let called = false
    const lazy = {
      get value() {
        called = true
        return 1
      },
    }
    expect(show({ a: { b: { c: { d: 1 } } } }, cyclic, lazy)).toBe(
      '{ a: { b: { c: [Object] } } } { a: 1, self: [Circular] } { value: [Getter] }',
    )
    expect(called).toBe(false)
  })

  it('breaks long values over lines, short items filled across them', () => {
    expect(show(Array.from({ length: 30 }, (_, i) => i))).toBe(
      '[\n  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,\n  22, 23, 24, 25, 26, 27, 28, 29\n]',
    )
    expect(show(Array.from({ length: 3 }, (_, i) => ({ id: i, name: `name number ${i}` })))).toBe(
      "[\n  { id: 0, name: 'name number 0' },\n  { id: 1, name: 'name number 1' },\n  { id: 2, name: 'name number 2' }\n]",
    )
    expect(show(Array.from({ length: 150 }, () => 0)).endsWith('... 50 more items\n]')).toBe(true)
  })

  it('applies format specifiers when the first argument has them', () => {
    expect(show('%s is %d (%i) %f %j %o %%', 'x', 4.5, 4.5, '2.5', { a: 1 }, [1], 'rest')).toBe(
      'x is 4.5 (4) 2.5 {"a":1} [ 1 ] % rest',
    )
    expect(show('100%', 'sure')).toBe('100% sure')
  })
})
