import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nobleBackend, webCryptoBackend } from './crypto-backend'
import type { LinkFrame } from './frames'
import { MAX_LINK_FRAME_BYTES, type PeerLink } from './link'
import { FakePeerNetwork } from './test-support/fake-peer'
import {
  DIRECT_TIMEOUT_REAL_MS,
  newMaterial,
  openGuest,
  openHost,
  registered,
  waitForModes,
  type LinkSetup,
  type Watched,
} from './test-support/link-pair'
import { startTestSignaling, type TestSignaling } from './test-support/server'
import { settle, waitFor } from './test-support/wait'

let signaling: TestSignaling
let network: FakePeerNetwork
let setup: LinkSetup
const links: PeerLink[] = []

function track<W extends Watched>(watched: W): W {
  links.push(watched.link)
  return watched
}

beforeEach(async () => {
  signaling = await startTestSignaling()
  network = new FakePeerNetwork()
  setup = { wsUrl: signaling.wsUrl, material: newMaterial(), createPeer: network.createPeer }
})

afterEach(async () => {
  for (const link of links.splice(0)) link.close()
  await signaling.close()
})

async function pair() {
  const host = track(openHost(setup))
  await registered(host)
  const guest = track(openGuest(setup))
  return { host, guest }
}

async function directPair() {
  const { host, guest } = await pair()
  await waitForModes('both direct', [
    [host, 'direct'],
    [guest, 'direct'],
  ])
  return { host, guest }
}

/** Relay blobs that crossed either socket. */
const relayCount = (...watched: Watched[]) =>
  watched.reduce((n, w) => n + w.tap.sent.filter((t) => t.includes('"type":"relay"')).length, 0)

