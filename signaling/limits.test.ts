import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { HealthSchema, MAX_BLOB_CHARS, MAX_FRAME_BYTES, SIGNALING_CLOSE_CODES } from '../src/shared/signaling/protocol'
import type { SignalingLimits } from './limits'
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

let ts: TestServer | undefined
const clients: TestClient[] = []

async function start(limits: Partial<SignalingLimits> = {}): Promise<TestServer> {
  ts = await startTestServer(limits)
  return ts
}

async function connect(server: TestServer, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, options)
  clients.push(client)
  return client
}

async function room(server: TestServer) {
  const opened = await openRoom(server)
  clients.push(opened.host, opened.guest)
  return opened
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await ts?.server.close()
  ts = undefined
})

describe('frame size', () => {
  it('forwards a frame with the largest blob', async () => {
    const server = await start()
    const { host, guest } = await room(server)
    const data = 'A'.repeat(MAX_BLOB_CHARS)
    expect(JSON.stringify({ type: 'relay', data, seq: Number.MAX_SAFE_INTEGER }).length).toBeLessThanOrEqual(
      MAX_FRAME_BYTES,
    )
    host.send({ type: 'relay', data, seq: Number.MAX_SAFE_INTEGER })
    expect((await guest.take('relay')).data).toHaveLength(MAX_BLOB_CHARS)
  })

  it('answers a frame over 64 KiB with too-large, drops it, and keeps the connection', async () => {
    const server = await start()
    const { host, guest } = await room(server)
    host.sendRaw(JSON.stringify({ type: 'relay', data: 'A'.repeat(MAX_FRAME_BYTES) }))
    expect(await host.error()).toBe('too-large')
    host.send({ type: 'relay', data: blob() })
    await guest.take('relay')
    expect(guest.inbox).toEqual([])
  })

  it('refuses a blob over the blob limit even when the frame fits', async () => {
    const server = await start()
    const { host } = await room(server)
    host.send({ type: 'relay', data: 'A'.repeat(MAX_BLOB_CHARS + 4) })
    expect(await host.error()).toBe('bad-frame')
  })

  it('closes with 1009 on a frame beyond the hard limit, without reading it', async () => {
    const server = await start({ hardMaxPayloadBytes: 2 * MAX_FRAME_BYTES })
    const { host, guest } = await room(server)
    host.sendRaw('A'.repeat(2 * MAX_FRAME_BYTES + 1))
    expect((await host.closed).code).toBe(SIGNALING_CLOSE_CODES.tooLarge)
    expect(await guest.take('peer.left')).toEqual({ type: 'peer.left', role: 'host' })
    expect(server.logs.some((line) => line.includes('"too-large"'))).toBe(true)
  })
})

describe('rate limit', () => {
  it('drops frames beyond the burst with one rate-limited error, and recovers as tokens refill', async () => {
    const server = await start({ frameBurst: 10, framesPerSecond: 10 })
    const { host, guest } = await room(server)
    // The registration took one token: nine relay frames fit.
    for (let seq = 0; seq < 15; seq++) host.send({ type: 'relay', data: blob(), seq })
    expect(await host.take('error')).toMatchObject({ code: 'rate-limited' })
    await settle()
    expect(guest.inbox.map((frame) => (frame.type === 'relay' ? frame.seq : frame.type))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ])
    expect(host.inbox).toEqual([])
    guest.inbox.splice(0)

    server.clock.advance(1000)
    host.send({ type: 'relay', data: blob(), seq: 100 })
    expect((await guest.take('relay')).seq).toBe(100)
    expect(server.server.stats().relayedFrames).toBe(10)
    expect(host.inbox).toEqual([])
  })

  it('limits bytes as well as frames', async () => {
    const server = await start({ byteBurst: 10_000, bytesPerSecond: 1000 })
    const { host, guest } = await room(server)
    host.send({ type: 'relay', data: blob(4500), seq: 1 })
    host.send({ type: 'relay', data: blob(4500), seq: 2 })
    expect(await host.error()).toBe('rate-limited')
    expect((await guest.take('relay')).seq).toBe(1)
    await settle()
    expect(guest.inbox).toEqual([])
  })

  it('closes a connection that keeps flooding', async () => {
    const server = await start({ frameBurst: 5, framesPerSecond: 1, floodCloseAfterDrops: 20 })
    const client = await connect(server)
    for (let i = 0; i < 40; i++) client.sendRaw('{}')
    expect((await client.closed).code).toBe(SIGNALING_CLOSE_CODES.rateLimited)
    expect(client.inbox.filter((frame) => frame.type === 'error' && frame.code === 'rate-limited')).toHaveLength(1)
    expect(server.logs.some((line) => line.includes('"conn.flood"'))).toBe(true)
  })
})

