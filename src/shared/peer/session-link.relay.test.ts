import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_BLOB_CHARS, MAX_FRAME_BYTES } from '../signaling/protocol'
import { MAX_FRAME_PARTS, type LinkFrame } from './frames'
import { nobleBackend, webCryptoBackend } from './crypto-backend'
import { deriveLinkKeys, newSecret } from './keys'
import { MAX_LINK_FRAME_BYTES, type PeerLink } from './link'
import { open, sealLabel } from './sealed'
import {
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
const links: PeerLink[] = []
let setup: LinkSetup

function track<W extends Watched>(watched: W): W {
  links.push(watched.link)
  return watched
}

beforeEach(async () => {
  signaling = await startTestSignaling()
  setup = { wsUrl: signaling.wsUrl, material: newMaterial(), forceRelay: true }
})

afterEach(async () => {
  for (const link of links.splice(0)) link.close()
  await signaling.close()
})

async function relayedPair() {
  const host = track(openHost(setup))
  await registered(host)
  const guest = track(openGuest(setup))
  await waitForModes('both relayed', [
    [host, 'relayed'],
    [guest, 'relayed'],
  ])
  return { host, guest }
}

const CODE = 'def two_sum(nums, target):  # SECRET-MARKER'
const syncFrame = (text: string): LinkFrame => ({ type: 'sync', data: Buffer.from(text).toString('base64') })

describe('session link, relay mode', () => {
  it('connects host and guest through the server and carries frames both ways, in order', async () => {
    const { host, guest } = await relayedPair()
    expect(host.modes()).toEqual(['connecting', 'relayed'])
    expect(guest.modes()).toEqual(['connecting', 'relayed'])
    expect(host.link.state()).toMatchObject({ mode: 'relayed', peerPresent: true })

    for (let i = 0; i < 20; i++) guest.link.send({ type: 'ping', t: i })
    guest.link.send({ type: 'candidate.hello', name: 'Ada Lovelace' })
    host.link.send({
      type: 'session.state',
      state: { status: 'live', currentProblem: 1, startedAt: 5, timeLimitMs: null },
    })
    host.link.send(syncFrame(CODE))
    await waitFor(() => host.frames.length === 21 && guest.frames.length === 2, 'frames')
    expect(host.frames.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, t) => ({ type: 'ping', t })))
    expect(host.frames[20]).toEqual({ type: 'candidate.hello', name: 'Ada Lovelace' })
    expect(guest.frames[1]).toEqual(syncFrame(CODE))
    expect(host.link.stats()).toMatchObject({ mode: 'relayed', framesSent: 2, framesReceived: 21, droppedInvalid: 0 })
    expect(guest.link.stats()).toMatchObject({ framesSent: 21, framesReceived: 2, droppedOutgoing: 0 })
  })

  it('lets the server see only ciphertext', async () => {
    const { host, guest } = await relayedPair()
    guest.link.send(syncFrame(CODE))
    guest.link.send({ type: 'candidate.hello', name: 'Grace Hopper' })
    host.link.send({ type: 'sync', data: Buffer.from(CODE).toString('base64') })
    host.link.send({ type: 'pong', t: 123456789 })
    await waitFor(() => host.frames.length === 2 && guest.frames.length === 2, 'frames')

    const wire = host.tap.transcript() + guest.tap.transcript()
    const plaintexts = [
      CODE,
      Buffer.from(CODE).toString('base64'),
      'Grace Hopper',
      'candidate.hello',
      '"sync"',
      '123456789',
      'pong',
      setup.material.secret,
    ]
    for (const text of plaintexts) expect(wire).not.toContain(text)
    // Every forwarded relay frame is a blob of ciphertext, nothing else.
    const relayed = [...host.tap.receivedOfType('relay'), ...guest.tap.receivedOfType('relay')]
    expect(relayed.length).toBeGreaterThanOrEqual(4)
    for (const frame of relayed) expect(Object.keys(frame).sort()).toEqual(['data', 'type'])
    for (const line of signaling.logs) for (const text of plaintexts) expect(line).not.toContain(text)
  })

  it('keeps a stranger with another secret out: refused by the server, and unable to read a blob', async () => {
    const { host } = await relayedPair()
    const stranger = track(openGuest(setup, newSecret()))
    await waitFor(() => stranger.mode() === 'closed', 'stranger refused')
    expect(stranger.link.state()).toMatchObject({ mode: 'closed', reason: 'bad-key' })
    expect(stranger.link.stats().serverErrors).toBe(1)
    expect(host.mode()).toBe('relayed')

    host.link.send(syncFrame(CODE))
    await waitFor(() => host.link.stats().framesSent === 1, 'sent')
    const blob = await firstRelayBlob(host)
    const strangerKeys = await deriveLinkKeys(newSecret())
    expect(await open(strangerKeys.relay, sealLabel('relay', 'host'), blob)).toEqual({
      ok: false,
      failure: 'unauthentic',
    })
    const rightKeys = await deriveLinkKeys(setup.material.secret)
    expect((await open(rightKeys.relay, sealLabel('relay', 'host'), blob)).ok).toBe(true)
  })

  it('closes at once, with no connection, when the secret is malformed', async () => {
    const guest = track(openGuest(setup, 'not-a-secret'))
    expect(guest.link.state()).toMatchObject({ mode: 'closed', reason: 'bad-key' })
    await settle(50)
    expect(guest.tap.sockets).toHaveLength(0)
  })

  it('drops and counts tampered, replayed and reflected blobs', async () => {
    const { host, guest } = await relayedPair()
    guest.link.send({ type: 'ping', t: 1 })
    await waitFor(() => host.frames.length === 1, 'first frame')
    const [forwarded] = host.tap.receivedOfType('relay')
    const data = forwarded?.data as string

    // A malicious server replays the blob, alters it, or sends the host its own blob back.
    host.tap.inject(JSON.stringify({ type: 'relay', data }))
    host.tap.inject(
      JSON.stringify({ type: 'relay', data: `${data.slice(0, 20)}${data[20] === 'A' ? 'B' : 'A'}${data.slice(21)}` }),
    )
    host.link.send({ type: 'pong', t: 1 })
    await waitFor(() => guest.frames.length === 1, 'host frame')
    const hostBlob = host.tap.sent
      .map((text) => JSON.parse(text) as { type: string; data?: string })
      .find((f) => f.type === 'relay')
    host.tap.inject(JSON.stringify({ type: 'relay', data: hostBlob?.data }))
    await waitFor(() => host.link.stats().droppedInvalid === 3, 'drops counted')
    expect(host.link.stats().drops).toMatchObject({ stale: 1, unauthentic: 2 })
    expect(host.frames).toHaveLength(1)

    // The link still works afterwards.
    guest.link.send({ type: 'ping', t: 2 })
    await waitFor(() => host.frames.length === 2, 'next frame')
  })

  it('drops and counts frames that are not valid link frames, and host-only frames from the guest', async () => {
    const { host, guest } = await relayedPair()
    const invalid = [
      { type: 'nope' },
      { type: 'ping' },
      { type: 'sync', data: 'not base64!' },
      { type: 'candidate.hello', name: 'x' },
    ] as unknown as LinkFrame[]
    for (const frame of invalid) guest.link.send(frame)
    guest.link.send({
      type: 'session.state',
      state: { status: 'ended', currentProblem: 0, startedAt: null, timeLimitMs: null },
    })
    guest.link.send({ type: 'bye', reason: 'ended' })
    guest.link.send({ type: 'ping', t: 7 })
    await waitFor(() => host.frames.length === 1, 'valid frame')
    expect(host.frames).toEqual([{ type: 'ping', t: 7 }])
    expect(host.link.stats()).toMatchObject({ droppedInvalid: 6, drops: { 'invalid-frame': 4, 'host-only': 2 } })

    host.link.send({ type: 'bye', reason: 'ended' })
    await waitFor(() => guest.frames.length === 1, 'host-only frame reaches the guest')
    expect(guest.frames).toEqual([{ type: 'bye', reason: 'ended' }])
  })

  it(`relays a frame of exactly ${MAX_LINK_FRAME_BYTES} bytes whole, a larger one in parts, and refuses one past ${MAX_FRAME_PARTS} parts locally`, async () => {
    const { host, guest } = await relayedPair()
    const overhead = JSON.stringify({ type: 'sync', data: '' }).length
    const biggest: LinkFrame = { type: 'sync', data: 'A'.repeat(MAX_LINK_FRAME_BYTES - overhead) }
    expect(JSON.stringify(biggest).length).toBe(MAX_LINK_FRAME_BYTES)
    const larger: LinkFrame = { type: 'sync', data: 'B'.repeat(MAX_LINK_FRAME_BYTES - overhead + 1) }
    guest.link.send(biggest)
    guest.link.send(larger)
    guest.link.send({ type: 'sync', data: 'C'.repeat(MAX_FRAME_PARTS * MAX_LINK_FRAME_BYTES) })
    // Multi-byte characters count as bytes: 'é' is two.
    guest.link.send({ type: 'candidate.hello', name: 'é'.repeat(40) })
    await waitFor(() => host.frames.length === 3, 'biggest frame, the larger one and the hello')
    expect(host.frames[0]).toEqual(biggest)
    expect(host.frames[1]).toEqual(larger)
    expect(host.frames[2]).toMatchObject({ type: 'candidate.hello' })
    expect(guest.link.stats()).toMatchObject({ framesSent: 4, droppedOutgoing: 1, drops: { 'too-large': 1 } })
    expect(host.link.stats()).toMatchObject({ framesReceived: 3, droppedInvalid: 0 })
    const sentBlobs = guest.tap.sent
      .map((t) => JSON.parse(t) as { type: string; data?: string })
      .filter((f) => f.type === 'relay')
    expect(sentBlobs).toHaveLength(4)
    for (const blob of sentBlobs) expect(blob.data?.length).toBeLessThanOrEqual(MAX_BLOB_CHARS)
    expect(Math.max(...guest.tap.sent.map((t) => t.length))).toBeLessThanOrEqual(MAX_FRAME_BYTES)
    expect(signaling.logs.some((line) => line.includes('too-large'))).toBe(false)
  })

  it('counts frames sent while not connected, instead of sending them', async () => {
    const host = track(openHost(setup))
    host.link.send({ type: 'ping', t: 1 })
    await waitFor(() => host.link.state().mode === 'connecting' && host.tap.sockets.length === 1, 'host up')
    host.link.send({ type: 'ping', t: 2 })
    expect(host.link.stats()).toMatchObject({ framesSent: 0, droppedOutgoing: 2, drops: { 'not-connected': 2 } })
  })

  it('reports the guest absent when it leaves, and takes a new page', async () => {
    const { host, guest } = await relayedPair()
    guest.link.close()
    await waitFor(() => host.mode() === 'reconnecting', 'host reconnecting')
    expect(host.link.state()).toMatchObject({ mode: 'reconnecting', peerPresent: false })
    expect(guest.link.state()).toMatchObject({ mode: 'closed', reason: 'closed' })
    const again = track(openGuest(setup))
    await waitForModes('relayed again', [
      [host, 'relayed'],
      [again, 'relayed'],
    ])
    again.link.send({ type: 'ping', t: 3 })
    await waitFor(() => host.frames.some((f) => f.type === 'ping' && f.t === 3), 'frame from the new page')
  })

  it('hands the session to a second tab and tells the first one why it closed', async () => {
    const { host, guest } = await relayedPair()
    const second = track(openGuest(setup))
    await waitFor(() => guest.mode() === 'closed' && second.mode() === 'relayed', 'takeover')
    expect(guest.link.state()).toMatchObject({ mode: 'closed', reason: 'replaced' })
    // The host saw the session change, so whatever runs over the link can resync with the new tab.
    await waitFor(() => host.mode() === 'relayed', 'host relayed')
    expect(host.modes()).toEqual(['connecting', 'relayed', 'reconnecting', 'relayed'])
    second.link.send({ type: 'ping', t: 42 })
    host.link.send({ type: 'pong', t: 42 })
    await waitFor(() => host.frames.length === 1 && second.frames.length === 1, 'frames with the new tab')
    guest.link.send({ type: 'ping', t: 0 })
    await settle()
    expect(host.frames).toEqual([{ type: 'ping', t: 42 }])
  })

  it('picks up again when the host signaling socket drops', async () => {
    const { host, guest } = await relayedPair()
    host.tap.sockets.at(-1)?.close()
    await waitFor(() => host.link.stats().reconnects === 1, 'host back')
    await waitForModes('relayed again', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    expect(guest.modes()).toEqual(['connecting', 'relayed', 'reconnecting', 'relayed'])
    guest.link.send({ type: 'ping', t: 8 })
    await waitFor(() => host.frames.length === 1, 'frame after the host reconnected')
  })

  it('lets a restarted app take the room back with its host token; the old host link is told', async () => {
    const { host, guest } = await relayedPair()
    const restarted = track(openHost(setup))
    await waitFor(() => host.mode() === 'closed', 'old host replaced')
    expect(host.link.state()).toMatchObject({ mode: 'closed', reason: 'replaced' })
    await waitForModes('relayed with the new host', [
      [restarted, 'relayed'],
      [guest, 'relayed'],
    ])
    restarted.link.send({ type: 'pong', t: 9 })
    await waitFor(() => guest.frames.length === 1, 'frame from the new host')
  })

  it('resumes relaying after the signaling server restarts', async () => {
    const { host, guest } = await relayedPair()
    await signaling.restart()
    await waitForModes(
      'reconnected',
      [
        [host, 'relayed'],
        [guest, 'relayed'],
      ],
      10_000,
    )
    expect(host.modes()).toEqual(['connecting', 'relayed', 'reconnecting', 'relayed'])
    expect(guest.modes()).toEqual(['connecting', 'relayed', 'reconnecting', 'relayed'])
    guest.link.send({ type: 'ping', t: 1 })
    host.link.send({ type: 'pong', t: 1 })
    await waitFor(() => host.frames.length === 1 && guest.frames.length === 1, 'frames after restart')
    expect(host.link.stats().reconnects).toBe(1)
    expect(guest.link.stats().reconnects).toBeGreaterThanOrEqual(1)
  })

  it('ends the room for both when the host ends it', async () => {
    const { host, guest } = await relayedPair()
    host.link.endRoom()
    await waitFor(() => guest.mode() === 'closed', 'guest closed')
    expect(host.link.state()).toMatchObject({ mode: 'closed', reason: 'ended' })
    expect(guest.link.state()).toMatchObject({ mode: 'closed', reason: 'ended' })
    const late = track(openGuest(setup))
    await waitFor(() => late.mode() === 'closed', 'late guest refused')
    expect(late.link.state()).toMatchObject({ reason: 'expired' })
  })

  it('ends the room once the host is back in it, when its socket was between connections at the end', async () => {
    const { host, guest } = await relayedPair()
    host.tap.sockets.at(-1)?.close()
    host.link.endRoom()
    expect(host.link.state()).toMatchObject({ mode: 'closed', reason: 'ended' })
    await waitFor(() => guest.mode() === 'closed', 'guest told the interview ended')
    expect(guest.link.state()).toMatchObject({ mode: 'closed', reason: 'ended' })
    expect(host.tap.sent.filter((text) => text.includes('"room.close"'))).toHaveLength(1)
  })

  it('works with a guest page that has no WebCrypto (pure JavaScript backend)', async () => {
    const host = track(openHost(setup, { crypto: webCryptoBackend }))
    await registered(host)
    const guest = track(openGuest(setup, setup.material.secret, { crypto: nobleBackend }))
    await waitForModes('relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    guest.link.send(syncFrame(CODE))
    host.link.send({ type: 'pong', t: 1 })
    await waitFor(() => host.frames.length === 1 && guest.frames.length === 1, 'frames across backends')
    expect(host.frames[0]).toEqual(syncFrame(CODE))
  })

  it('times each mode from the clock it is given', async () => {
    let t = 1000
    setup.now = () => t
    const host = track(openHost(setup))
    expect(host.link.state()).toMatchObject({ mode: 'connecting', since: 1000 })
    await registered(host)
    t = 2000
    const guest = track(openGuest(setup))
    await waitForModes('relayed', [
      [host, 'relayed'],
      [guest, 'relayed'],
    ])
    expect(host.link.state().since).toBe(2000)
  })
})

/** The first relay blob the host sent. */
async function firstRelayBlob(host: Watched): Promise<string> {
  await waitFor(() => host.tap.sent.some((t) => t.includes('"relay"')), 'relay blob')
  const frames = host.tap.sent.map((t) => JSON.parse(t) as { type: string; data?: string })
  return frames.find((f) => f.type === 'relay')?.data ?? ''
}
