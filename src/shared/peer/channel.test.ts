import { describe, expect, it } from 'vitest'
import { SecureChannel, type SignalIn } from './channel'
import { deriveLinkKeys, newSecret } from './keys'

const keys = await deriveLinkKeys(newSecret())
const INSTANCE = 'i'.repeat(22)
const HOST_INSTANCE = 'h'.repeat(22)

/** A host and a guest channel with a session between them, plus the blobs of the handshake. */
async function handshake(host = new SecureChannel('host', keys), guest = new SecureChannel('guest', keys)) {
  const hello = await guest.hello(INSTANCE)
  expect(await host.openSignal(hello)).toEqual({ kind: 'hello', instance: INSTANCE })
  const welcome = (await host.welcome({ mode: 'relay' }, HOST_INSTANCE)) as string
  expect(await guest.openSignal(welcome)).toEqual({ kind: 'welcome', plan: { mode: 'relay' }, instance: HOST_INSTANCE })
  return { host, guest, hello, welcome }
}

const dropped = (reason: string): SignalIn => ({ kind: 'dropped', reason }) as SignalIn

describe('secure channel', () => {
  it('carries signals and relay frames both ways once the handshake is done', async () => {
    const { host, guest } = await handshake()
    expect(host.ready && guest.ready).toBe(true)
    const signal = { k: 'peer', gen: 1, data: { type: 'offer', sdp: 'v=0' } } as const
    expect(await guest.openSignal((await host.sealSignal(signal)) as string)).toEqual({ kind: 'signal', body: signal })
    expect(await host.openRelay((await guest.sealRelay({ type: 'ping', t: 1 })) as string)).toEqual({
      kind: 'frame',
      value: { type: 'ping', t: 1 },
    })
  })

  it('seals nothing before a session, or after a reset', async () => {
    const host = new SecureChannel('host', keys)
    expect(await host.sealRelay({ type: 'ping', t: 1 })).toBeNull()
    expect(await host.welcome({ mode: 'relay' }, HOST_INSTANCE)).toBeNull()
    const { guest } = await handshake(host)
    guest.reset()
    expect(await guest.sealSignal({ k: 'relay' })).toBeNull()
  })

  it('refuses a replayed blob', async () => {
    const { host, guest } = await handshake()
    const blob = (await guest.sealRelay({ type: 'ping', t: 1 })) as string
    expect((await host.openRelay(blob)).kind).toBe('frame')
    expect(await host.openRelay(blob)).toEqual({ kind: 'dropped', reason: 'stale' })
  })

  it('refuses blobs from an earlier session, even with a higher number', async () => {
    const host = new SecureChannel('host', keys)
    const guest = new SecureChannel('guest', keys)
    await handshake(host, guest)
    const old: string[] = []
    for (let i = 0; i < 3; i++) old.push((await guest.sealRelay({ type: 'ping', t: i })) as string)
    await handshake(host, guest)
    for (const blob of old) expect(await host.openRelay(blob)).toEqual({ kind: 'dropped', reason: 'stale' })
    expect((await host.openRelay((await guest.sealRelay({ type: 'ping', t: 9 })) as string)).kind).toBe('frame')
  })

  it('takes only the welcome for the latest hello', async () => {
    const host = new SecureChannel('host', keys)
    const guest = new SecureChannel('guest', keys)
    const { welcome } = await handshake(host, guest)
    expect(await guest.openSignal(welcome)).toEqual(dropped('stale'))
    await host.openSignal(await guest.hello(INSTANCE))
    expect(await guest.openSignal(welcome)).toEqual(dropped('stale'))
  })

  it('refuses a blob sent back to its sender, and hellos or welcomes to the wrong role', async () => {
    const { host, guest, hello } = await handshake()
    const mine = (await guest.sealRelay({ type: 'ping', t: 1 })) as string
    expect(await guest.openRelay(mine)).toEqual({ kind: 'dropped', reason: 'unauthentic' })
    expect(await guest.openSignal(hello)).toEqual(dropped('unauthentic'))
    const welcome = (await host.welcome({ mode: 'relay' }, HOST_INSTANCE)) as string
    expect(await host.openSignal(welcome)).toEqual(dropped('unauthentic'))
  })

  it('refuses a blob under another secret', async () => {
    const { host } = await handshake()
    const stranger = new SecureChannel('guest', await deriveLinkKeys(newSecret()))
    expect(await host.openSignal(await stranger.hello(INSTANCE))).toEqual(dropped('unauthentic'))
  })
})
