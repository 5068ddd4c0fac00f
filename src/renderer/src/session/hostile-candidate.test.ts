import { flushPromises } from '@vue/test-utils'
import { toBase64 } from 'lib0/buffer'
import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { startSignalingServer, type SignalingServer } from '../../../../signaling/server'
import type { LinkFrame } from '../../../shared/peer/frames'
import type { PeerLink } from '../../../shared/peer/link'
import { createSessionLink, type HostSessionLink } from '../../../shared/peer/session-link'
import { SocketTap } from '../../../shared/peer/test-support/socket-tap'
import { waitFor } from '../../../shared/peer/test-support/wait'
import type { Session, SessionConnection } from '../../../shared/session'
import { splitMessage } from '../../../shared/sync/chunks'
import { problemText } from '../../../shared/sync/doc'
import { CANDIDATE_COLOR, PRESENCE_USER_FIELD, presenceUserOf } from '../../../shared/sync/presence'
import { connectSync, DEFAULT_MAX_SYNC_BYTES, type SyncEndpoint } from '../../../shared/sync/sync-endpoint'
import { watchProcessFaults, type ProcessFaults } from '../../../test-support/process-faults'
import { recordReliability } from '../../../test-support/reliability-log'
import { startRealHost, type RealHost } from '../test-support/real-host'
import { openLiveSession, type LiveSession } from './live-session'
import { applyRecording } from './replay'

/**
 * A candidate page that sends what no page of ours sends, through a real guest SessionLink and the
 * real signaling server (relay), to the real live session on the real host (SQLite). Nothing it
 * sends may change the session row, the recording or the host's document, and each frame is
 * counted as dropped: by the link's frame gate, by the live session, or refused by the server.
 */

const TWO_SUM_STARTER = 'def two_sum(nums, target):\n    pass\n'
const BRACKETS_STARTER = 'def is_balanced(s):\n    pass\n'

let signaling: SignalingServer
let faults: ProcessFaults
let host: RealHost
let session: Session
let live: LiveSession
let hostLink: HostSessionLink
let page: HostilePage
let idOf: (title: string) => number
let marks = 0
const cleanups: (() => Promise<void> | void)[] = []

/** The candidate's side: a real guest link, with a document and presence like the real page's. */
class HostilePage {
  readonly doc = new Y.Doc()
  readonly awareness = new Awareness(this.doc)
  readonly tap = new SocketTap()
  readonly link: PeerLink
  readonly sync: SyncEndpoint
  readonly frames: LinkFrame[] = []
  private pings = 0

  constructor(connection: SessionConnection) {
    this.link = createSessionLink({
      role: 'guest',
      roomId: connection.roomId,
      secret: connection.secret,
      signalingUrl: connection.signalingUrl,
      iceServers: [],
      forceRelay: true,
      WebSocketImpl: this.tap.WebSocketImpl,
      backoff: { baseMs: 20, maxMs: 200 },
    })
    this.link.onFrame((frame) => this.frames.push(frame))
    this.sync = connectSync({ doc: this.doc, awareness: this.awareness, link: this.link })
  }

  /** Any value, sealed into a valid relay envelope as the page's own link would send a frame. */
  send(value: unknown): void {
    this.link.send(value as LinkFrame)
  }

  /** A Yjs update as one sync message, chunked as the sync endpoint chunks what does not fit a frame. */
  sendUpdate(update: Uint8Array): void {
    const encoder = encoding.createEncoder()
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    const parts =
      message.length > DEFAULT_MAX_SYNC_BYTES ? splitMessage(message, 7, DEFAULT_MAX_SYNC_BYTES - 25) : [message]
    for (const part of parts) this.send({ type: 'sync', data: toBase64(part) })
  }

  /** A frame straight onto the page's signaling socket. */
  raw(frame: object): void {
    const socket = this.tap.sockets.at(-1)
    if (!socket) throw new Error('no signaling socket')
    socket.send(JSON.stringify(frame))
  }

