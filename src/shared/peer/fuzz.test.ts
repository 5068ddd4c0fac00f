import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { startSignalingServer, type SignalingServer } from '../../../signaling/server'
import { fuzzSeed, Rng, Tally, toBase64, type Json } from '../../test-support/fuzz'
import { watchProcessFaults, type ProcessFaults } from '../../test-support/process-faults'
import { recordReliability } from '../../test-support/reliability-log'
import { SIGNALING_PATH, type Role } from '../signaling/protocol'
import { problemText, seedProblems } from '../sync/doc'
import { CANDIDATE_COLOR, INTERVIEWER_COLOR, PRESENCE_USER_FIELD } from '../sync/presence'
import { connectSync, type SyncEndpoint } from '../sync/sync-endpoint'
import { isProblemTextUpdate, staysInProblemTexts } from '../sync/update-scope'
import type { LinkFrame } from './frames'
import { deriveLinkKeys, newSecret, type LinkKeys } from './keys'
import type { DropReason, LinkStats } from './link'
import { seal, sealLabel } from './sealed'
import { FakePeerNetwork } from './test-support/fake-peer'
import {
  blobBytes,
  forgesFutureEdits,
  hostileText,
  hostileValue,
  isJson,
  VALID_FRAMES,
} from './test-support/hostile-frames'
import { newMaterial, openGuest, openHost, registered, waitForModes, type Watched } from './test-support/link-pair'
import { settle, waitFor } from './test-support/wait'

/**
 * Hostile input at the receiving side of a live link: real SessionLinks on both ends (the real
 * signaling server, the real SecureChannel and FrameGate), each with the real sync endpoint on a
 * Yjs document, as the interviewer's app and the candidate's page run them. Frames are thrown at
 * the host and at the guest, over the data channel and over the relay. Every frame must be
 * accounted for in the receiver's counters, nothing may throw, and the honest session must still
 * sync text afterwards.
 */

const SEED = fuzzSeed(process.env)
console.warn(`peer link fuzz: seed ${SEED} (DUET_FUZZ_SEED=${SEED} repeats these frames)`)

const DIRECT_FRAMES_PER_SIDE = 3000
const RELAY_SEALED_PER_SIDE = 1500
const RELAY_RAW_PER_SIDE = 1000

const STARTER = 'def two_sum(nums, target):\n    pass\n'

let signaling: SignalingServer
let wsUrl: string
let faults: ProcessFaults
const cleanups: (() => void)[] = []

beforeAll(async () => {
  faults = watchProcessFaults()
  signaling = await startSignalingServer({
    port: 0,
    host: '127.0.0.1',
    iceServers: [],
    log: () => undefined,
    // The server's own limits are fuzzed in signaling/fuzz.test.ts; here they must not drop frames.
    limits: { framesPerSecond: 1e9, frameBurst: 1e9, bytesPerSecond: 1e12, byteBurst: 1e12, floodCloseAfterDrops: 1e9 },
  })
  wsUrl = `ws://127.0.0.1:${signaling.port}${SIGNALING_PATH}`
})

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  expect(faults.seen).toEqual([])
})

afterAll(async () => {
  faults.stop()
  await signaling.close()
})

interface Side {
  role: Role
  watched: Watched
  doc: Y.Doc
  sync: SyncEndpoint
  syncDrops: Tally
}

interface Pair {
  host: Side
  guest: Side
  network: FakePeerNetwork
  keys: LinkKeys
}

