import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyTextChange } from './text-binding'

function pair(initial: string): [Y.Text, Y.Text, () => void] {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.getText('t').insert(0, initial)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const exchange = (): void => {
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  }
  return [a.getText('t'), b.getText('t'), exchange]
}

describe('a textarea edit on shared text', () => {
  it('changes only what changed, so the other side’s concurrent edit survives', () => {
    const [mine, theirs, exchange] = pair('def f(x):\n    pass\n')
    theirs.insert(theirs.length, '# theirs\n')
    applyTextChange(mine, 'def f(x, y):\n    pass\n')
    exchange()
    expect(mine.toString()).toBe('def f(x, y):\n    pass\n# theirs\n')
    expect(theirs.toString()).toBe(mine.toString())
  })

  it('handles deletions, replacements and repeated characters', () => {
    const [text] = pair('aaaa bbbb')
    applyTextChange(text, 'aaa bbbb')
    expect(text.toString()).toBe('aaa bbbb')
    applyTextChange(text, 'aaa cc bbbb')
    expect(text.toString()).toBe('aaa cc bbbb')
    applyTextChange(text, '')
    expect(text.toString()).toBe('')
  })
})
