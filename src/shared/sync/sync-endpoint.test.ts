import { toBase64 } from 'lib0/buffer'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { problemText, seedProblems } from './doc'
import { presenceUserOf } from './presence'
import {
  connectSync,
  DEFAULT_MAX_SYNC_BYTES,
  PRESENCE_RENEW_MS,
  type DropReason,
  type SyncEndpoint,
} from './sync-endpoint'
import { MAX_LINK_FRAME_BYTES } from '../peer/link'
import { memoryLinkPair, type MemoryLinkEnd } from './testing/memory-link'

interface Side {
  doc: Y.Doc
  awareness: Awareness
  sync: SyncEndpoint
  drops: DropReason[]
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function side(link: MemoryLinkEnd, doc = new Y.Doc(), now?: () => number): Side {
  const awareness = new Awareness(doc)
  const drops: DropReason[] = []
  const sync = connectSync({ doc, awareness, link, now, onDrop: (reason) => drops.push(reason) })
  cleanups.push(() => {
    sync.destroy()
    awareness.destroy()
    doc.destroy()
  })
  return { doc, awareness, sync, drops }
}

function connected() {
  const pair = memoryLinkPair()
  const host = side(pair.a)
  const guest = side(pair.b)
  pair.setMode('direct')
  pair.flush()
  return { pair, host, guest }
}

const text = (s: Side, index = 0): string => problemText(s.doc, index).toString()

function syncFrame(build: (encoder: encoding.Encoder) => void): string {
  const encoder = encoding.createEncoder()
  build(encoder)
  return JSON.stringify({ type: 'sync', data: toBase64(encoding.toUint8Array(encoder)) })
}

describe('connectSync', () => {
  it('brings a new peer up to date and marks both sides synced', () => {
    const pair = memoryLinkPair()
    const host = side(pair.a)
    seedProblems(host.doc, ['def solve():\n    pass\n', 'function solve() {}\n'])
    const guest = side(pair.b)
    pair.setMode('direct')
    pair.flush()
    expect(text(guest, 0)).toBe('def solve():\n    pass\n')
    expect(text(guest, 1)).toBe('function solve() {}\n')
    expect(host.sync.synced && guest.sync.synced).toBe(true)
  })

  it('converges after concurrent edits on both sides', () => {
    const { pair, host, guest } = connected()
    problemText(host.doc, 0).insert(0, 'abc')
    pair.flush()
    problemText(host.doc, 0).insert(1, 'HOST')
    problemText(guest.doc, 0).insert(2, 'GUEST')
    problemText(guest.doc, 0).delete(0, 1)
    pair.flush()
    expect(text(host)).toBe(text(guest))
    expect(text(host)).toContain('HOST')
    expect(text(host)).toContain('GUEST')
    expect(text(host)).not.toContain('a')
  })

  it('does not echo the peer’s updates back', () => {
    const { pair, host, guest } = connected()
    const before = pair.b.sent.length
    problemText(host.doc, 0).insert(0, 'x')
    pair.flush()
    expect(text(guest)).toBe('x')
    expect(pair.b.sent.length).toBe(before)
  })

  it('merges edits made on both sides while the link was down', () => {
    const { pair, host, guest } = connected()
    problemText(host.doc, 0).insert(0, 'shared\n')
    pair.flush()
    pair.setMode('reconnecting')
    problemText(host.doc, 0).insert(0, 'host offline\n')
    problemText(guest.doc, 0).insert(7, 'guest offline\n')
    expect(pair.pending()).toBe(0)
    pair.setMode('relayed')
    pair.flush()
    expect(text(host)).toBe(text(guest))
    expect(text(host)).toContain('host offline\n')
    expect(text(host)).toContain('guest offline\n')
  })

  it('re-syncs when a fresh document (a reloaded page) meets the link', () => {
    const { pair, host, guest } = connected()
    problemText(guest.doc, 0).insert(0, 'typed before the refresh')
    pair.flush()
    // The page reloads: its document comes back from IndexedDB, and a new endpoint starts.
    const saved = Y.encodeStateAsUpdate(guest.doc)
    guest.sync.destroy()
    pair.setMode('reconnecting')
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, saved)
    problemText(reloaded, 0).insert(0, '> ')
    const again = side(pair.b, reloaded)
    pair.setMode('direct')
    pair.flush()
    expect(text(host)).toBe('> typed before the refresh')
    expect(text(again)).toBe(text(host))
  })

  it('syncs even when one side starts listening after the link opened', () => {
    const pair = memoryLinkPair()
    const host = side(pair.a)
    problemText(host.doc, 0).insert(0, 'from the host')
    pair.setMode('direct')
    pair.flush()
    const guest = side(pair.b)
    problemText(guest.doc, 0).insert(0, 'guest: ')
    pair.flush()
    expect(text(guest)).toBe(text(host))
    expect(text(host)).toContain('from the host')
    expect(text(host)).toContain('guest: ')
  })

  it('carries a 200 KB paste in frames that each fit the link', () => {
    const { pair, host, guest } = connected()
    const paste = 'x = "0123456789abcdef"  # filler line\n'.repeat(Math.ceil(200_000 / 38))
    const sentBefore = pair.a.sent.length
    problemText(host.doc, 0).insert(0, paste)
    pair.flush()
    expect(text(guest)).toBe(paste)
    const frames = pair.a.sent.slice(sentBefore)
    expect(frames.length).toBeGreaterThan(200_000 / DEFAULT_MAX_SYNC_BYTES)
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(MAX_LINK_FRAME_BYTES)
  })

  it('carries a 200 KB paste made while offline, in the reconnect step 2', () => {
    const { pair, host, guest } = connected()
    pair.setMode('reconnecting')
    const paste = 'y'.repeat(200_000)
    problemText(guest.doc, 1).insert(0, paste)
    pair.setMode('direct')
    pair.flush()
    expect(text(host, 1)).toBe(paste)
  })

  it('asks for a resync when a chunk is lost, and converges', () => {
    const { pair, host, guest } = connected()
    const paste = 'z'.repeat(150_000)
    problemText(host.doc, 0).insert(0, paste)
    pair.flush({ drop: (_json, index) => index === 1 })
    expect(guest.drops).toContain('sync-chunk-gap')
    pair.flush()
    expect(text(guest)).toBe(paste)
  })

  it('asks for a resync when an update is lost, and converges', () => {
    const { pair, host, guest } = connected()
    problemText(host.doc, 0).insert(0, 'one ')
    pair.flush({ drop: () => true })
    problemText(host.doc, 0).insert(4, 'two')
    pair.flush()
    expect(text(guest)).toBe('one two')
  })

  it('passes name, colour and cursor through awareness, and forgets them when the link drops', () => {
    const { pair, host, guest } = connected()
    host.awareness.setLocalStateField('user', { name: 'Ada (interviewer)', color: '#8250df' })
    const ytext = problemText(host.doc, 0)
    ytext.insert(0, 'print(1)')
    host.awareness.setLocalStateField('selection', {
      anchor: Y.createRelativePositionFromTypeIndex(ytext, 2),
      head: Y.createRelativePositionFromTypeIndex(ytext, 5),
    })
    pair.flush()
    const seen = guest.awareness.getStates().get(host.doc.clientID) as Record<string, unknown>
    expect(presenceUserOf(seen)).toEqual({ name: 'Ada (interviewer)', color: '#8250df' })
    const selection = seen.selection as { head: unknown }
    const head = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(selection.head),
      guest.doc,
    )
    expect(head?.index).toBe(5)
    pair.setMode('reconnecting')
    expect(guest.awareness.getStates().has(host.doc.clientID)).toBe(false)
    pair.setMode('direct')
    pair.flush()
    expect(presenceUserOf(guest.awareness.getStates().get(host.doc.clientID))?.name).toBe('Ada (interviewer)')
  })

