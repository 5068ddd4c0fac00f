import { createServer, type RequestListener, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { IceServer } from '../../shared/signaling/protocol'
import { chooseSignaling, healthUrlOf, mergeIceServers, testSignaling } from './signaling-choice'

const stun: IceServer = { urls: 'stun:stun.example.org:3478' }
const turn: IceServer = { urls: 'turn:turn.example.org:3478', username: 'duet', credential: 'secret' }
const embedded = { baseUrl: 'http://192.168.1.20:8787', iceServers: [stun] }

const servers: Server[] = []

/** A plain HTTP server on 127.0.0.1 standing in for whatever answers at a URL a user typed. */
async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

describe('choosing the signaling server', () => {
  it('takes the embedded server unless Settings say remote', () => {
    const settings = { signaling: { mode: 'embedded', remoteUrl: 'https://x.example' }, iceServers: [] } as const
    expect(chooseSignaling(settings, embedded)).toEqual(embedded)
    expect(chooseSignaling(settings, null)).toBeNull()
    const remote = { ...settings, signaling: { mode: 'remote', remoteUrl: 'https://x.example' } } as const
    expect(chooseSignaling(remote, null)).toEqual({ baseUrl: 'https://x.example', iceServers: [] })
  })

  it('merges ICE servers: Settings first, each server once', () => {
    expect(mergeIceServers([turn, stun], [stun, { urls: ['stun:stun.example.org:3478'] }])).toEqual([turn, stun])
    expect(mergeIceServers([], [stun])).toEqual([stun])
    // The same URL with other credentials is another account: both stay.
    expect(mergeIceServers([turn], [{ ...turn, credential: 'other' }])).toHaveLength(2)
  })

  it('puts /healthz beside the links, under any path prefix', () => {
    expect(healthUrlOf('https://duet.example.com')).toBe('https://duet.example.com/healthz')
    expect(healthUrlOf('https://duet.example.com/interviews/')).toBe('https://duet.example.com/interviews/healthz')
  })
})

describe('testing a signaling server', () => {
  it('asks under the path prefix and accepts a health report', async () => {
    const paths: string[] = []
    const url = await serve((request, response) => {
      paths.push(request.url ?? '')
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ ok: true, rooms: 0, connections: 0, uptime: 1 }))
    })
    const result = await testSignaling(`${url}/duet`, { fetch })
    expect(result).toMatchObject({ ok: true })
    expect(paths).toEqual(['/duet/healthz'])
  })

  it('says when the answer is not a Duet health report', async () => {
    const notFound = await serve((_request, response) => {
      response.statusCode = 404
      response.end('not here')
    })
    expect(await testSignaling(notFound, { fetch })).toEqual({
      ok: false,
      error: `${notFound}/healthz answered HTTP 404; is this a Duet signaling server?`,
    })
    const page = await serve((_request, response) => response.end('<!doctype html><title>Welcome</title>'))
    expect(await testSignaling(page, { fetch })).toEqual({
      ok: false,
      error: `${page}/healthz answered, but not with a Duet signaling server's health report.`,
    })
  })

  it('gives up after the timeout when the server never answers', async () => {
    const silent = await serve(() => undefined)
    const started = Date.now()
    expect(await testSignaling(silent, { fetch, timeoutMs: 200 })).toEqual({
      ok: false,
      error: `Could not reach ${silent}/healthz: no answer within 0.2 s.`,
    })
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
