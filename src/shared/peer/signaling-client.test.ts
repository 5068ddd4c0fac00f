import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deriveLinkKeys, newHostToken, newRoomId, newSecret } from './keys'
import type { Schedule } from './schedule'
import { SignalingClient, type SignalingClientOptions, type SignalingIdentity } from './signaling-client'
import { startTestSignaling, type TestSignaling } from './test-support/server'
import { SocketTap } from './test-support/socket-tap'
import { settle, waitFor } from './test-support/wait'

let signaling: TestSignaling
const clients: SignalingClient[] = []

beforeEach(async () => {
  signaling = await startTestSignaling()
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await signaling.close()
})

async function room() {
  const keys = await deriveLinkKeys(newSecret())
  const roomId = newRoomId()
  const host: SignalingIdentity = {
    role: 'host',
    roomId,
    hostToken: newHostToken(),
    joinKeyHash: keys.joinKeyHash,
    expiresAt: Date.now() + 3_600_000,
  }
  const guest: SignalingIdentity = { role: 'guest', roomId, joinKey: keys.joinKey }
  return { host, guest }
}

/** A client that records its events as strings, in order. */
function client(identity: SignalingIdentity, options: Partial<SignalingClientOptions> = {}) {
  const c = new SignalingClient({ url: signaling.wsUrl, identity, backoff: { baseMs: 20, maxMs: 200 }, ...options })
  const events: string[] = []
  c.joined.add(({ peerPresent }) => events.push(`joined:${peerPresent}`))
  c.peerJoined.add(() => events.push('peerJoined'))
  c.peerLeft.add(() => events.push('peerLeft'))
  c.disconnected.add(() => events.push('disconnected'))
  c.replaced.add(() => events.push('replaced'))
  c.roomClosed.add((reason) => events.push(`roomClosed:${reason}`))
  c.refused.add((code) => events.push(`refused:${code}`))
  c.error.add((code) => events.push(`error:${code}`))
  c.signal.add((blob) => events.push(`signal:${blob}`))
  c.relay.add((blob) => events.push(`relay:${blob}`))
  clients.push(c)
  c.start()
  return { client: c, events }
}