  /**
   * Resolves once the host has handled everything sent before: the relay is ordered and the host
   * answers a ping as it handles it.
   */
  async barrier(): Promise<void> {
    const t = -++this.pings
    this.send({ type: 'ping', t })
    await waitFor(() => this.frames.some((f) => f.type === 'pong' && f.t === t), 'the host’s pong')
  }

  type(index: number, text: string): void {
    const target = problemText(this.doc, index)
    target.insert(target.length, text)
  }

  close(): void {
    this.sync.destroy()
    this.link.close()
    this.awareness.destroy()
    this.doc.destroy()
  }
}

interface StoredView {
  row: Pick<Session, 'status' | 'currentProblem' | 'timeLimitMs' | 'startedAt' | 'endedAt' | 'title'>
  timeline: string[]
  runs: string[]
}

/** What the host stored about the session: the row, the timeline and the runs. */
async function storedView(): Promise<StoredView> {
  const stored = await host.api.sessions.get({ id: session.id })
  const recording = await host.api.recording.load({ sessionId: session.id })
  const runs = await host.api.runs.list({ sessionId: session.id })
  return {
    row: {
      status: stored.status,
      currentProblem: stored.currentProblem,
      timeLimitMs: stored.timeLimitMs,
      startedAt: stored.startedAt,
      endedAt: stored.endedAt,
      title: stored.title,
    },
    // Link modes aside: closing the view records one of its own.
    timeline: recording.events
      .filter((e) => e.kind !== 'yjs' && e.kind !== 'mode')
      .map((e) => `${e.kind}:${e.problem ?? ''}:${e.data}`),
    runs: runs.map((r) => `${r.runId}:${r.status}`),
  }
}

/** What the live view holds: the document's texts and the interviewer's own presence. */
function liveView() {
  return {
    state: { ...live.state.session },
    names: [...live.doc.share.keys()].sort(),
    texts: [0, 1].map((i) => live.text(i).toString()),
    localPresence: live.awareness.getLocalState(),
  }
}

/** Polls an async check: the recorder stores its timeline every 250 ms. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The document the recording replays to, once the live view has flushed it. */
async function recordedDoc(): Promise<Y.Doc> {
  const doc = new Y.Doc()
  applyRecording(doc, await host.api.recording.load({ sessionId: session.id }))
  return doc
}

const drops = () => hostLink.stats().drops

/** Sends, waits until the host has handled it all, and says what was dropped where. */
async function attempt(send: () => void): Promise<{ gate: number; live: number }> {
  const gate0 = hostLink.stats().droppedInvalid
  const live0 = live.state.droppedFrames
  send()
  await page.barrier()
  await flushPromises()
  return { gate: hostLink.stats().droppedInvalid - gate0, live: live.state.droppedFrames - live0 }
}

/** The honest session still works both ways. */
async function stillSyncs(): Promise<void> {
  const mark = `# still here ${++marks}\n`
  page.type(0, mark)
  live.text(0).insert(live.text(0).length, `${mark}# host\n`)
  await waitFor(
    () => live.text(0).toString().includes(mark) && problemText(page.doc, 0).toString().includes(`${mark}# host\n`),
    'text typed on both sides',
  )
}

/** A Yjs update made on a copy of the page's document, so the page's own clock stays honest. */
function updateFrom(edit: (doc: Y.Doc) => void): Uint8Array {
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(page.doc))
  const before = Y.encodeStateVector(scratch)
  edit(scratch)
  const update = Y.encodeStateAsUpdate(scratch, before)
  scratch.destroy()
  return update
}

beforeAll(() => {
  faults = watchProcessFaults()
})

afterAll(() => {
  faults.stop()
})

