import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHostClient } from '../../../shared/host-client'
import { HostError } from '../../../shared/host-errors'
import { bridgeUrl, createBridgeTransport, type BridgeTransport, type SocketHandlers } from './bridge-transport'

/** A socket the test drives by hand: the bridge server's side of the conversation. */
class FakeSocket {
  readonly sent: unknown[] = []
  closed = false

  constructor(
    readonly url: string,
    readonly on: SocketHandlers,
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.on.close()
  }

  reply(id: number, value: unknown): void {
    this.on.message(JSON.stringify({ type: 'reply', id, reply: { ok: true, value } }))
  }
}

let sockets: FakeSocket[]
let transport: BridgeTransport
const latest = (): FakeSocket => {
  const socket = sockets.at(-1)
  if (!socket) throw new Error('no socket opened')
  return socket
}

beforeEach(() => {
  vi.useFakeTimers()
  sockets = []
  transport = createBridgeTransport('ws://localhost:5173/__duet_host', {
    openSocket: (url, on) => {
      const socket = new FakeSocket(url, on)
      sockets.push(socket)
      return socket
    },
  })
})

afterEach(() => {
  transport.close()
  vi.useRealTimers()
})

describe('the browser bridge transport', () => {
  it('builds the socket address from the page origin', () => {
    expect(bridgeUrl('http://127.0.0.1:5173')).toBe('ws://127.0.0.1:5173/__duet_host')
    expect(bridgeUrl('https://duet.example')).toBe('wss://duet.example/__duet_host')
  })

  it('sends calls once the socket opens and answers each by its id', async () => {
    const api = createHostClient(transport)
    const tags = api.problems.tags()
    const info = api.app.info()
    expect(latest().sent).toEqual([])
    latest().on.open()
    expect(latest().sent).toEqual([
      { type: 'call', id: 1, method: 'problems.tags' },
      { type: 'call', id: 2, method: 'app.info' },
    ])
    latest().reply(2, { version: '1', runtime: 'browser-bridge', dataDir: '/d', databasePath: '/d/duet.sqlite' })
    latest().reply(1, ['arrays'])
    await expect(tags).resolves.toEqual(['arrays'])
    await expect(info).resolves.toMatchObject({ dataDir: '/d' })
  })

  it('passes host errors through with their field issues', async () => {
    const api = createHostClient(transport)
    latest().on.open()
    const call = api.problems.get({ id: 1 })
    latest().on.message(
      JSON.stringify({
        type: 'reply',
        id: 1,
        reply: { ok: false, error: { code: 'not-found', message: 'There is no problem with id 1.', issues: [] } },
      }),
    )
    await expect(call).rejects.toMatchObject({ name: 'HostError', code: 'not-found' })
  })

  it('delivers events to subscribers until they unsubscribe, ignoring malformed frames', () => {
    const seen: unknown[] = []
    const unsubscribe = transport.subscribe('problems.changed', (payload) => seen.push(payload))
    latest().on.open()
    latest().on.message('not json')
    latest().on.message(JSON.stringify({ type: 'mystery' }))
    latest().on.message(JSON.stringify({ type: 'event', event: 'problems.changed', payload: { ids: [3] } }))
    latest().on.message(JSON.stringify({ type: 'event', event: 'settings.changed', payload: { theme: 'dark' } }))
    unsubscribe()
    latest().on.message(JSON.stringify({ type: 'event', event: 'problems.changed', payload: { ids: [4] } }))
    expect(seen).toEqual([{ ids: [3] }])
  })

  it('rejects unanswered calls with a clear error when the connection drops, then reconnects', async () => {
    latest().on.open()
    const call = transport.invoke('problems.tags', undefined)
    latest().close()
    await expect(call).rejects.toBeInstanceOf(HostError)
    await expect(call).rejects.toThrow(/Lost the connection to the Duet host/)

    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(250)
    expect(sockets).toHaveLength(2)
    latest().on.open()
    const again = transport.invoke('problems.tags', undefined)
    expect(latest().sent).toEqual([{ type: 'call', id: 2, method: 'problems.tags' }])
    latest().reply(2, ['arrays'])
    await expect(again).resolves.toEqual({ ok: true, value: ['arrays'] })
  })

  it('backs off between failed attempts and says the host cannot be reached', async () => {
    const call = transport.invoke('app.info', undefined)
    latest().close()
    await expect(call).rejects.toThrow(/Cannot reach the Duet host at ws:\/\/localhost:5173\/__duet_host/)
    vi.advanceTimersByTime(250)
    expect(sockets).toHaveLength(2)
    latest().close()
    vi.advanceTimersByTime(499)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)
  })

  it('tries again at once when a call is made while waiting to reconnect', () => {
    latest().close()
    expect(sockets).toHaveLength(1)
    void transport.invoke('app.info', undefined).catch(() => undefined)
    expect(sockets).toHaveLength(2)
    latest().on.open()
    expect(latest().sent).toEqual([{ type: 'call', id: 1, method: 'app.info' }])
  })

  it('gives up on a call the host never answers', async () => {
    latest().on.open()
    const call = transport.invoke('app.databaseStatus', undefined)
    vi.advanceTimersByTime(59_999)
    latest().reply(99, 'someone else')
    vi.advanceTimersByTime(1)
    await expect(call).rejects.toThrow('The Duet host did not answer app.databaseStatus within 60 s.')
  })

  it('stops for good when closed', async () => {
    transport.close()
    vi.advanceTimersByTime(10_000)
    expect(sockets).toHaveLength(1)
    await expect(transport.invoke('app.info', undefined)).rejects.toThrow(/closed/)
  })
})
