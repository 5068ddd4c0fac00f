import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { BRIDGE_PATH, BridgeMessageSchema, type BridgeMessage } from '../../shared/bridge-protocol'
import { createHost, type Host } from '../host/host'
import { startBridge, type RunningBridge } from './server'
import { createStaticHandler } from './static-files'

let host: Host
let bridge: RunningBridge
let root: string

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'duet-bridge-'))
  root = join(dir, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Duet</title>')
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'export {}')
  writeFileSync(join(dir, 'secret.txt'), 'secret')
  host = createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: 'test',
    starterPackPath: join(dir, 'missing-pack.yaml'),
    log: () => undefined,
  })
  bridge = await startBridge({
    host,
    port: 0,
    hostname: '127.0.0.1',
    createRequestHandler: () => Promise.resolve(createStaticHandler(root)),
  })
})

afterEach(async () => {
  await bridge.close()
  host.close()
})

function socketUrl(): string {
  return bridge.url.replace(/^http/, 'ws').replace(/\/$/, BRIDGE_PATH)
}

function connect(origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(), { origin })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

/** Collects every frame the socket receives; `take(n)` waits until n have arrived. */
function collect(ws: WebSocket): { take(n: number): Promise<BridgeMessage[]> } {
  const messages: BridgeMessage[] = []
  let waiting: (() => void) | null = null
  ws.on('message', (data: Buffer) => {
    messages.push(BridgeMessageSchema.parse(JSON.parse(data.toString())))
    waiting?.()
  })
  return {
    take: (n) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (messages.length >= n) resolve(messages.slice(0, n))
        }
        waiting = check
        check()
      }),
  }
}

describe('browser bridge', () => {
  it('serves the UI with the security headers and refuses paths outside its folder', async () => {
    const page = await fetch(bridge.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    const asset = await fetch(new URL('assets/app-1234.js', bridge.url))
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const escape = await fetch(new URL('/%2e%2e/secret.txt', bridge.url))
    expect(escape.status).toBe(404)
    expect(await escape.text()).not.toContain('secret')
  })

  it('answers host calls over the socket and pushes host events', async () => {
    const ws = await connect(new URL(bridge.url).origin)
    const received = collect(ws)
    ws.send(JSON.stringify({ type: 'call', id: 7, method: 'settings.update', input: { theme: 'dark' } }))
    const messages = await received.take(2)
    expect(messages).toContainEqual({
      type: 'reply',
      id: 7,
      reply: { ok: true, value: expect.objectContaining({ theme: 'dark' }) },
    })
    expect(messages).toContainEqual({
      type: 'event',
      event: 'settings.changed',
      payload: expect.objectContaining({ theme: 'dark' }),
    })
    ws.close()
  })

  it('turns bad calls into error replies and ignores frames that are not calls', async () => {
    const ws = await connect(new URL(bridge.url).origin)
    const received = collect(ws)
    ws.send('not json')
    ws.send(JSON.stringify({ type: 'call', id: 'x', method: 'app.info' }))
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'problems.get', input: { id: -1 } }))
    const [reply] = await received.take(1)
    expect(reply).toMatchObject({ type: 'reply', id: 1, reply: { ok: false, error: { code: 'invalid-input' } } })
    ws.close()
  })

  it('refuses a socket opened from another origin', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/)
  })
})
