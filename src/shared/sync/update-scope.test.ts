import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { problemText, seedProblems } from './doc'
import { isProblemTextUpdate, MAX_RECORDED_UPDATE_BYTES, staysInProblemTexts } from './update-scope'

/** A candidate's document that has the host's starter code, and the update one edit makes in it. */
function edit(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  seedProblems(doc, ['def a():\n    pass\n', 'def b():\n    pass\n'])
  const before = Y.encodeStateVector(doc)
  change(doc)
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return update
}

describe('isProblemTextUpdate', () => {
  it.each<[string, (doc: Y.Doc) => void]>([
    ['typing at the end', (doc) => problemText(doc, 0).insert(19, '    return 1\n')],
    ['typing in the middle', (doc) => problemText(doc, 1).insert(4, 'x')],
    ['deleting', (doc) => problemText(doc, 0).delete(0, 5)],
    [
      'replacing a selection',
      (doc) =>
        doc.transact(() => {
          problemText(doc, 1).delete(0, 3)
          problemText(doc, 1).insert(0, 'async def')
        }),
    ],
    ['a 200 KB paste', (doc) => problemText(doc, 0).insert(0, 'y'.repeat(200_000))],
    [
      'both problems in one go',
      (doc) => doc.transact(() => [0, 1].forEach((i) => problemText(doc, i).insert(0, '#\n'))),
    ],
  ])('takes %s', (_, change) => {
    expect(isProblemTextUpdate(edit(change), 2)).toBe(true)
  })

  it('takes the whole state of a page that edited and deleted, as a reconnect sends it', () => {
    const doc = new Y.Doc()
    seedProblems(doc, ['def a():\n    pass\n'])
    problemText(doc, 0).insert(0, 'import os\n')
    problemText(doc, 0).delete(0, 10)
    expect(isProblemTextUpdate(Y.encodeStateAsUpdate(doc), 1)).toBe(true)
  })

  it.each<[string, (doc: Y.Doc) => void]>([
    ['another root name', (doc) => doc.getText('notes').insert(0, 'x')],
    ['a problem the session lacks', (doc) => problemText(doc, 2).insert(0, 'x')],
    ['a problem name with a leading zero', (doc) => doc.getText('problem:01').insert(0, 'x')],
    ['a map', (doc) => doc.getMap('session').set('status', 'ended')],
    ['a map entry on a problem', (doc) => doc.getMap('problem:0').set('k', 1)],
    ['an array under a problem name', (doc) => doc.getArray('problem:1').insert(0, [1])],
    ['an embed', (doc) => problemText(doc, 0).insertEmbed(0, { image: 'x' })],
    ['formatting', (doc) => problemText(doc, 0).format(0, 3, { bold: true })],
    ['a nested type', (doc) => problemText(doc, 0).insertEmbed(0, new Y.Map())],
    ['a subdocument', (doc) => doc.getMap('m').set('d', new Y.Doc())],
    ['more than the recording stores', (doc) => problemText(doc, 0).insert(0, 'z'.repeat(MAX_RECORDED_UPDATE_BYTES))],
  ])('refuses %s', (_, change) => {
    expect(isProblemTextUpdate(edit(change), 2)).toBe(false)
  })

  it('refuses bytes that are not an update, without throwing', () => {
    expect(isProblemTextUpdate(new Uint8Array([1, 2, 3, 255, 255, 255, 255, 255]), 2)).toBe(false)
  })

  it('fits a recorded event: the base64 of the largest update is within the event data limit', () => {
    expect(Math.ceil(MAX_RECORDED_UPDATE_BYTES / 3) * 4).toBe(1_000_000)
  })
})

describe('staysInProblemTexts', () => {
  it('takes the host state of any size, as the candidate page gets it on joining', () => {
    const big = edit((doc) => problemText(doc, 0).insert(0, 'z'.repeat(MAX_RECORDED_UPDATE_BYTES)))
    expect(staysInProblemTexts(big, 2)).toBe(true)
    expect(isProblemTextUpdate(big, 2)).toBe(false)
  })

  it('refuses what is outside the problem texts, and bytes that are not an update', () => {
    const strayRoot = edit((doc) => doc.getText('pro`mem:0').insert(0, 'x'))
    const missingProblem = edit((doc) => problemText(doc, 2).insert(0, 'x'))
    expect(staysInProblemTexts(strayRoot, 2)).toBe(false)
    expect(staysInProblemTexts(missingProblem, 2)).toBe(false)
    expect(staysInProblemTexts(missingProblem, 3)).toBe(true)
    expect(staysInProblemTexts(new Uint8Array([1, 2, 3, 255, 255, 255, 255, 255]), 2)).toBe(false)
  })
})
