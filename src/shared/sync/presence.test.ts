import { describe, expect, it } from 'vitest'
import { problemIndexOf, problemTextName } from './doc'
import { presenceUserOf, remoteCursorCss } from './presence'

describe('presence', () => {
  it('reads only well-formed users', () => {
    expect(presenceUserOf({ user: { name: 'Ada', color: '#8250df' } })).toEqual({ name: 'Ada', color: '#8250df' })
    expect(presenceUserOf({ user: { name: 'Ada', color: 'red; background: url(x)' } })).toBeNull()
    expect(presenceUserOf({ user: { name: '', color: '#8250df' } })).toBeNull()
    expect(presenceUserOf(null)).toBeNull()
    expect(presenceUserOf('user')).toBeNull()
  })

  it('styles remote cursors only, with the name escaped inside the CSS string', () => {
    const css = remoteCursorCss(
      new Map<number, unknown>([
        [1, { user: { name: 'Me', color: '#000000' } }],
        [2, { user: { name: 'Ada "}</style><script>', color: '#8250df' } }],
        [3, { user: { name: 'Bad', color: 'expression(1)' } }],
      ]),
      1,
    )
    expect(css).not.toContain('yRemoteSelection-1 ')
    expect(css).not.toContain('yRemoteSelection-3')
    expect(css).toContain('.yRemoteSelection-2 { background-color: #8250df33; }')
    expect(css).toContain('content: "Ada \\22 \\7d \\3c \\2f style\\3e \\3c script\\3e "')
    expect(css).not.toMatch(/[<>]/)
  })
})

describe('the document layout', () => {
  it('names one text per problem', () => {
    expect(problemTextName(0)).toBe('problem:0')
    expect(problemIndexOf('problem:4')).toBe(4)
    expect(problemIndexOf('problem:04')).toBeNull()
    expect(problemIndexOf('state')).toBeNull()
    expect(() => problemTextName(-1)).toThrow(RangeError)
  })
})
