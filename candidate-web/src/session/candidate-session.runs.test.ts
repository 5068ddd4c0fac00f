import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { LinkFrame, SessionInfo } from '../../../src/shared/peer/frames'
import { memoryLinkPair, type LinkMode, type MemoryLinkPair } from '../../../src/shared/sync/testing/memory-link'
import { createCandidateSession, type CandidateSession } from './candidate-session'

const INFO: SessionInfo = {
  title: 'Pairing',
  interviewerName: 'Interviewer',
  language: 'python',
  problems: [
    {
      title: 'Echo',
      difficulty: 'junior',
      description: '',
      entryFunction: 'echo',
      starterCode: '',
      tests: [],
      timeoutMs: 5000,
    },
  ],
}

let pair: MemoryLinkPair
let session: CandidateSession
/** What the host end received, sync, awareness and clock pings aside. */
let received: LinkFrame[]

async function startSession(): Promise<void> {
  pair = memoryLinkPair()
  received = []
  pair.a.onFrame((frame) => {
    if (frame.type !== 'sync' && frame.type !== 'awareness' && frame.type !== 'ping') received.push(frame)
  })
  session = createCandidateSession({
    location: { pathname: `/s/${'A'.repeat(22)}`, hash: `#${'S'.repeat(43)}`, search: '', origin: 'http://x' },
    createLink: () => pair.b,
    fetchConfig: async () => ({ iceServers: [] }),
    openDocStore: async () => ({ clear: async () => undefined, destroy: async () => undefined }),
    storage: null,
    canEncrypt: () => true,
  })
  await session.start()
  await setMode('direct')
  pair.a.send({ type: 'session.info', info: INFO })
  pair.flush()
  session.join('Ada Lovelace')
  pair.flush()
}

async function setMode(mode: LinkMode): Promise<void> {
  pair.setMode(mode)
  pair.flush()
  await flushPromises()
}

afterEach(async () => {
  await session.dispose()
})

describe('the candidate session and its runs', () => {
  it('tells the host about a run, and after a drop sends what it kept once it has said hello again', async () => {
    await startSession()
    session.runs.started({ runId: 'r1', problem: 0, kind: 'run', language: 'python', code: 'print(1)\n' })
    pair.flush()
    expect(received.map((f) => f.type)).toEqual(['candidate.hello', 'run.started'])

    await setMode('reconnecting')
    session.runs.output('r1', { stream: 'stdout', text: '1\n' })
    session.runs.ended('r1', { status: 'ok', durationMs: 3, tests: null })
    pair.flush()
    expect(received).toHaveLength(2)

    await setMode('relayed')
    expect(received.slice(2)).toEqual([
      { type: 'candidate.hello', name: 'Ada Lovelace' },
      { type: 'run.output', runId: 'r1', stream: 'stdout', text: '1\n' },
      { type: 'run.finished', runId: 'r1', result: { status: 'ok', durationMs: 3, tests: null } },
    ])
  })

  it('ignores run frames sent to it: they only go from the candidate to the host', async () => {
    await startSession()
    const before = { ...session.state }
    pair.a.send({ type: 'run.started', runId: 'x', problem: 0, kind: 'run', language: 'python', code: '', agoMs: 0 })
    pair.a.send({ type: 'run.output', runId: 'x', stream: 'stdout', text: 'spoofed' })
    pair.a.send({ type: 'run.finished', runId: 'x', result: { status: 'ok', durationMs: 1, tests: null } })
    pair.flush()
    await flushPromises()
    expect({ ...session.state }).toEqual(before)
    expect(received.filter((f) => f.type.startsWith('run.'))).toEqual([])
  })
})
