import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SIGNALING_CLOSE_CODES, SIGNALING_PROTOCOL_VERSION } from '../src/shared/signaling/protocol'
import { DEFAULT_LIMITS } from './limits'
import {
  blob,
  HOUR,
  joinFrame,
  newRoom,
  openRoom,
  registerFrame,
  settle,
  startTestServer,
  TestClient,
  type TestServer,
} from './test-support'

let ts: TestServer
const clients: TestClient[] = []

async function connect(): Promise<TestClient> {
  const client = await TestClient.connect(ts.wsUrl)
  clients.push(client)
  return client
}

async function room() {
  const opened = await openRoom(ts)
  clients.push(opened.host, opened.guest)
  return opened
}

beforeEach(async () => {
  ts = await startTestServer()
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await ts.server.close()
})

describe('rooms', () => {
  it('registers a room, lets the guest join, and tells each side about the other', async () => {
    const material = newRoom()
    const host = await connect()
    host.send(registerFrame(material, ts.clock.now() + HOUR))
    expect(await host.take('host.registered')).toEqual({
      type: 'host.registered',
      v: SIGNALING_PROTOCOL_VERSION,
      roomId: material.roomId,
      expiresAt: ts.clock.now() + HOUR,
      resumed: false,
      peerPresent: false,
      pingEveryMs: DEFAULT_LIMITS.pagePingMs,
    })
    const guest = await connect()
    guest.send(joinFrame(material))
    expect(await guest.take('guest.joined')).toMatchObject({
      roomId: material.roomId,
      peerPresent: true,
      pingEveryMs: DEFAULT_LIMITS.pagePingMs,
    })
    expect(await host.take('peer.joined')).toEqual({ type: 'peer.joined', role: 'guest' })
    expect(ts.server.stats()).toMatchObject({ rooms: 1, connections: 2, hosts: 1, guests: 1 })
  })

  it('forwards signal and relay frames to the other party only, unchanged', async () => {
    const { host, guest } = await room()
    const outsider = await connect()
    const offer = blob(600)
    host.send({ type: 'signal', data: offer, seq: 1 })
    expect(await guest.take('signal')).toEqual({ type: 'signal', data: offer, seq: 1 })
    const update = blob(2000)
    guest.send({ type: 'relay', data: update, seq: 7 })
    expect(await host.take('relay')).toEqual({ type: 'relay', data: update, seq: 7 })
    guest.send({ type: 'signal', data: offer })
    expect(await host.take('signal')).toEqual({ type: 'signal', data: offer })
    await settle()
    expect(host.inbox).toEqual([])
    expect(guest.inbox).toEqual([])
    expect(outsider.inbox).toEqual([])
    expect(ts.server.stats()).toMatchObject({ relayedFrames: 3 })
  })

  it('clamps an expiry beyond the server maximum and says so in the answer', async () => {
    const host = await connect()
    host.send(registerFrame(newRoom(), ts.clock.now() + 1000 * HOUR))
    expect((await host.take('host.registered')).expiresAt).toBe(ts.clock.now() + 24 * HOUR)
  })

  it("answers a page's ping with a pong to that page only, once it is in a room", async () => {
    const { host, guest } = await room()
    guest.send({ type: 'ping' })
    expect(await guest.take('pong')).toEqual({ type: 'pong' })
    await settle()
    expect(host.inbox).toEqual([])
    const outsider = await connect()
    outsider.send({ type: 'ping' })
    expect(await outsider.take('error')).toMatchObject({ code: 'not-joined' })
  })

  it('drops frames while the other party is absent, and reports peer.left', async () => {
    const { host, guest } = await room()
    guest.close()
    expect(await host.take('peer.left')).toEqual({ type: 'peer.left', role: 'guest' })
    host.send({ type: 'relay', data: blob() })
    await settle()
    expect(host.inbox).toEqual([])
    expect(ts.server.stats().relayedFrames).toBe(0)
  })
})