beforeEach(async () => {
  signaling = await startSignalingServer({
    port: 0,
    host: '127.0.0.1',
    iceServers: [],
    log: () => undefined,
    // An 800 KB update is over the server's byte burst; the server's limits are tested in signaling/.
    limits: { bytesPerSecond: 1e9, byteBurst: 1e9 },
  })
  host = startRealHost({ signaling: { baseUrl: signaling.url, iceServers: [] } })
  const problems = (await host.api.problems.list({})).items
  idOf = (title: string): number => problems.find((p) => p.title === title)?.id ?? 0
  session = await host.api.sessions.create({
    language: 'python',
    timeLimitMinutes: 45,
    problems: { mode: 'pick', ids: [idOf('Two Sum'), idOf('Balanced Brackets')] },
  })
  const connection = await host.api.sessions.connection({ id: session.id })
  const hostTap = new SocketTap()
  hostLink = createSessionLink({
    role: 'host',
    roomId: connection.roomId,
    secret: connection.secret,
    hostToken: connection.hostToken,
    signalingUrl: connection.signalingUrl,
    iceServers: [],
    expiresAt: connection.expiresAt,
    forceRelay: true,
    WebSocketImpl: hostTap.WebSocketImpl,
  })
  const [loaded, recording] = await Promise.all([
    host.api.sessions.get({ id: session.id }),
    host.api.recording.load({ sessionId: session.id }),
  ])
  live = openLiveSession({ host: host.api, session: loaded, recording, link: hostLink })
  // A page that asks for the room before the host has registered it is told the link is unknown, for good.
  await waitFor(() => hostTap.received.some((text) => text.includes('"host.registered"')), 'the host’s room')
  page = new HostilePage(connection)
  page.awareness.setLocalStateField(PRESENCE_USER_FIELD, { name: 'Mallory', color: CANDIDATE_COLOR })
  await waitFor(
    () =>
      live.state.mode === 'relayed' &&
      live.state.session.status === 'live' &&
      page.sync.synced &&
      problemText(page.doc, 1).toString() === BRACKETS_STARTER,
    'the session live and synced',
  )
  page.send({ type: 'candidate.hello', name: 'Mallory' })
  await page.barrier()
  session = live.state.session
  // Everything the session start recorded is stored before a scenario takes its "before".
  await until(async () => (await storedView()).timeline.some((e) => e.startsWith('join:')), 'the join on the timeline')
  cleanups.push(async () => {
    page.close()
    await live.close()
    host.dispose()
    await signaling.close()
  })
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
  expect(faults.seen).toEqual([])
})

function report(scenario: string, tried: string, frames: number, refused: number): void {
  recordReliability({ area: 'hostile-input', scenario, tried, frames, refused, lost: 'nothing' })
}

