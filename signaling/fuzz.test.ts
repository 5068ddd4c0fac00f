import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  MAX_FRAME_BYTES,
  ServerFrameSchema,
  SIGNALING_CLOSE_CODES,
  SIGNALING_PROTOCOL_VERSION,
  type ClientFrame,
  type ServerFrame,
} from '../src/shared/signaling/protocol'
import {
  deepJson,
  flipBits,
  fuzzSeed,
  mutateFields,
  randomJson,
  Rng,
  Tally,
  truncate,
  type Json,
} from '../src/test-support/fuzz'
import { watchProcessFaults, type ProcessFaults } from '../src/test-support/process-faults'
import { recordReliability } from '../src/test-support/reliability-log'
import { DEFAULT_LIMITS } from './limits'
import {
  blob,
  HOUR,
  joinFrame,
  newRoom,
  openRoom,
  registerFrame,
  startTestServer,
  type RoomMaterial,
  type TestClient,
  type TestServer,
} from './test-support'

/**
 * Hostile input at the signaling server: real `ws` clients send random, mutated, oversized,
 * binary, replayed and flooding frames, and frames for rooms that do not exist, with wrong keys or
 * wrong host tokens, or after the server closed them. Each frame must come back as exactly one
 * answer (an error, or an acknowledgement when a mutation is still a valid registration or join) or
 * end in a close code the test expects, the process must see no unhandled error, and a legit room
 * must keep working end to end throughout and afterwards.
 */

const SEED = fuzzSeed(process.env)
console.warn(`signaling fuzz: seed ${SEED} (DUET_FUZZ_SEED=${SEED} repeats these frames)`)

const FUZZ_FRAMES = 10_000
/** A fresh connection every so many frames, so no connection reaches the rate limit by accident. */
const FRAMES_PER_CONNECTION = 150
const BYTES_PER_CONNECTION = 700 * 1024

let ts: TestServer
let faults: ProcessFaults
const open: (TestClient | Probe)[] = []

beforeAll(async () => {
  faults = watchProcessFaults()
  ts = await startTestServer()
})

afterAll(async () => {
  for (const client of open.splice(0)) client.close()
  await ts.server.close()
  faults.stop()
})

type Outcome = { kind: 'reply'; frame: ServerFrame } | { kind: 'closed'; code: number }

/** A raw client that sends one frame and waits for what the server does about it. */
class Probe {
  readonly ws: WebSocket
  private readonly replies: ServerFrame[] = []
  private closeCode: number | null = null
  private wake: (() => void) | null = null

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data: Buffer) => {
      this.replies.push(ServerFrameSchema.parse(JSON.parse(data.toString('utf8'))))
      this.notify()
    })
    ws.on('close', (code) => {
      this.closeCode = code
      this.notify()
    })
    // A send after the server closed the socket reports here; the close itself is what counts.
    ws.on('error', () => undefined)
  }

  static async connect(): Promise<Probe> {
    const ws = new WebSocket(ts.wsUrl)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    const probe = new Probe(ws)
    open.push(probe)
    return probe
  }

  get closed(): boolean {
    return this.closeCode !== null
  }

  /** Sends and resolves with the server's answer, or its close. */
  async exchange(data: string | Buffer, binary = false): Promise<Outcome> {
    this.ws.send(data, { binary })
    return this.next()
  }

  async next(): Promise<Outcome> {
    for (;;) {
      const reply = this.replies.shift()
      if (reply) return { kind: 'reply', frame: reply }
      if (this.closeCode !== null) return { kind: 'closed', code: this.closeCode }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = null
          resolve()
        }, 5000)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      if (this.replies.length === 0 && this.closeCode === null) throw new Error('no answer from the server in 5 s')
    }
  }

  /** Replies that came without a frame to answer (there must be none). */
  get unanswered(): ServerFrame[] {
    return this.replies
  }

  close(): void {
    this.ws.terminate()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }
}

const outcomeName = (outcome: Outcome): string =>
  outcome.kind === 'closed'
    ? `close ${outcome.code}`
    : outcome.frame.type === 'error'
      ? outcome.frame.code
      : outcome.frame.type

/** A legit room whose host and guest relay both ways: the server still serves it. */
async function relaysBothWays(host: TestClient, guest: TestClient, seq: number): Promise<void> {
  host.send({ type: 'relay', data: blob(), seq })
  expect((await guest.take('relay')).seq).toBe(seq)
  guest.send({ type: 'signal', data: blob(), seq: seq + 1 })
  expect((await host.take('signal')).seq).toBe(seq + 1)
}