describe('takeover by a second guest', () => {
  it('replaces the old guest, which is told why and closed; exactly one guest stays live', async () => {
    const { room: material, host, guest: first } = await room()
    const second = await connect()
    second.send(joinFrame(material))
    expect(await second.take('guest.joined')).toMatchObject({ peerPresent: true })
    expect(await first.take('guest.replaced')).toEqual({ type: 'guest.replaced' })
    expect((await first.closed).code).toBe(SIGNALING_CLOSE_CODES.replaced)
    expect(await host.take('peer.joined')).toEqual({ type: 'peer.joined', role: 'guest' })

    host.send({ type: 'signal', data: blob() })
    await second.take('signal')
    expect(ts.server.stats()).toMatchObject({ guests: 1, hosts: 1, connections: 2 })
    // The old guest leaving late must not announce the new one's departure.
    await settle()
    expect(host.inbox).toEqual([])
  })
})

describe('host reconnect', () => {
  it('resumes the room with the same token; the guest hears the host is back', async () => {
    const { room: material, host, guest } = await room()
    host.close()
    expect(await guest.take('peer.left')).toEqual({ type: 'peer.left', role: 'host' })
    const again = await connect()
    again.send(registerFrame(material, ts.clock.now() + 2 * HOUR))
    expect(await again.take('host.registered')).toMatchObject({
      resumed: true,
      peerPresent: true,
      expiresAt: ts.clock.now() + 2 * HOUR,
    })
    expect(await guest.take('peer.joined')).toEqual({ type: 'peer.joined', role: 'host' })
    guest.send({ type: 'relay', data: blob() })
    await again.take('relay')
  })

  it('replaces a host connection that is still open', async () => {
    const { room: material, host: oldHost, guest } = await room()
    const again = await connect()
    again.send(registerFrame(material, ts.clock.now() + HOUR))
    expect(await again.take('host.registered')).toMatchObject({ resumed: true, peerPresent: true })
    expect(await oldHost.take('host.replaced')).toEqual({ type: 'host.replaced' })
    expect((await oldHost.closed).code).toBe(SIGNALING_CLOSE_CODES.replaced)
    await guest.take('peer.joined')
    expect(ts.server.stats()).toMatchObject({ hosts: 1, guests: 1 })
    await expect.poll(() => ts.server.stats().connections).toBe(2)
  })

  it('refuses a registration of an existing room with another token', async () => {
    const { room: material, guest } = await room()
    const impostor = await connect()
    impostor.send(registerFrame({ ...material, hostToken: newRoom().hostToken }, ts.clock.now() + HOUR))
    expect(await impostor.error()).toBe('bad-key')
    impostor.send({ type: 'signal', data: blob() })
    expect(await impostor.error()).toBe('not-joined')
    await settle()
    expect(guest.inbox).toEqual([])
  })
})

describe('refusals', () => {
  it('refuses a wrong join key, and an unknown room', async () => {
    const { room: material } = await room()
    const wrong = await connect()
    wrong.send(joinFrame(material, newRoom().joinKey))
    expect(await wrong.error()).toBe('bad-key')
    const lost = await connect()
    lost.send(joinFrame(newRoom()))
    expect(await lost.take('error')).toMatchObject({ code: 'room-not-found', message: expect.stringContaining('link') })
  })

  it('gives a client with the room id but no key nothing to join or read', async () => {
    const { room: material, host, guest } = await room()
    const third = await connect()
    third.sendRaw(JSON.stringify({ type: 'guest.join', v: SIGNALING_PROTOCOL_VERSION, roomId: material.roomId }))
    expect(await third.error()).toBe('bad-frame')
    third.send(joinFrame(material, 'A'.repeat(43)))
    expect(await third.error()).toBe('bad-key')
    third.send({ type: 'relay', data: blob() })
    expect(await third.error()).toBe('not-joined')
    third.send({ type: 'room.close' })
    expect(await third.error()).toBe('not-joined')

    host.send({ type: 'signal', data: blob() })
    guest.send({ type: 'relay', data: blob() })
    await guest.take('signal')
    await host.take('relay')
    await settle()
    expect(third.inbox).toEqual([])
    expect(ts.server.stats()).toMatchObject({ guests: 1, hosts: 1 })
  })

  it.each([
    ['invalid JSON', '{"type":'],
    ['a JSON value that is not a frame', '42'],
    ['an unknown type', JSON.stringify({ type: 'room.list' })],
    ['a wrong protocol version', JSON.stringify({ ...joinFrame(newRoom()), v: 99 })],
    ['a short room id', JSON.stringify({ ...joinFrame(newRoom()), roomId: 'abc' })],
    ['a blob that is not base64', JSON.stringify({ type: 'signal', data: 'not base64!' })],
    ['a negative sequence number', JSON.stringify({ type: 'relay', data: blob(), seq: -1 })],
    ['a join key hash of the wrong length', JSON.stringify({ ...registerFrame(newRoom(), 1), joinKeyHash: 'abc' })],
  ])('answers %s with bad-frame and keeps the connection', async (_, raw) => {
    const client = await connect()
    client.sendRaw(raw)
    expect(await client.error()).toBe('bad-frame')
    client.send(joinFrame(newRoom()))
    expect(await client.error()).toBe('room-not-found')
  })

  it('answers a binary frame with bad-frame', async () => {
    const client = await connect()
    client.sendRaw(Buffer.from(JSON.stringify(joinFrame(newRoom()))), true)
    expect(await client.error()).toBe('bad-frame')
  })

  it('refuses a second hello on a connection that is already in a room', async () => {
    const { room: material, host } = await room()
    host.send(joinFrame(material))
    expect(await host.take('error')).toMatchObject({ code: 'bad-frame', message: expect.stringContaining('already') })
  })

  it('lets only the host end the room', async () => {
    const { guest } = await room()
    guest.send({ type: 'room.close' })
    expect(await guest.error()).toBe('bad-frame')
  })
})

