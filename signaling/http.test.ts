import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../src/main/security-headers'
import { HealthSchema, SignalingConfigSchema } from '../src/shared/signaling/protocol'
import { startSignalingServer } from './server'
import { newRoom, openRoom, startTestServer, type TestServer } from './test-support'

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A raw request: unlike fetch, it sends the path exactly as written and does not decompress. */
function get(ts: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const { port } = ts.server
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

const INDEX = '<!doctype html><title>Duet</title><script type="module" src="./assets/index-a1b2c3.js"></script>'
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `word${i % 50}`))}\n`

let dir: string
let dist: string
let ts: TestServer

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-signaling-http-'))
  dist = join(dir, 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), INDEX)
  writeFileSync(join(dist, 'assets', 'index-a1b2c3.js'), SCRIPT)
  writeFileSync(join(dist, 'assets', 'logo-d4e5f6.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(join(dist, 'assets', 'python-runner.worker-B6OkkZDd.js'), 'export {}')
  writeFileSync(join(dir, 'secret.txt'), 'not for candidates')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

afterEach(async () => {
  await ts.server.close()
})

describe('HTTP', () => {
  it('reports health as JSON', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const { host, guest } = await openRoom(ts)
    ts.clock.advance(90_000)
    const reply = await get(ts, '/healthz')
    expect(reply.status).toBe(200)
    expect(reply.headers['cache-control']).toBe('no-store')
    expect(HealthSchema.parse(JSON.parse(reply.body.toString()))).toEqual({
      ok: true,
      rooms: 1,
      connections: 2,
      uptime: 90,
    })
    host.close()
    guest.close()
  })

  it('serves the ICE servers it was given at /config', async () => {
    const iceServers = [
      { urls: 'stun:stun.example.org:3478' },
      {
        urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
        username: 'u',
        credential: 'c',
      },
    ]
    ts = await startTestServer({}, { candidateDir: dist, iceServers })
    const reply = await get(ts, '/config')
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(SignalingConfigSchema.parse(JSON.parse(reply.body.toString()))).toEqual({ iceServers })
  })

  it('refuses to start with an invalid ICE server', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    await expect(
      startSignalingServer({ port: 0, host: '127.0.0.1', iceServers: [{ urls: 'turn:turn.example.org' }] }),
    ).rejects.toThrow('a TURN server needs a username and a credential')
  })

  it('serves the candidate page at /s/:roomId, cross-origin isolated and never cached stale', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const reply = await get(ts, `/s/${newRoom().roomId}`)
    expect(reply.status).toBe(200)
    expect(reply.body.toString()).toBe(INDEX)
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(reply.headers['cross-origin-embedder-policy']).toBe('require-corp')
    expect(reply.headers['cross-origin-resource-policy']).toBe('same-origin')
    expect(reply.headers['cache-control']).toBe('no-cache')
    const again = await get(ts, `/s/${newRoom().roomId}`, { 'If-None-Match': String(reply.headers.etag) })
    expect(again.status).toBe(304)
    expect(again.body).toHaveLength(0)
  })

  it('serves hashed assets under /s/ and / with immutable caching and COEP', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    for (const path of ['/s/assets/index-a1b2c3.js', '/assets/index-a1b2c3.js']) {
      const reply = await get(ts, path)
      expect(reply.status).toBe(200)
      expect(reply.body.toString()).toBe(SCRIPT)
      expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8')
      expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(reply.headers['cross-origin-embedder-policy']).toBe('require-corp')
    }
    const icon = await get(ts, '/s/favicon.svg')
    expect(icon.headers['cache-control']).toBe('no-cache')
  })

  it('serves a code-runner worker with its own CSP, which a module worker runs under', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const reply = await get(ts, '/s/assets/python-runner.worker-B6OkkZDd.js')
    expect(reply.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'")
    // Its fetches are held to the Pyodide folder of the origin it was asked for.
    const { port } = ts.server
    expect(reply.headers['content-security-policy']).toContain(`connect-src http://127.0.0.1:${port}/pyodide/;`)
    expect(reply.headers['cross-origin-embedder-policy']).toBe('require-corp')
    const named = await get(ts, '/s/assets/python-runner.worker-B6OkkZDd.js', { Host: 'duet.example.com' })
    expect(named.headers['content-security-policy']).toContain('connect-src http://duet.example.com/pyodide/;')
    const odd = await get(ts, '/s/assets/python-runner.worker-B6OkkZDd.js', { Host: 'a;b' })
    expect(odd.headers['content-security-policy']).toContain("connect-src 'self';")
    const script = await get(ts, '/assets/index-a1b2c3.js')
    expect(script.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
  })

  it('compresses with brotli or gzip as the client accepts, and not images', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const path = '/s/assets/index-a1b2c3.js'
    const br = await get(ts, path, { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toBe('Accept-Encoding')
    expect(br.body.length).toBeLessThan(SCRIPT.length / 5)
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT)
    const gz = await get(ts, path, { 'Accept-Encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(SCRIPT)
    const refused = await get(ts, path, { 'Accept-Encoding': 'br;q=0, gzip;q=0' })
    expect(refused.headers['content-encoding']).toBeUndefined()
    expect(refused.body.toString()).toBe(SCRIPT)
    const png = await get(ts, '/assets/logo-d4e5f6.png', { 'Accept-Encoding': 'br' })
    expect(png.headers['content-encoding']).toBeUndefined()
    expect(png.headers['content-type']).toBe('image/png')
    const page = await get(ts, `/s/${newRoom().roomId}`, { 'Accept-Encoding': 'br' })
    expect(brotliDecompressSync(page.body).toString()).toBe(INDEX)
  })

  it('answers HEAD with headers only', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const reply = await get(ts, '/assets/index-a1b2c3.js', {}, 'HEAD')
    expect(reply.status).toBe(200)
    expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(SCRIPT)))
    expect(reply.body).toHaveLength(0)
  })

  it.each([
    '/s/../secret.txt',
    '/s/assets/../../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/s/%2e%2e/secret.txt',
    '/s/..%5csecret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/index-a1b2c3.js%00.png',
  ])('refuses %s', async (path) => {
    ts = await startTestServer({}, { candidateDir: dist })
    const reply = await get(ts, path)
    expect(reply.status).toBe(404)
    expect(reply.body.toString()).not.toContain('not for candidates')
  })

  it('says what to do when the candidate page is not built', async () => {
    ts = await startTestServer({}, { candidateDir: join(dir, 'missing') })
    const reply = await get(ts, `/s/${newRoom().roomId}`)
    expect(reply.status).toBe(503)
    expect(reply.body.toString()).toContain('candidate build')
    expect(reply.body.toString()).toContain('candidate-web/dist')
  })

  it('answers other methods, unknown paths and plain requests to the socket path clearly', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const post = await get(ts, '/healthz', {}, 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
    expect((await get(ts, '/nothing-here.js')).status).toBe(404)
    expect((await get(ts, '/ws')).status).toBe(426)
  })

  it('refuses WebSocket upgrades on other paths', async () => {
    ts = await startTestServer({}, { candidateDir: dist })
    const reply = await get(ts, '/other', {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    })
    expect(reply.status).toBe(404)
  })
})
