import { flushPromises } from '@vue/test-utils'
import { toBase64 } from 'lib0/buffer'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { memoryLinkPair, type MemoryLinkPair } from '../../../src/shared/sync/testing/memory-link'
import { createCandidateSession, type CandidateSession } from './candidate-session'

let pair: MemoryLinkPair
let session: CandidateSession

async function start(): Promise<void> {
  pair = memoryLinkPair()
  session = createCandidateSession({
    location: { pathname: `/s/${'A'.repeat(22)}`, hash: `#${'S'.repeat(43)}`, search: '', origin: 'http://x' },
    createLink: () => pair.b,
    fetchConfig: async () => ({ iceServers: [] }),
    openDocStore: async () => ({ clear: async () => undefined, destroy: async () => undefined }),
    storage: null,
    canEncrypt: () => true,
  })
  await session.start()
  pair.setMode('direct')
  pair.flush()
  await flushPromises()
}

/** What the host's side would send for one edit made in a document of its own. */
function sendUpdate(change: (doc: Y.Doc) => void): void {
  const doc = new Y.Doc()
  change(doc)
  const encoder = encoding.createEncoder()
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc))
  pair.a.send({ type: 'sync', data: toBase64(encoding.toUint8Array(encoder)) })
  pair.flush()
  doc.destroy()
}

const rootNames = (): string[] => [...session.doc.share.keys()].sort()

afterEach(async () => {
  await session.dispose()
})

describe('what the candidate page takes into its document from the host', () => {
  it('takes problem texts, and refuses any other part of a document whole', async () => {
    await start()
    sendUpdate((doc) => doc.getText('problem:0').insert(0, 'def f():\n'))
    expect(session.doc.getText('problem:0').toString()).toBe('def f():\n')

    sendUpdate((doc) => doc.getText('pro`mem:0').insert(0, 'x'))
    sendUpdate((doc) => doc.getMap('problem:1').set('k', 1))
    sendUpdate((doc) => {
      doc.getText('problem:0').insert(0, 'y')
      doc.getText('notes').insert(0, 'z')
    })
    expect(rootNames()).toEqual(['problem:0'])
    expect(session.doc.getText('problem:0').toString()).toBe('def f():\n')
  })

  it('takes no more problems than the session has, once the page knows how many', async () => {
    await start()
    sendUpdate((doc) => doc.getText('problem:4').insert(0, 'before the info'))
    expect(session.doc.getText('problem:4').toString()).toBe('before the info')

    pair.a.send({
      type: 'session.info',
      info: {
        title: 'Pairing',
        interviewerName: 'Ada',
        language: 'python',
        problems: [
          {
            title: 'One',
            difficulty: 'junior',
            description: 'Solve it.',
            entryFunction: 'f',
            starterCode: '',
            tests: [],
            timeoutMs: 1000,
          },
        ],
      },
    })
    pair.flush()
    expect(session.state.info?.problems).toHaveLength(1)
    sendUpdate((doc) => doc.getText('problem:1').insert(0, 'x'))
    expect(rootNames()).toEqual(['problem:4'])
  })
})