function attach(role: Role, watched: Watched): Side {
  const doc = new Y.Doc()
  // Fixed client ids: frames captured from the session, and so the frames made from them, follow the seed.
  doc.clientID = (SEED % 1_000_000) * 2 + (role === 'host' ? 1 : 2)
  if (role === 'host') seedProblems(doc, [STARTER, ''])
  const awareness = new Awareness(doc)
  awareness.setLocalStateField(PRESENCE_USER_FIELD, {
    name: role === 'host' ? 'Interviewer' : 'Ada Lovelace',
    color: role === 'host' ? INTERVIEWER_COLOR : CANDIDATE_COLOR,
  })
  const syncDrops = new Tally()
  const sync = connectSync({
    doc,
    awareness,
    link: watched.link,
    onDrop: (reason) => syncDrops.add(reason),
    // As the live view and the candidate page do: each takes only text in the session's problems.
    acceptUpdate: (update: Uint8Array) =>
      role === 'host' ? isProblemTextUpdate(update, 2) : staysInProblemTexts(update, 2),
  })
  cleanups.push(() => {
    sync.destroy()
    watched.link.close()
    awareness.destroy()
    doc.destroy()
  })
  return { role, watched, doc, sync, syncDrops }
}

async function openPair(mode: 'direct' | 'relayed'): Promise<Pair> {
  const network = new FakePeerNetwork()
  const material = newMaterial()
  const setup = { wsUrl, material, forceRelay: mode === 'relayed', createPeer: network.createPeer }
  const hostLink = openHost(setup)
  const host = attach('host', hostLink)
  await registered(hostLink)
  const guest = attach('guest', openGuest(setup))
  await waitForModes(`both ${mode}`, [
    [host.watched, mode],
    [guest.watched, mode],
  ])
  await waitFor(() => host.sync.synced && guest.sync.synced && text(guest) === STARTER, 'first sync')
  return { host, guest, network, keys: await deriveLinkKeys(material.secret) }
}

const text = (side: Side): string => problemText(side.doc, 0).toString()

/** Both sides type; each must see the other's line. */
async function typeBothWays(pair: Pair, label: string): Promise<void> {
  const lines = { host: `# host ${label}\n`, guest: `# guest ${label}\n` }
  for (const side of [pair.host, pair.guest]) problemText(side.doc, 0).insert(text(side).length, lines[side.role])
  await waitFor(
    () => [pair.host, pair.guest].every((side) => text(side).includes(lines.host) && text(side).includes(lines.guest)),
    `both sides see the text typed ${label}`,
  )
}

/** Incoming frames the side has seen: taken or dropped. */
const arrived = (stats: LinkStats): number => stats.framesReceived + stats.droppedInvalid
const dropDelta = (after: LinkStats, before: LinkStats, reason: DropReason): number =>
  after.drops[reason] - before.drops[reason]

/** What both sides did during one scenario, relative to its start. */
function meter(victim: Side, sender: Side) {
  const v0 = victim.watched.link.stats()
  const s0 = sender.watched.link.stats()
  const sync0 = victim.sync.dropped
  return {
    /** Frames the sender's own link sent meanwhile: the frames under test sent through it, and honest replies. */
    senderSent: () => sender.watched.link.stats().framesSent - s0.framesSent,
    senderServerErrors: () => sender.watched.link.stats().serverErrors - s0.serverErrors,
    arrivedAtVictim: () => arrived(victim.watched.link.stats()) - arrived(v0),
    drop: (reason: DropReason) => dropDelta(victim.watched.link.stats(), v0, reason),
    received: () => victim.watched.link.stats().framesReceived - v0.framesReceived,
    syncDropped: () => victim.sync.dropped - sync0,
  }
}

/** Waits until the count holds and still holds a moment later (nothing more was on its way). */
async function settled(what: string, check: () => boolean): Promise<void> {
  await waitFor(check, what, 20_000)
  await settle(100)
  await waitFor(check, `${what}, still`, 5000)
}

const corpusOf = (pair: Pair): LinkFrame[] => [
  ...pair.host.watched.frames,
  ...pair.guest.watched.frames,
  ...VALID_FRAMES,
]
const other = (pair: Pair, role: Role): Side => (role === 'host' ? pair.guest : pair.host)