describe('slow receivers', () => {
  it('drops a receiver that stops reading rather than buffering for it without bound', async () => {
    const generous = { frameBurst: 10_000, byteBurst: 1e9, bytesPerSecond: 1e9 }
    const server = await start({ ...generous, maxBufferedBytes: 256 * 1024 })
    const { host, guest } = await room(server)
    guest.ws.pause()
    const data = 'A'.repeat(MAX_BLOB_CHARS)
    // 400 full frames are 25 MiB: far more than the kernel buffers between the two sockets.
    for (let i = 0; i < 400; i++) host.send({ type: 'relay', data })
    expect(await host.take('peer.left', 10_000)).toEqual({ type: 'peer.left', role: 'guest' })
    expect(server.logs.some((line) => line.includes('"conn.slow"'))).toBe(true)
    expect(host.ws.readyState).toBe(WebSocket.OPEN)
  })
})

describe('capacity', () => {
  it('refuses a room beyond the cap with room-full, and takes one again after a room ends', async () => {
    const server = await start({ maxRooms: 2 })
    const first = await room(server)
    await room(server)
    const third = await connect(server)
    const material = newRoom()
    third.send(registerFrame(material, server.clock.now() + HOUR))
    expect(await third.error()).toBe('room-full')
    first.host.send({ type: 'room.close' })
    await first.host.take('room.closed')
    third.send(registerFrame(material, server.clock.now() + HOUR))
    expect(await third.take('host.registered')).toMatchObject({ resumed: false })
  })

  it('answers 503 to a WebSocket upgrade beyond the connection cap', async () => {
    const server = await start({ maxConnections: 2 })
    await connect(server)
    await connect(server)
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(server.wsUrl)
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => reject(new Error('a third connection was accepted')))
    })
    expect(refused).toBe(503)
  })
})

describe('liveness', () => {
  it('terminates a client that stops answering pings, and tells its peer', async () => {
    const server = await start({ heartbeatIntervalMs: 250 })
    const material = newRoom()
    const host = await connect(server)
    host.send(registerFrame(material, server.clock.now() + HOUR))
    await host.take('host.registered')
    const deaf = await connect(server, { autoPong: false })
    deaf.send(joinFrame(material))
    await deaf.take('guest.joined')
    expect((await deaf.closed).code).toBe(1006)
    expect(await host.take('peer.left')).toEqual({ type: 'peer.left', role: 'guest' })
    expect(host.ws.readyState).toBe(WebSocket.OPEN)
    expect(server.logs.some((line) => line.includes('"conn.dead"'))).toBe(true)
  })

  it('closes a connection that neither registers nor joins in time', async () => {
    const server = await start({ handshakeTimeoutMs: 15_000 })
    const idle = await connect(server)
    const { host } = await room(server)
    server.clock.advance(15_000)
    expect((await idle.closed).code).toBe(SIGNALING_CLOSE_CODES.handshakeTimeout)
    expect(host.ws.readyState).toBe(WebSocket.OPEN)
  })
})

describe('robustness', () => {
  it('stays up through garbage, invalid UTF-8 and abrupt disconnects from many clients', async () => {
    const server = await start()
    const { host, guest } = await room(server)
    const attackers = await Promise.all(Array.from({ length: 20 }, () => connect(server)))
    attackers.forEach((client, i) => {
      client.sendRaw(randomBytes(200).toString('latin1'))
      client.sendRaw(randomBytes(300), true)
      client.sendRaw('{"type":"signal","data":' + '['.repeat(5000))
      client.ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false })
      if (i % 2 === 0) client.close()
    })
    await settle(200)
    const health = HealthSchema.parse(await (await fetch(`${server.server.url}/healthz`)).json())
    expect(health.rooms).toBe(1)
    host.send({ type: 'signal', data: blob() })
    await guest.take('signal')
    const late = await openRoom(server)
    clients.push(late.host, late.guest)
    expect(server.server.stats().rooms).toBe(2)
  })
})