describe('signaling client', () => {
  it('registers, joins, and passes signal and relay blobs between the two', async () => {
    const ids = await room()
    const host = client(ids.host)
    await waitFor(() => host.client.isJoined, 'host registered')
    const guest = client(ids.guest)
    await waitFor(() => guest.client.isJoined && host.events.includes('peerJoined'), 'guest joined')
    expect(guest.events).toEqual(['joined:true'])
    expect(host.events).toEqual(['joined:false', 'peerJoined'])
    expect(guest.client.sendSignal('AAAA')).toBe(true)
    expect(host.client.sendRelay('BBBB')).toBe(true)
    await waitFor(() => host.events.includes('signal:AAAA') && guest.events.includes('relay:BBBB'), 'blobs')
    guest.client.close()
    await waitFor(() => host.events.includes('peerLeft'), 'peer left')
  })

  it('sends nothing before it has joined', () => {
    const c = new SignalingClient({
      url: signaling.wsUrl,
      identity: { role: 'guest', roomId: newRoomId(), joinKey: 'k'.repeat(43) },
    })
    expect(c.sendSignal('AAAA')).toBe(false)
    expect(c.sendRelay('AAAA')).toBe(false)
  })

  it('stops for good on a refusal: wrong join key, unknown room', async () => {
    const ids = await room()
    const host = client(ids.host)
    await waitFor(() => host.client.isJoined, 'host registered')
    const wrongTap = new SocketTap()
    const wrong = client(
      { ...ids.guest, joinKey: (await deriveLinkKeys(newSecret())).joinKey },
      { WebSocketImpl: wrongTap.WebSocketImpl },
    )
    const unknownTap = new SocketTap()
    const unknown = client({ ...ids.guest, roomId: newRoomId() }, { WebSocketImpl: unknownTap.WebSocketImpl })
    await waitFor(() => wrong.client.isClosed && unknown.client.isClosed, 'refusals')
    expect(wrong.events).toEqual(['refused:bad-key'])
    expect(unknown.events).toEqual(['refused:room-not-found'])
    await settle(150)
    expect(wrongTap.sockets).toHaveLength(1)
    expect(unknownTap.sockets).toHaveLength(1)
    expect(host.events).toEqual(['joined:false'])
  })

  it('drops and counts frames it cannot parse, and keeps working', async () => {
    const ids = await room()
    const tap = new SocketTap()
    const host = client(ids.host, { WebSocketImpl: tap.WebSocketImpl })
    await waitFor(() => host.client.isJoined, 'host registered')
    for (const junk of ['not json', '{"type":"nope"}', '{"type":"relay","data":"not base64!"}', '[]', 'null']) {
      tap.inject(junk)
    }
    expect(host.client.stats().badFrames).toBe(5)
    expect(host.events).toEqual(['joined:false'])
    const guest = client(ids.guest)
    await waitFor(() => host.events.includes('peerJoined'), 'guest joined')
    guest.client.sendRelay('AAAA')
    await waitFor(() => host.events.includes('relay:AAAA'), 'relay after junk')
  })

  it('reconnects after the socket drops: the host resumes its room, the guest joins again', async () => {
    const ids = await room()
    const hostTap = new SocketTap()
    const guestTap = new SocketTap()
    const host = client(ids.host, { WebSocketImpl: hostTap.WebSocketImpl })
    await waitFor(() => host.client.isJoined, 'host registered')
    const guest = client(ids.guest, { WebSocketImpl: guestTap.WebSocketImpl })
    await waitFor(() => guest.client.isJoined, 'guest joined')

    hostTap.sockets.at(-1)?.close()
    await waitFor(() => host.client.stats().reconnects === 1 && host.client.isJoined, 'host back')
    expect(host.events).toEqual(['joined:false', 'peerJoined', 'disconnected', 'joined:true'])
    expect(signaling.logs.some((line) => line.includes('"event":"host.resumed"'))).toBe(true)
    await waitFor(() => guest.events.includes('peerJoined'), 'guest told the host is back')

    guestTap.sockets.at(-1)?.close()
    await waitFor(() => guest.client.stats().reconnects === 1 && guest.client.isJoined, 'guest back')
    expect(hostTap.sockets).toHaveLength(2)
    expect(guestTap.sockets).toHaveLength(2)
    expect(guest.client.sendSignal('CCCC')).toBe(true)
    await waitFor(() => host.events.includes('signal:CCCC'), 'signal after reconnect')
  })

  it('comes back after a server restart, the guest retrying until the host has registered again', async () => {
    const ids = await room()
    const host = client(ids.host)
    const guest = client(ids.guest)
    await waitFor(() => host.client.isJoined && guest.client.isJoined, 'both in')
    await signaling.restart()
    await waitFor(() => host.client.isJoined && guest.client.isJoined, 'both back', 8000)
    expect(guest.client.isClosed).toBe(false)
    expect(guest.client.sendRelay('DDDD')).toBe(true)
    await waitFor(() => host.events.includes('relay:DDDD'), 'relay after restart')
  })

  it('tells a replaced guest why, and does not reconnect it', async () => {
    const ids = await room()
    const host = client(ids.host)
    await waitFor(() => host.client.isJoined, 'host registered')
    const first = client(ids.guest)
    await waitFor(() => first.client.isJoined, 'first guest')
    const second = client(ids.guest)
    await waitFor(() => first.client.isClosed && second.client.isJoined, 'takeover')
    expect(first.events).toEqual(['joined:true', 'replaced'])
  })

  it('ends the room for both when the host asks', async () => {
    const ids = await room()
    const host = client(ids.host)
    const guest = client(ids.guest)
    await waitFor(() => host.client.isJoined && guest.client.isJoined, 'both in')
    expect(host.client.endRoom()).toBe(true)
    await waitFor(() => host.client.isClosed && guest.client.isClosed, 'room ended')
    expect(guest.events.at(-1)).toBe('roomClosed:ended')
    expect(host.events.at(-1)).toBe('roomClosed:ended')
    const late = client(ids.guest)
    await waitFor(() => late.client.isClosed, 'late join refused')
    expect(late.events).toEqual(['refused:expired'])
  })

  it('pings as the server asks, and stays in the room while the server answers', async () => {
    const quick = await startTestSignaling({ pagePingMs: 40 })
    try {
      const tap = new SocketTap()
      const host = client((await room()).host, { url: quick.wsUrl, WebSocketImpl: tap.WebSocketImpl })
      await waitFor(() => tap.sent.filter((text) => text.includes('"ping"')).length >= 5, 'five pings')
      expect(tap.receivedOfType('pong').length).toBeGreaterThanOrEqual(4)
      expect(host.events).toEqual(['joined:false'])
      expect(tap.sockets).toHaveLength(1)
    } finally {
      for (const c of clients.splice(0)) c.close()
      await quick.close()
    }
  })

  it('gives up on a connection that fell silent, says so, and joins again on a new one', async () => {
    const quick = await startTestSignaling({ pagePingMs: 40 })
    try {
      const tap = new SocketTap()
      const host = client((await room()).host, { url: quick.wsUrl, WebSocketImpl: tap.WebSocketImpl })
      await waitFor(() => host.client.isJoined, 'host registered')
      tap.silence()
      await waitFor(() => host.client.stats().reconnects === 1 && host.client.isJoined, 'host back')
      expect(host.events).toEqual(['joined:false', 'disconnected', 'joined:false'])
      expect(tap.sockets).toHaveLength(2)
      expect(quick.logs.some((line) => line.includes('"event":"host.resumed"'))).toBe(true)
    } finally {
      for (const c of clients.splice(0)) c.close()
      await quick.close()
    }
  })

  it('drops a connection that is not let in within the join time limit, and tries again', async () => {
    const tap = new SocketTap()
    const host = client((await room()).host, { WebSocketImpl: tap.WebSocketImpl, joinTimeoutMs: 100 })
    // The first socket's frames go nowhere, as into a network that died while it connected.
    tap.silence()
    await waitFor(() => host.client.isJoined, 'host registered on a second socket')
    expect(tap.sockets).toHaveLength(2)
    expect(host.events).toEqual(['joined:false'])
  })

  it('waits longer after each failed attempt, with jitter, up to the cap', async () => {
    const delays: number[] = []
    let pending: (() => void) | null = null
    const schedule: Schedule = (task, ms) => {
      delays.push(ms)
      pending = task
      return () => {}
    }
    const closedPort = signaling.server.port
    await signaling.close()
    const random = [0, 1, 0.5, 0, 1, 0, 1]
    const c = new SignalingClient({
      url: `ws://127.0.0.1:${closedPort}/ws`,
      identity: { role: 'guest', roomId: newRoomId(), joinKey: 'k'.repeat(43) },
      schedule,
      random: () => random.shift() ?? 0,
      backoff: { baseMs: 100, maxMs: 1000 },
    })
    clients.push(c)
    c.start()
    for (let attempt = 1; attempt <= 6; attempt++) {
      await waitFor(() => delays.length === attempt, `retry ${attempt}`)
      const run = pending as (() => void) | null
      pending = null
      run?.()
    }
    // Ceilings 100, 200, 400, 800, 1000, 1000; each delay in the upper half of its ceiling.
    expect(delays).toEqual([50, 200, 300, 400, 1000, 500])
    signaling = await startTestSignaling()
  })
})