  it('sends an unchanged presence only to renew it: typing at the cursor sends no cursor frame', () => {
    const pair = memoryLinkPair()
    let clock = 0
    const host = side(pair.a, new Y.Doc(), () => clock)
    const guest = side(pair.b)
    pair.setMode('direct')
    pair.flush()
    const ytext = problemText(host.doc, 0)
    // As y-monaco does on every cursor move: the cursor as relative positions.
    const putCursor = (index: number): void => {
      const at = Y.createRelativePositionFromTypeIndex(ytext, index)
      host.awareness.setLocalStateField('selection', { anchor: at, head: at })
    }
    const presenceFrames = (): number => pair.a.sent.filter((json) => json.includes('"awareness"')).length
    ytext.insert(0, 'print(1)')
    putCursor(8)
    pair.flush()
    const before = presenceFrames()

    for (const key of 'abc') {
      ytext.insert(ytext.length, key)
      putCursor(ytext.length)
      clock += 100
    }
    ytext.insert(0, '#')
    putCursor(ytext.length)
    pair.flush()
    expect(presenceFrames()).toBe(before)
    const seenHead = (): number | undefined => {
      const seen = guest.awareness.getStates().get(host.doc.clientID) as { selection: { head: unknown } }
      return Y.createAbsolutePositionFromRelativePosition(
        Y.createRelativePositionFromJSON(seen.selection.head),
        guest.doc,
      )?.index
    }
    // The cursor the guest knows still follows the text it sits in.
    expect(seenHead()).toBe(ytext.length)

    putCursor(3)
    pair.flush()
    expect(presenceFrames()).toBe(before + 1)
    expect(seenHead()).toBe(3)

    clock += PRESENCE_RENEW_MS - 1
    putCursor(3)
    expect(presenceFrames()).toBe(before + 1)
    clock += 1
    putCursor(3)
    expect(presenceFrames()).toBe(before + 2)
  })