describe('ending and expiry', () => {
  it('ends the room when the host says so; a later join is told expired', async () => {
    const { room: material, host, guest } = await room()
    host.send({ type: 'room.close' })
    expect(await guest.take('room.closed')).toEqual({ type: 'room.closed', reason: 'ended' })
    expect(await host.take('room.closed')).toEqual({ type: 'room.closed', reason: 'ended' })
    expect((await guest.closed).code).toBe(SIGNALING_CLOSE_CODES.roomClosed)
    const late = await connect()
    late.send(joinFrame(material))
    expect(await late.error()).toBe('expired')
    const rehost = await connect()
    rehost.send(registerFrame(material, ts.clock.now() + HOUR))
    expect(await rehost.error()).toBe('expired')
    expect(ts.server.stats().rooms).toBe(0)
  })

  it('refuses a resume whose expiry has passed, and keeps the room', async () => {
    const { room: material, guest } = await room()
    const again = await connect()
    again.send(registerFrame(material, ts.clock.now()))
    expect(await again.error()).toBe('expired')
    await settle()
    expect(guest.inbox).toEqual([])
    expect(ts.server.stats()).toMatchObject({ rooms: 1, hosts: 1 })
  })

  it('refuses to register a room that expires in the past', async () => {
    const host = await connect()
    host.send(registerFrame(newRoom(), ts.clock.now() - 1))
    expect(await host.error()).toBe('expired')
  })

  it('closes a room at its expiresAt: both sides are told, joins get expired', async () => {
    const { room: material, host, guest } = await room()
    ts.clock.advance(HOUR)
    expect(await guest.take('room.closed')).toEqual({ type: 'room.closed', reason: 'expired' })
    expect(await host.take('room.closed')).toEqual({ type: 'room.closed', reason: 'expired' })
    expect((await host.closed).code).toBe(SIGNALING_CLOSE_CODES.roomClosed)
    const late = await connect()
    late.send(joinFrame(material))
    expect(await late.error()).toBe('expired')
  })

  it('expires a room nobody has been in for the idle time, and not before', async () => {
    await ts.server.close()
    ts = await startTestServer({ idleRoomMs: 10 * 60 * 1000 })
    const material = newRoom()
    const host = await connect()
    host.send(registerFrame(material, ts.clock.now() + 10 * HOUR))
    await host.take('host.registered')
    host.close()
    await expect.poll(() => ts.server.stats().hosts).toBe(0)
    ts.clock.advance(9 * 60 * 1000)
    await settle()
    expect(ts.server.stats().rooms).toBe(1)
    ts.clock.advance(60 * 1000)
    await expect.poll(() => ts.server.stats().rooms).toBe(0)
    const guest = await connect()
    guest.send(joinFrame(material))
    expect(await guest.error()).toBe('expired')
  })

  it('keeps a room with someone connected past the idle time', async () => {
    await ts.server.close()
    ts = await startTestServer({ idleRoomMs: 60 * 1000 })
    await room()
    ts.clock.advance(10 * 60 * 1000)
    await settle()
    expect(ts.server.stats().rooms).toBe(1)
  })
})