describe('a candidate page sending frames it should not', () => {
  it('cannot change the problem, end the session or write session state', async () => {
    const stored = await storedView()
    const held = liveView()
    const stateFrames = [
      { type: 'session.state', state: { status: 'ended', currentProblem: 1, startedAt: 0, timeLimitMs: 1 } },
      { type: 'session.state', state: { status: 'live', currentProblem: 1, startedAt: null, timeLimitMs: null } },
      {
        type: 'session.info',
        info: { title: 'Spoofed', interviewerName: 'Mallory', language: 'javascript', problems: [] },
      },
      { type: 'bye', reason: 'ended' },
      { type: 'pong', t: 1, at: 0 },
    ]
    const outcome = await attempt(() => {
      for (const frame of stateFrames) page.send(frame)
    })
    expect(outcome).toEqual({ gate: stateFrames.length, live: 0 })
    expect(drops()['host-only']).toBe(stateFrames.length)

    // The page's own signaling socket: only the host may close the room.
    const errors = page.link.stats().serverErrors
    page.raw({ type: 'room.close' })
    await waitFor(() => page.link.stats().serverErrors === errors + 1, 'the server refusing room.close')
    await page.barrier()

    expect(liveView()).toEqual(held)
    expect(live.state.session.status).toBe('live')
    expect(page.frames.some((f) => f.type === 'bye')).toBe(false)
    expect(page.link.state().mode).toBe('relayed')
    await stillSyncs()
    await live.close()
    expect(await storedView()).toEqual(stored)
    report(
      'candidate writes session state',
      'session.state (ended, another problem, a 1 ms limit), session.info, bye and pong from the candidate, and room.close on its signaling socket',
      stateFrames.length + 1,
      stateFrames.length + 1,
    )
  })

  it('cannot extend or stop the timer, move the problem or end the session with made-up frames', async () => {
    const stored = await storedView()
    const held = liveView()
    const madeUp = [
      { type: 'timer.extend', minutes: 60 },
      { type: 'session.extend', addMs: 3_600_000 },
      { type: 'timer', timeLimitMs: null },
      { type: 'session.end' },
      { type: 'problem', index: 1 },
      { type: 'session.state' },
      { type: 'session.state', state: 'ended' },
      { type: 'candidate.hello', name: 'x', status: 'ended' },
      { type: 'event', kind: 'timer', problem: 0 },
      { type: 'event', kind: 'status', problem: 0, data: { status: 'ended' } },
    ]
    const outcome = await attempt(() => {
      for (const frame of madeUp) page.send(frame)
    })
    expect(outcome).toEqual({ gate: madeUp.length, live: 0 })
    expect(drops()['invalid-frame']).toBe(madeUp.length)
    expect(liveView()).toEqual(held)
    await stillSyncs()
    await live.close()
    expect(await storedView()).toEqual(stored)
    report(
      'candidate sends timer, problem and end frames',
      'made-up timer.extend, session.extend, session.end and problem frames, and timer or status events',
      madeUp.length,
      madeUp.length,
    )
  })

  it('cannot record hidden-test runs, runs of problems the session lacks, or touch another session’s runs', async () => {
    const other = await host.api.sessions.create({
      language: 'python',
      problems: { mode: 'pick', ids: [idOf('Two Sum')] },
    })
    await host.api.runs.record({
      sessionId: other.id,
      runId: 'theirs',
      problem: 0,
      side: 'candidate',
      kind: 'run',
      language: 'python',
      code: 'print("other session")\n',
      stdout: 'other session\n',
      stderr: '',
      status: 'ok',
      durationMs: 3,
      testResults: null,
      tMs: 0,
    })
    const otherRunsBefore = await host.api.runs.list({ sessionId: other.id })
    const stored = await storedView()
    const held = liveView()
    const run = { runId: 'r1', problem: 0, kind: 'run', language: 'python', code: 'print(1)\n', agoMs: 0 }
    const gateRefused = [
      { type: 'run.started', ...run, kind: 'hidden-tests' },
      { type: 'run.started', ...run, runId: '../../etc/passwd' },
      { type: 'run.started', ...run, problem: -1 },
      { type: 'run.finished', runId: 'r1', result: { status: 'ok', durationMs: -5, tests: null } },
      { type: 'run.output', runId: 'r1', stream: 'stdin', text: 'x' },
    ]
    const liveRefused = [
      { type: 'run.started', ...run, problem: 2 },
      { type: 'run.started', ...run, problem: 99, runId: 'far' },
      { type: 'run.output', runId: 'theirs', stream: 'stdout', text: 'injected\n' },
      { type: 'run.finished', runId: 'theirs', result: { status: 'error', durationMs: 1, tests: null } },
    ]
    const outcome = await attempt(() => {
      for (const frame of [...gateRefused, ...liveRefused]) page.send(frame)
    })
    expect(outcome).toEqual({ gate: gateRefused.length, live: liveRefused.length })
    expect(live.state.runs).toEqual([])
    expect(liveView()).toEqual(held)
    await stillSyncs()
    await live.close()
    expect(await storedView()).toEqual(stored)
    expect(await host.api.runs.list({ sessionId: other.id })).toEqual(otherRunsBefore)
    report(
      'candidate sends forbidden run frames',
      'hidden-test runs, runs of problems the session lacks, bad run ids, and output and ends for another session’s run',
      gateRefused.length + liveRefused.length,
      gateRefused.length + liveRefused.length,
    )
  })

  it('cannot write outside the problem texts: other names, missing problems, maps, embeds, formatting, oversized updates', async () => {
    const stored = await storedView()
    const held = liveView()
    const hostile: [string, (doc: Y.Doc) => void][] = [
      ['a map named session', (doc) => doc.getMap('session').set('status', 'ended')],
      ['a text named notes', (doc) => doc.getText('notes').insert(0, 'private notes')],
      ['problem 2 of 2', (doc) => doc.getText('problem:2').insert(0, 'x')],
      ['problem 99', (doc) => doc.getText('problem:99').insert(0, 'x')],
      ['problem:01', (doc) => doc.getText('problem:01').insert(0, 'x')],
      ['an array named problem:0', (doc) => doc.getArray('problem:0').insert(0, [1])],
      ['a map entry in problem:0', (doc) => doc.getMap('problem:0').set('k', 'v')],
      ['an embed', (doc) => doc.getText('problem:0').insertEmbed(0, { image: 'https://evil.example/x.png' })],
      ['a nested type', (doc) => doc.getText('problem:0').insertEmbed(0, new Y.Map())],
      ['formatting', (doc) => doc.getText('problem:0').insert(0, 'bold ', { bold: true })],
      ['a subdocument', (doc) => doc.getMap('docs').set('d', new Y.Doc())],
      ['an 800 KB insert', (doc) => doc.getText('problem:0').insert(0, 'x'.repeat(800_000))],
    ]
    const updates = hostile.map(([, edit]) => updateFrom(edit))
    const outcome = await attempt(() => {
      for (const update of updates) page.sendUpdate(update)
    })
    expect(outcome).toEqual({ gate: 0, live: hostile.length })
    expect(liveView()).toEqual(held)

    // The same path still takes an honest edit of a problem the session has.
    const honest = await attempt(() =>
      page.sendUpdate(updateFrom((doc) => doc.getText('problem:1').insert(0, '# ok\n'))),
    )
    expect(honest).toEqual({ gate: 0, live: 0 })
    expect(live.text(1).toString()).toBe(`# ok\n${BRACKETS_STARTER}`)
    await stillSyncs()

    await live.close()
    expect(await storedView()).toEqual(stored)
    const recorded = await recordedDoc()
    expect([...recorded.share.keys()].sort()).toEqual(['problem:0', 'problem:1'])
    expect(problemText(recorded, 0).toString()).toContain(TWO_SUM_STARTER.slice(0, 20))
    expect(problemText(recorded, 0).toString()).not.toContain('xxxx')
    expect(problemText(recorded, 1).toString()).toBe(`# ok\n${BRACKETS_STARTER}`)
    recorded.destroy()
    report(
      'candidate writes outside the problem texts',
      `Yjs updates to ${hostile.map(([name]) => name).join(', ')}`,
      hostile.length,
      hostile.length,
    )
  })

  it('cannot take over the interviewer’s presence or mark events for problems the session lacks', async () => {
    const stored = await storedView()
    const held = liveView()
    const hostClient = live.awareness.clientID
    const claim = (state: unknown, clock: number): string => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 1)
      encoding.writeVarUint(encoder, hostClient)
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarString(encoder, JSON.stringify(state))
      return toBase64(encoding.toUint8Array(encoder))
    }
    const frames = [
      { type: 'awareness', data: claim({ user: { name: 'Interviewer (real)', color: '#ff0000' } }, 1_000_000) },
      { type: 'awareness', data: claim(null, 2_000_000) },
      { type: 'event', kind: 'focus-lost', problem: 2 },
      { type: 'event', kind: 'paste', problem: 99, chars: 5000 },
    ]
    const outcome = await attempt(() => {
      for (const frame of frames) page.send(frame)
    })
    expect(outcome).toEqual({ gate: 0, live: frames.length })
    expect(presenceUserOf(live.awareness.getLocalState())).toEqual(presenceUserOf(held.localPresence))
    expect(liveView()).toEqual(held)
    await stillSyncs()
    await live.close()
    expect(await storedView()).toEqual(stored)
    report(
      'candidate claims the interviewer’s presence',
      'awareness updates under the interviewer’s client id (a new name, and removal), and timeline events for problems the session lacks',
      frames.length,
      frames.length,
    )
  })
})