/**
 * Draws hostile frames for `sender` to send, drawing again (and counting) any that would forge
 * edits nobody has made yet: no receiver can tell one from an honest frame (see
 * `forgesFutureEdits`), so the session could not be expected to sync on after it.
 */
function drawFrames<T extends Json | string>(pair: Pair, sender: Side, draw: () => T) {
  const states = new Map<number, number>()
  for (const side of [pair.host, pair.guest]) {
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(side.doc))) {
      states.set(client, Math.max(clock, states.get(client) ?? 0))
    }
  }
  const forges = (frame: T): boolean => {
    const value = typeof frame === 'string' ? (isJson(frame) ? (JSON.parse(frame) as Json) : null) : frame
    return value !== null && forgesFutureEdits(value, sender.doc.clientID, states)
  }
  let redrawn = 0
  return {
    next(): T {
      let frame = draw()
      for (; forges(frame); redrawn++) frame = draw()
      return frame
    },
    redrawn: () => redrawn,
  }
}

describe(`hostile frames at the receiving side of the link (seed ${SEED})`, () => {
  it.each<Role>(['host', 'guest'])(
    'over the data channel: every one the %s gets is dropped and counted or taken as valid; the session syncs on',
    async (victimRole) => {
      const rng = new Rng(SEED + (victimRole === 'host' ? 1 : 2))
      const pair = await openPair('direct')
      await typeBothWays(pair, 'before')
      const victim = pair[victimRole]
      const sender = other(pair, victimRole)
      // The host offers, so its transport is the initiator; each end's transport delivers to the other.
      const transport = pair.network.open().find((t) => t.initiator === (victimRole === 'guest'))
      if (!transport) throw new Error('no open data channel')
      const corpus = corpusOf(pair)
      const frames = drawFrames(pair, sender, () => hostileText(rng, corpus))
      const m = meter(victim, sender)
      let notJson = 0
      for (let i = 0; i < DIRECT_FRAMES_PER_SIDE; i++) {
        const frame = frames.next()
        if (!isJson(frame)) notJson++
        expect(transport.send(frame)).toBe(true)
      }
      await settled('every frame accounted for', () => m.arrivedAtVictim() === DIRECT_FRAMES_PER_SIDE + m.senderSent())

      // Text that is not JSON is malformed; the rest is either refused by the schema (or as host-only
      // from the guest) or is a valid frame, which the sync endpoint applies or drops and counts.
      expect(m.drop('malformed')).toBe(notJson)
      expect(m.drop('invalid-frame') + m.drop('host-only') + m.received()).toBe(
        DIRECT_FRAMES_PER_SIDE - notJson + m.senderSent(),
      )
      expect([m.drop('unauthentic'), m.drop('stale')]).toEqual([0, 0])
      if (victimRole === 'guest') expect(m.drop('host-only')).toBe(0)
      expect(victim.watched.mode()).toBe('direct')

      await typeBothWays(pair, 'after')
      const refused = m.drop('malformed') + m.drop('invalid-frame') + m.drop('host-only')
      recordReliability({
        area: 'hostile-input',
        scenario: `fuzz: data channel frames at the ${victimRole}`,
        tried: `${DIRECT_FRAMES_PER_SIDE} random, truncated, bit-flipped, field-swapped, replayed, deeply nested and oversized frames straight onto an authenticated data channel (seed ${SEED})`,
        frames: DIRECT_FRAMES_PER_SIDE,
        refused,
        acceptedAsValid: DIRECT_FRAMES_PER_SIDE - refused,
        syncDropped: m.syncDropped(),
        redrawnAsForgeries: frames.redrawn(),
        lost: 'nothing',
      })
    },
  )

  it.each<Role>(['host', 'guest'])(
    'over the relay: sealed hostile frames and forged, altered and replayed blobs at the %s are all dropped and counted',
    async (victimRole) => {
      const rng = new Rng(SEED + (victimRole === 'host' ? 3 : 4))
      const pair = await openPair('relayed')
      await typeBothWays(pair, 'before')
      const victim = pair[victimRole]
      const sender = other(pair, victimRole)
      const corpus = corpusOf(pair)
      const strangerKeys = await deriveLinkKeys(newSecret())
      const blobs = (side: Side, type: 'relay' | 'signal'): string[] =>
        side.watched.tap.sent.flatMap((raw) => {
          const frame = JSON.parse(raw) as { type: string; data?: string }
          return frame.type === type && frame.data ? [frame.data] : []
        })
      const senderRelay = blobs(sender, 'relay')
      const victimRelay = blobs(victim, 'relay')
      // The guest's signal blobs are hellos: a replayed hello starts a session nobody completes (see
      // channel.ts), so only altered ones are sent to the host. The host's are welcomes: stale on replay.
      const senderSignal = blobs(sender, 'signal')
      expect(senderRelay.length).toBeGreaterThan(0)
      expect(victimRelay.length).toBeGreaterThan(0)
      expect(senderSignal.length).toBeGreaterThan(0)
      const socket = sender.watched.tap.sockets.at(-1)
      if (!socket) throw new Error('no signaling socket')
      const m = meter(victim, sender)

      // Valid envelopes, sealed by the sender's own link, around hostile bodies.
      const tooLargeBefore = sender.watched.link.stats().drops['too-large']
      const sealed = drawFrames(pair, sender, () => hostileValue(rng, corpus))
      for (let i = 0; i < RELAY_SEALED_PER_SIDE; i++) {
        sender.watched.link.send(sealed.next() as unknown as LinkFrame)
      }

      // Blobs straight onto the sender's signaling socket, each with the drop it must cause.
      const expected = new Tally()
      const inLabel = (purpose: 'relay' | 'signal') => sealLabel(purpose, sender.role)
      const forge = (key: LinkKeys['relay'], label: string, value: unknown): Promise<string> => seal(key, label, value)
      const forgeNotJson = async (): Promise<string> => {
        const iv = new Uint8Array(12)
        crypto.getRandomValues(iv)
        // 0xff is never valid UTF-8, so the opened bytes cannot be JSON.
        const plaintext = new Uint8Array([0xff, ...rng.bytes(20)])
        const sealed = await pair.keys.relay.encrypt(iv, plaintext, new TextEncoder().encode(inLabel('relay')))
        return toBase64(new Uint8Array([...iv, ...sealed]))
      }
      const altered = (blob: string): { data: string; reason: DropReason } => {
        let data = blob
        for (let tries = 0; tries < 10 && (data === blob || data.length < 4); tries++) data = mutateAnyBlob(blob)
        return { data, reason: blobBytes(data) < 28 ? 'malformed' : 'unauthentic' }
      }
      const mutateAnyBlob = (blob: string): string => {
        const bytes = Uint8Array.from(atob(blob), (ch) => ch.charCodeAt(0))
        const at = rng.int(bytes.length)
        if (rng.chance(0.3)) return toBase64(bytes.subarray(0, at))
        bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.int(8))
        return toBase64(bytes)
      }
      let serverRefusals = 0
      for (let i = 0; i < RELAY_RAW_PER_SIDE; i++) {
        const roll = rng.int(100)
        let type: 'relay' | 'signal' = 'relay'
        let data: string
        let reason: DropReason | 'server' = 'unauthentic'
        if (roll < 15) {
          // The sender's own blob again: the session refuses a number it has seen.
          data = rng.pick(senderRelay)
          reason = 'stale'
        } else if (roll < 25) {
          // The victim's own blob sent back: sealed for the other direction.
          data = rng.pick(victimRelay)
        } else if (roll < 45) {
          // A captured blob with bits flipped or cut short.
          ;({ data, reason } = altered(rng.pick(senderRelay)))
        } else if (roll < 55) {
          // A captured hello or welcome with bits flipped or cut short.
          type = 'signal'
          ;({ data, reason } = altered(rng.pick(senderSignal)))
        } else if (roll < 60 && victimRole === 'guest') {
          // A welcome the guest has already taken.
          type = 'signal'
          data = rng.pick(senderSignal)
          reason = 'stale'
        } else if (roll < 68) {
          // Random bytes that look like a blob.
          type = rng.chance(0.5) ? 'relay' : 'signal'
          data = toBase64(rng.bytes(4 + rng.int(80)))
          reason = blobBytes(data) < 28 ? 'malformed' : 'unauthentic'
        } else if (roll < 74) {
          // Sealed with another link's key.
          data = await forge(strangerKeys.relay, inLabel('relay'), { sid: 'a.b', seq: 1, body: VALID_FRAMES[0] })
        } else if (roll < 78) {
          // The real key around bytes that are not JSON.
          data = await forgeNotJson()
          reason = 'malformed'
        } else if (roll < 82) {
          // The real key around a frame with no session envelope.
          data = await forge(pair.keys.relay, inLabel('relay'), rng.pick(VALID_FRAMES))
          reason = 'malformed'
        } else if (roll < 88) {
          // The real key, for a session that is not this one.
          data = await forge(pair.keys.relay, inLabel('relay'), {
            sid: 'old.session',
            seq: 1 + rng.int(1000),
            body: rng.pick(VALID_FRAMES),
          })
          reason = 'stale'
        } else if (roll < 92) {
          // The real signal key, for a session that is not this one.
          type = 'signal'
          const body = rng.pick<Json>([{ k: 'relay' }, { k: 'welcome', plan: { mode: 'relay' } }])
          data = await forge(pair.keys.signal, inLabel('signal'), { sid: 'old.session', seq: 2, body })
          reason = 'stale'
        } else if (roll < 97) {
          // Not base64: the server refuses it.
          data = `${rng.text(40)}!`
          reason = 'server'
        } else {
          // Over 64 KiB: the server refuses it.
          data = 'A'.repeat(70_000)
          reason = 'server'
        }
        expected.add(reason)
        if (reason === 'server') serverRefusals++
        socket.send(JSON.stringify({ type, data }))
      }

      const forwarded = RELAY_RAW_PER_SIDE - serverRefusals
      await settled(
        'every frame and blob accounted for',
        () => m.senderServerErrors() === serverRefusals && m.arrivedAtVictim() === forwarded + m.senderSent(),
      )
      const tooLarge = sender.watched.link.stats().drops['too-large'] - tooLargeBefore
      expect(tooLarge).toBe(0)
      expect(m.drop('stale')).toBe(expected.get('stale'))
      expect(m.drop('unauthentic')).toBe(expected.get('unauthentic'))
      expect(m.drop('malformed')).toBe(expected.get('malformed'))
      // The sealed ones: refused by the schema or as host-only, or valid.
      expect(m.drop('invalid-frame') + m.drop('host-only') + m.received()).toBe(m.senderSent())
      expect(victim.watched.mode()).toBe('relayed')

      await typeBothWays(pair, 'after')
      const refused = ['stale', 'unauthentic', 'malformed', 'invalid-frame', 'host-only'].reduce(
        (sum, reason) => sum + m.drop(reason as DropReason),
        serverRefusals,
      )
      const frames = RELAY_SEALED_PER_SIDE + RELAY_RAW_PER_SIDE
      recordReliability({
        area: 'hostile-input',
        scenario: `fuzz: relayed frames at the ${victimRole}`,
        tried: `${RELAY_SEALED_PER_SIDE} hostile frames in valid envelopes and ${RELAY_RAW_PER_SIDE} replayed, reflected, altered, forged, random, non-base64 and oversized blobs through the signaling server (seed ${SEED})`,
        frames,
        refused,
        acceptedAsValid: frames - refused,
        syncDropped: m.syncDropped(),
        redrawnAsForgeries: sealed.redrawn(),
        lost: 'nothing',
      })
    },
  )
})
