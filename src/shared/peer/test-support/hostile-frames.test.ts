import { toBase64 } from 'lib0/buffer'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { forgesFutureEdits } from './hostile-frames'

const SENDER = 7
const OTHER = 9

function syncFrame(update: Uint8Array) {
  const encoder = encoding.createEncoder()
  syncProtocol.writeUpdate(encoder, update)
  return { type: 'sync', data: toBase64(encoding.toUint8Array(encoder)) }
}

/** The sender has typed "abc" (clocks 0–2); the frame carries what `change` then does. */
function frameAfter(change: (text: Y.Text) => void): ReturnType<typeof syncFrame> {
  const doc = new Y.Doc()
  doc.clientID = SENDER
  doc.getText('problem:0').insert(0, 'abc')
  const before = Y.encodeStateVector(doc)
  change(doc.getText('problem:0'))
  return syncFrame(Y.encodeStateAsUpdate(doc, before))
}

describe('forgesFutureEdits', () => {
  const states = new Map([
    [SENDER, 3],
    [OTHER, 5],
  ])

  it('tells new text under the sender’s id at clocks it has not reached', () => {
    expect(
      forgesFutureEdits(
        frameAfter((text) => text.insert(3, 'd')),
        SENDER,
        states,
      ),
    ).toBe(true)
  })

  it('lets replays of what the sender already sent and text under other ids through', () => {
    expect(
      forgesFutureEdits(
        frameAfter(() => undefined),
        SENDER,
        states,
      ),
    ).toBe(false)
    expect(
      forgesFutureEdits(
        frameAfter((text) => text.insert(3, 'd')),
        OTHER,
        states,
      ),
    ).toBe(false)
    expect(forgesFutureEdits({ type: 'sync', data: '!!' }, SENDER, states)).toBe(false)
    expect(forgesFutureEdits({ type: 'awareness', data: '' }, SENDER, states)).toBe(false)
  })

  it('tells deletions of characters nobody has yet, not of ones that exist', () => {
    /** The deletion of `client`'s character at `clock`, as its own document sends it. */
    const deleting = (client: number, clock: number) => {
      const doc = new Y.Doc()
      doc.clientID = client
      doc.getText('problem:0').insert(0, 'x'.repeat(clock + 1))
      const before = Y.encodeStateVector(doc)
      doc.getText('problem:0').delete(clock, 1)
      return syncFrame(Y.encodeStateAsUpdate(doc, before))
    }
    expect(forgesFutureEdits(deleting(OTHER, 4), SENDER, states)).toBe(false)
    expect(forgesFutureEdits(deleting(OTHER, 5), SENDER, states)).toBe(true)
    expect(forgesFutureEdits(deleting(SENDER, 3), SENDER, states)).toBe(true)
  })
})