describe('session link, direct mode', () => {
  it('negotiates through encrypted signaling, authenticates, and carries frames on the channel', async () => {
    const { host, guest } = await directPair()
    expect(host.modes()).toEqual(['connecting', 'direct'])
    expect(guest.modes()).toEqual(['connecting', 'direct'])
    guest.link.send({ type: 'candidate.hello', name: 'Ada Lovelace' })
    host.link.send({
      type: 'session.state',
      state: { status: 'live', currentProblem: 0, startedAt: 1, timeLimitMs: 60_000 },
    })
    await waitFor(() => host.frames.length === 1 && guest.frames.length === 1, 'frames')
    expect(host.frames).toEqual([{ type: 'candidate.hello', name: 'Ada Lovelace' }])
    expect(guest.frames[0]).toMatchObject({ type: 'session.state' })
    expect(relayCount(host, guest)).toBe(0)
    // The SDP went through the server only as ciphertext.
    const wire = host.tap.transcript() + guest.tap.transcript()
    expect(host.tap.receivedOfType('signal').length).toBeGreaterThanOrEqual(1)
    for (const text of ['fake-offer', 'fake-answer', 'candidate:fake', 'Ada Lovelace']) expect(wire).not.toContain(text)
  })

  it('applies the frame rules on the channel too: invalid and host-only frames are dropped and counted', async () => {
    const { host, guest } = await directPair()
    guest.link.send({ type: 'bye', reason: 'ended' })
    guest.link.send({ type: 'nope' } as never)
    guest.link.send({ type: 'ping', t: 1 })
    await waitFor(() => host.frames.length === 1, 'valid frame')
    expect(host.link.stats()).toMatchObject({
      framesReceived: 1,
      droppedInvalid: 2,
      drops: { 'host-only': 1, 'invalid-frame': 1 },
    })
  })

  it('carries a frame larger than a link frame in parts on the channel', async () => {
    const { host, guest } = await directPair()
    const description = 'A long statement, with "quotes", ünïcode and 😀. '.repeat(2_000)
    const info: LinkFrame = {
      type: 'session.info',
      info: {
        title: 'Long',
        interviewerName: 'Grace',
        language: 'python',
        problems: [
          {
            title: 'One',
            difficulty: 'junior',
            description,
            entryFunction: 'solve',
            starterCode: '',
            tests: [],
            timeoutMs: 5000,
          },
        ],
      },
    }
    expect(JSON.stringify(info).length).toBeGreaterThan(2 * MAX_LINK_FRAME_BYTES)
    host.link.send(info)
    host.link.send({ type: 'pong', t: 1 })
    await waitFor(() => guest.frames.length === 2, 'the large frame and the next')
    expect(guest.frames).toEqual([info, { type: 'pong', t: 1 }])
    expect(relayCount(host, guest)).toBe(0)
  })

  it('switches both sides to relay when the channel does not open in time', async () => {
    network.behaviour = 'never'
    const { host, guest } = await pair()
    const started = Date.now()
    await waitForModes('both relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    expect(Date.now() - started).toBeGreaterThanOrEqual(DIRECT_TIMEOUT_REAL_MS - 20)
    expect(host.modes()).toEqual(['connecting', 'relayed'])
    guest.link.send({ type: 'ping', t: 1 })
    await waitFor(() => host.frames.length === 1, 'relayed frame')
  })

  it('falls back to relay when the other side fails the HMAC challenge', async () => {
    network.behaviour = 'tamper'
    const { host, guest } = await pair()
    await waitForModes('both relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    expect(guest.link.stats().drops.unauthentic).toBe(1)
    expect(guest.modes()).toEqual(['connecting', 'relayed'])
  })

  it('shows a stalled channel as reconnecting, and direct again when it recovers', async () => {
    const { host, guest } = await directPair()
    network.stallAll()
    expect(host.mode()).toBe('reconnecting')
    expect(guest.mode()).toBe('reconnecting')
    network.recoverAll()
    expect(host.modes()).toEqual(['connecting', 'direct', 'reconnecting', 'direct'])
    guest.link.send({ type: 'ping', t: 1 })
    await waitFor(() => host.frames.length === 1, 'frame after recovery')
  })

  it('renegotiates once after the channel drops, and is direct again', async () => {
    const { host, guest } = await directPair()
    network.dropAll()
    await waitFor(() => host.mode() === 'reconnecting', 'host notices')
    await waitForModes('direct again', [
      [host, 'direct'],
      [guest, 'direct'],
    ])
    expect(host.modes()).toEqual(['connecting', 'direct', 'reconnecting', 'direct'])
    expect(network.transports.filter((t) => t.initiator)).toHaveLength(2)
    guest.link.send({ type: 'ping', t: 2 })
    await waitFor(() => host.frames.length === 1, 'frame on the new channel')
    expect(relayCount(host, guest)).toBe(0)
  })

  it('relays when the channel drops and the renegotiation fails', async () => {
    const { host, guest } = await directPair()
    network.behaviour = 'never'
    network.dropAll()
    await waitForModes('both relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    expect(host.modes()).toEqual(['connecting', 'direct', 'reconnecting', 'relayed'])
    host.link.send({ type: 'pong', t: 3 })
    await waitFor(() => guest.frames.length === 1, 'relayed frame')
  })

  it('keeps the channel when only the signaling socket drops', async () => {
    const { host, guest } = await directPair()
    guest.tap.sockets.at(-1)?.close()
    await waitFor(() => guest.link.stats().reconnects === 1, 'guest signaling back')
    await settle()
    expect(guest.modes()).toEqual(['connecting', 'direct'])
    expect(host.modes()).toEqual(['connecting', 'direct'])
    expect(network.transports).toHaveLength(2)
    guest.link.send({ type: 'ping', t: 4 })
    await waitFor(() => host.frames.length === 1, 'frame on the same channel')
  })

  it('stays relayed for the same page after its signaling reconnects, and tries direct for a new page', async () => {
    network.behaviour = 'never'
    const { host, guest } = await pair()
    await waitForModes('relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    network.behaviour = 'open'
    guest.tap.sockets.at(-1)?.close()
    await waitFor(() => guest.link.stats().reconnects === 1 && guest.mode() === 'relayed', 'same page relayed again')
    await settle()
    expect(network.transports.filter((t) => t.initiator)).toHaveLength(1)

    const fresh = track(openGuest(setup))
    await waitForModes('new page direct', [
      [host, 'direct'],
      [fresh, 'direct'],
    ])
    expect(guest.link.state()).toMatchObject({ mode: 'closed', reason: 'replaced' })
  })

  it('connects directly to a host app started again, not through the dead channel to the one before', async () => {
    const { host, guest } = await directPair()
    // The app is killed: its channel ends without a word, and the guest's end still looks open.
    network.killOfferers()
    const restarted = track(openHost(setup))
    await waitFor(() => host.mode() === 'closed', 'old host replaced')
    await waitForModes('direct with the new host', [
      [restarted, 'direct'],
      [guest, 'direct'],
    ])
    expect(restarted.modes()).toEqual(['connecting', 'direct'])
    expect(relayCount(restarted, guest)).toBe(0)
    restarted.link.send({ type: 'pong', t: 5 })
    await waitFor(() => guest.frames.length === 1, 'frame on the new channel')
  })

  it('authenticates a guest page without WebCrypto against a host with it', async () => {
    const host = track(openHost(setup, { crypto: webCryptoBackend }))
    await registered(host)
    const guest = track(openGuest(setup, setup.material.secret, { crypto: nobleBackend }))
    await waitForModes('both direct', [
      [host, 'direct'],
      [guest, 'direct'],
    ])
  })

  it('goes straight to relay when either side forces it', async () => {
    const host = track(openHost(setup))
    await registered(host)
    const guest = track(openGuest({ ...setup, forceRelay: true }))
    await waitForModes('relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    expect(host.modes()).toEqual(['connecting', 'relayed'])
  })
})