interface Generated {
  kind: string
  data: string | Buffer
  binary?: boolean
  /** The one answer this frame must get; unset when a mutation may land anywhere. */
  expect?: string
}

/** Room material from the seeded generator rather than the system's randomness, so a seed repeats the same frames. */
function seededRoom(rng: Rng): RoomMaterial {
  const b64url = (bytes: number): string => Buffer.from(rng.bytes(bytes)).toString('base64url')
  const joinKey = b64url(32)
  return {
    roomId: b64url(16),
    hostToken: b64url(32),
    joinKey,
    joinKeyHash: createHash('sha256').update(joinKey).digest('base64url'),
  }
}

function generator(rng: Rng, legit: RoomMaterial, decoy: RoomMaterial, ended: RoomMaterial) {
  const later = (): number => ts.clock.now() + HOUR
  const randomBlob = (bytes = 48): string => Buffer.from(rng.bytes(bytes)).toString('base64')
  const corpus = (): Json[] =>
    [
      registerFrame(decoy, later()),
      joinFrame(decoy),
      registerFrame(seededRoom(rng), later()),
      joinFrame(legit, seededRoom(rng).joinKey),
      { type: 'relay', data: randomBlob(), seq: 1 },
      { type: 'signal', data: randomBlob(32) },
      { type: 'room.close' },
    ] as Json[]
  const text = (frame: unknown): string => JSON.stringify(frame)
  const required: Record<string, string[]> = {
    'host.register': ['type', 'v', 'roomId', 'hostToken', 'joinKeyHash', 'expiresAt'],
    'guest.join': ['type', 'v', 'roomId', 'joinKey'],
    relay: ['type', 'data'],
    signal: ['type', 'data'],
  }

  return (): Generated => {
    const roll = rng.int(100)
    const frames = corpus()
    const frame = rng.pick(frames)
    if (roll < 8) return { kind: 'bad JSON', data: rng.text(120) + '{', expect: 'bad-frame' }
    if (roll < 16) return { kind: 'truncated JSON', data: truncate(rng, text(frame)), expect: 'bad-frame' }
    if (roll < 24) return { kind: 'random JSON', data: text(randomJson(rng)), expect: 'bad-frame' }
    if (roll < 36) return { kind: 'fields mutated', data: text(mutateFields(rng, frame, rng.pick(frames))) }
    if (roll < 46) return { kind: 'bits flipped', data: flipBits(rng, text(frame)) }
    if (roll < 52) {
      const type = rng.pick(Object.keys(required))
      const full = frames.find((f) => (f as { type?: string }).type === type) as Record<string, Json>
      const missing = rng.pick(required[type] ?? ['type'])
      const rest = Object.fromEntries(Object.entries(full).filter(([key]) => key !== missing))
      return { kind: 'a required field missing', data: text(rest), expect: 'bad-frame' }
    }
    if (roll < 56) {
      const joining = rng.pick(frames.slice(0, 4)) as Record<string, Json>
      const wrongType = { ...joining, v: rng.pick<Json>(['1', 2, null, [1]]) }
      return { kind: 'wrong version type', data: text(wrongType), expect: 'bad-frame' }
    }
    if (roll < 59) {
      // Past the frame limit, short of the hard limit where ws cuts the connection instead.
      const size = MAX_FRAME_BYTES + 1 + rng.int(MAX_FRAME_BYTES - 100)
      const data = rng.chance(0.5) ? text({ type: 'relay', data: 'A'.repeat(size) }) : 'x'.repeat(size)
      return { kind: 'over 64 KiB', data, expect: 'too-large' }
    }
    if (roll < 63) {
      const data = rng.chance(0.5) ? Buffer.from(text(frame)) : Buffer.from(rng.bytes(1 + rng.int(512)))
      return { kind: 'binary', data, binary: true, expect: 'bad-frame' }
    }
    if (roll < 70) {
      return { kind: 'unknown room', data: text(joinFrame(seededRoom(rng))), expect: 'room-not-found' }
    }
    if (roll < 76)
      return { kind: 'wrong join key', data: text(joinFrame(legit, seededRoom(rng).joinKey)), expect: 'bad-key' }
    if (roll < 82) {
      const thief = { ...seededRoom(rng), roomId: legit.roomId }
      return { kind: 'wrong host token', data: text(registerFrame(thief, later())), expect: 'bad-key' }
    }
    if (roll < 88) {
      const replay = rng.pick<Json>([
        { type: 'relay', data: randomBlob(), seq: 7 },
        { type: 'signal', data: randomBlob() },
        { type: 'room.close' },
      ])
      return { kind: 'room frame before joining', data: text(replay), expect: 'not-joined' }
    }
    if (roll < 92) {
      const replay = rng.chance(0.5) ? registerFrame(ended, later()) : joinFrame(ended)
      return { kind: 'replay for an ended room', data: text(replay), expect: 'expired' }
    }
    if (roll < 95) {
      const deep = rng.chance(0.5) ? deepJson(20_000) : deepJson(5000, '{"type":', '}', '"relay"')
      return { kind: 'deep nesting', data: deep, expect: 'bad-frame' }
    }
    if (roll < 97) {
      const polluted = `{"type":"guest.join","v":${SIGNALING_PROTOCOL_VERSION},"roomId":"${seededRoom(rng).roomId}","joinKey":"${seededRoom(rng).joinKey}","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`
      return { kind: 'prototype pollution', data: polluted, expect: 'room-not-found' }
    }
    return { kind: 'fields mutated', data: text(mutateFields(rng, frame, randomJson(rng))) }
  }
}