  it('drops malformed sync and awareness data without throwing, and keeps working', () => {
    const { pair, host, guest } = connected()
    problemText(host.doc, 0).insert(0, 'kept')
    pair.flush()
    const bad = [
      JSON.stringify({ type: 'sync', data: toBase64(new Uint8Array([0xff, 0xff, 0xff])) }),
      JSON.stringify({ type: 'sync', data: '' }),
      syncFrame((e) => encoding.writeVarUint(e, 42)),
      syncFrame((e) => syncProtocol.writeUpdate(e, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))),
      syncFrame((e) => {
        encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
        encoding.writeVarUint8Array(e, new Uint8Array([9, 9, 9]))
      }),
      syncFrame((e) => {
        encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1)
        encoding.writeVarUint8Array(e, new Uint8Array([200]))
      }),
      syncFrame((e) => {
        encoding.writeVarUint(e, 100)
        encoding.writeVarUint(e, 7)
        encoding.writeVarUint(e, 5)
        encoding.writeVarUint(e, 2)
      }),
      JSON.stringify({ type: 'awareness', data: toBase64(new Uint8Array([1, 5, 1, 3, 123, 123, 123])) }),
      JSON.stringify({ type: 'awareness', data: toBase64(new Uint8Array([1, 5])) }),
    ]
    for (const json of bad) expect(() => pair.b.receive(json)).not.toThrow()
    expect(guest.drops).toHaveLength(bad.length)
    expect(guest.sync.dropped).toBe(guest.drops.length)
    expect(text(guest)).toBe('kept')
    pair.flush()
    problemText(host.doc, 0).insert(4, ' working')
    pair.flush()
    expect(text(guest)).toBe('kept working')
    expect(text(host)).toBe('kept working')
  })

  it('sends nothing after destroy', () => {
    const { pair, guest } = connected()
    guest.sync.destroy()
    const before = pair.b.sent.length
    problemText(guest.doc, 0).insert(0, 'not sent')
    guest.awareness.setLocalStateField('user', { name: 'Sam', color: '#1a7f37' })
    expect(pair.b.sent.length).toBe(before)
  })
})

describe('seedProblems', () => {
  it('never doubles the starter code, however often or wherever it runs', () => {
    const first = new Y.Doc()
    const second = new Y.Doc()
    seedProblems(first, ['start'])
    seedProblems(first, ['start'])
    seedProblems(second, ['start'])
    problemText(first, 0).insert(5, '!')
    Y.applyUpdate(second, Y.encodeStateAsUpdate(first))
    Y.applyUpdate(first, Y.encodeStateAsUpdate(second))
    expect(problemText(first, 0).toString()).toBe('start!')
    expect(problemText(second, 0).toString()).toBe('start!')
  })
})