describe(`the signaling server under hostile input (seed ${SEED})`, () => {
  it(`answers or closes for each of ${FUZZ_FRAMES} hostile frames, and keeps serving a legit room`, async () => {
    const rng = new Rng(SEED)
    const legitRoom = await openRoom(ts, seededRoom(rng))
    open.push(legitRoom.host, legitRoom.guest)
    const decoy = await openRoom(ts, seededRoom(rng))
    open.push(decoy.host, decoy.guest)
    const ended = await openRoom(ts, seededRoom(rng))
    open.push(ended.host, ended.guest)
    ended.host.send({ type: 'room.close' })
    await ended.guest.take('room.closed')

    const next = generator(rng, legitRoom.room, decoy.room, ended.room)
    const outcomes = new Tally()
    const mismatches: string[] = []
    let probe = await Probe.connect()
    let sentOnProbe = 0
    let bytesOnProbe = 0
    let taken = false
    for (let i = 0; i < FUZZ_FRAMES; i++) {
      const frame = next()
      const size = typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.length
      if (taken || sentOnProbe >= FRAMES_PER_CONNECTION || bytesOnProbe + size > BYTES_PER_CONNECTION) {
        probe.close()
        probe = await Probe.connect()
        sentOnProbe = 0
        bytesOnProbe = 0
      }
      sentOnProbe++
      bytesOnProbe += size
      const outcome = await probe.exchange(frame.data, frame.binary)
      const name = outcomeName(outcome)
      outcomes.add(name)
      if (frame.expect !== undefined && name !== frame.expect) {
        mismatches.push(`#${i} ${frame.kind}: ${name}, expected ${frame.expect}`)
      }
      // A mutation that is still a valid registration or join was taken: the next frame gets a fresh connection.
      taken = name === 'host.registered' || name === 'guest.joined'
    }
    probe.close()
    expect(mismatches).toEqual([])
    expect(outcomes.total()).toBe(FUZZ_FRAMES)
    // Every answer is a refusal, or a registration or join that a valid frame earns.
    const accepted = outcomes.get('host.registered') + outcomes.get('guest.joined')
    const refusals = ['bad-frame', 'too-large', 'room-not-found', 'bad-key', 'not-joined', 'expired', 'room-full']
    expect(refusals.reduce((n, code) => n + outcomes.get(code), accepted)).toBe(FUZZ_FRAMES)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()

    await relaysBothWays(legitRoom.host, legitRoom.guest, 1)
    expect(legitRoom.host.inbox).toEqual([])
    expect(legitRoom.guest.inbox).toEqual([])
    recordReliability({
      area: 'hostile-input',
      scenario: 'fuzz: signaling server',
      tried: `${FUZZ_FRAMES} bad JSON, wrong types, missing fields, oversized, binary, bit-flipped, deeply nested and prototype-polluting frames, unknown rooms, wrong join keys, wrong host tokens, replays for an ended room, room frames before joining (seed ${SEED})`,
      frames: FUZZ_FRAMES,
      refused: FUZZ_FRAMES - accepted,
      acceptedAsValid: accepted,
      lost: 'nothing',
    })
  })

  it('closes connections that send past the hard size limit or invalid UTF-8, and one that floods', async () => {
    const { host, guest } = await openRoom(ts)
    open.push(host, guest)
    const closes = new Tally()

    for (let i = 0; i < 3; i++) {
      const big = await Probe.connect()
      closes.add(outcomeName(await big.exchange('x'.repeat(DEFAULT_LIMITS.hardMaxPayloadBytes + 1))))
      const broken = await Probe.connect()
      closes.add(outcomeName(await broken.exchange(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false)))
    }
    expect(closes.counts).toEqual({
      [`close ${SIGNALING_CLOSE_CODES.tooLarge}`]: 3,
      'close 1007': 3,
    })

    // A flood: the burst is answered, the first frame past it gets one rate-limited, the rest
    // are dropped in silence until the connection is closed; frames sent after that go nowhere.
    const flood = await Probe.connect()
    const sent = 1000
    for (let i = 0; i < sent; i++) flood.ws.send('{}')
    const answers = new Tally()
    for (;;) {
      const outcome = await flood.next()
      answers.add(outcomeName(outcome))
      if (outcome.kind === 'closed') break
    }
    const burst = DEFAULT_LIMITS.frameBurst
    const silent = DEFAULT_LIMITS.floodCloseAfterDrops
    expect(answers.counts).toEqual({
      'bad-frame': burst,
      'rate-limited': 1,
      [`close ${SIGNALING_CLOSE_CODES.rateLimited}`]: 1,
    })
    const afterClose = sent - burst - 1 - silent

    await relaysBothWays(host, guest, 10)
    recordReliability({
      area: 'hostile-input',
      scenario: 'signaling server: oversize, invalid UTF-8 and flood',
      tried: `3 frames over the ${DEFAULT_LIMITS.hardMaxPayloadBytes / 1024} KiB hard limit, 3 text frames of invalid UTF-8, and a flood of ${sent} frames on one connection`,
      frames: 6 + sent,
      refused: 6 + sent,
      answered: burst + 1,
      droppedUntilClosed: silent,
      afterClose,
      lost: 'nothing',
    })
  })

  it('limits a flooding guest in a legit room without closing it, and ignores frames after a room closes', async () => {
    const { host, guest } = await openRoom(ts)
    open.push(host, guest)
    const relayedBefore = ts.server.stats().relayedFrames
    // Joining took one token of the burst.
    const flood = DEFAULT_LIMITS.frameBurst + 100
    for (let seq = 0; seq < flood; seq++) guest.send({ type: 'relay', data: blob(), seq })
    expect(await guest.error()).toBe('rate-limited')
    const passed = DEFAULT_LIMITS.frameBurst - 1
    for (let seq = 0; seq < passed; seq++) expect((await host.take('relay')).seq).toBe(seq)
    expect(ts.server.stats().relayedFrames - relayedBefore).toBe(passed)
    ts.clock.advance(5000)
    await relaysBothWays(host, guest, 1000)

    // Replays of the guest's own frames: the server holds no keys and forwards them; the
    // receiving link refuses them as stale (src/shared/peer/fuzz.test.ts).
    const captured: ClientFrame = { type: 'relay', data: blob(), seq: 5 }
    for (let i = 0; i < 20; i++) guest.send(captured)
    for (let i = 0; i < 20; i++) expect((await host.take('relay')).data).toBe(captured.data)

    // The host ends the room and keeps sending in the same breath: the server ignores it all.
    const afterClose = 25
    host.send({ type: 'room.close' })
    for (let seq = 0; seq < afterClose; seq++) host.send({ type: 'relay', data: blob(), seq })
    expect(await guest.take('room.closed')).toEqual({ type: 'room.closed', reason: 'ended' })
    expect((await host.closed).code).toBe(SIGNALING_CLOSE_CODES.roomClosed)
    expect((await guest.closed).code).toBe(SIGNALING_CLOSE_CODES.roomClosed)
    expect(host.inbox.filter((frame) => frame.type === 'error')).toEqual([])
    expect(guest.inbox).toEqual([])

    // A fresh room works end to end after everything above.
    const fresh = await openRoom(ts, newRoom())
    open.push(fresh.host, fresh.guest)
    await relaysBothWays(fresh.host, fresh.guest, 1)
    fresh.host.send({ type: 'room.close' })
    expect(await fresh.guest.take('room.closed')).toEqual({ type: 'room.closed', reason: 'ended' })
    expect(faults.seen).toEqual([])
    recordReliability({
      area: 'hostile-input',
      scenario: 'signaling server: a flooding guest, replays and frames after close in a legit room',
      tried: `${flood} relay frames at once from a joined guest, 20 replays of one captured frame, and ${afterClose} frames after room.close`,
      frames: flood + 20 + afterClose,
      refused: flood - passed + afterClose,
      forwarded: passed + 20,
      lost: 'nothing',
    })
  })
})
