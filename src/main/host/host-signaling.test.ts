import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSignalingServer } from '../../../signaling/server'
import type { HostReply } from '../../shared/host-errors'
import { PACK_FORMAT } from '../../shared/pack'
import type { ProblemDraft } from '../../shared/problem'
import { SessionConnectionSchema, SessionSchema } from '../../shared/session'
import { SignalingTestSchema } from '../../shared/settings'
import type { IceServer } from '../../shared/signaling/protocol'
import { createHost, type Host } from './host'
import type { SignalingInfo } from './sessions'

let dir: string
const hosts: Host[] = []

const draft: ProblemDraft = {
  title: 'One',
  slug: 'one',
  difficulty: 'junior',
  entryFunction: 'solve',
  starterCode: { python: 'def solve():\n    pass\n' },
  solution: { python: 'def solve():\n    return 1\n' },
  tests: [{ name: 'one', args: [], expected: 1 }],
}

const stun: IceServer = { urls: 'stun:stun.example.org:3478' }
const turn: IceServer = { urls: ['turn:turn.example.org:3478'], username: 'duet', credential: 'secret' }

function start(embedded: SignalingInfo | null): Host {
  const packPath = join(dir, 'starter-pack.yaml')
  writeFileSync(packPath, stringify({ format: PACK_FORMAT, version: 1, problems: [draft] }))
  const host = createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: packPath,
    signaling: () => embedded,
    log: () => undefined,
  })
  hosts.push(host)
  return host
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

async function newSession(host: Host): Promise<string> {
  const input = { language: 'python', problems: { mode: 'random', difficulty: 'junior', count: 1 } }
  return SessionSchema.parse(valueOf(await host.dispatch('sessions.create', input))).id
}

async function connectionOf(host: Host, id: string) {
  return SessionConnectionSchema.parse(valueOf(await host.dispatch('sessions.connection', { id })))
}

/** A port on 127.0.0.1 that was free a moment ago and that nothing listens on now. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-host-signaling-'))
})

afterEach(() => {
  for (const host of hosts.splice(0)) host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('sessions.connection follows the signaling settings', () => {
  it('uses the embedded server by default, and the remote URL once Settings say remote', async () => {
    const host = start({ baseUrl: 'http://192.168.1.20:8787', iceServers: [stun] })
    const id = await newSession(host)
    const embedded = await connectionOf(host, id)
    expect(embedded.link).toBe(`http://192.168.1.20:8787/s/${embedded.roomId}#${embedded.secret}`)
    expect(embedded.signalingUrl).toBe('ws://192.168.1.20:8787/ws')
    expect(embedded.iceServers).toEqual([stun])

    const signaling = { mode: 'remote', remoteUrl: 'https://duet.example.com/interviews/' }
    valueOf(await host.dispatch('settings.update', { signaling, iceServers: [turn, stun] }))
    const remote = await connectionOf(host, id)
    expect(remote.link).toBe(`https://duet.example.com/interviews/s/${remote.roomId}#${remote.secret}`)
    expect(remote.signalingUrl).toBe('wss://duet.example.com/interviews/ws')
    // Settings' servers first; the embedded server's STUN is already listed, so it comes once.
    expect(remote.iceServers).toEqual([turn, stun])
    expect({ roomId: remote.roomId, secret: remote.secret }).toEqual({
      roomId: embedded.roomId,
      secret: embedded.secret,
    })

    valueOf(await host.dispatch('settings.update', { signaling: { ...signaling, mode: 'embedded' } }))
    expect((await connectionOf(host, id)).link).toBe(embedded.link)
  })

  it('gives a remote link even when the embedded server is not running', async () => {
    const host = start(null)
    const id = await newSession(host)
    expect(await host.dispatch('sessions.connection', { id })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    valueOf(
      await host.dispatch('settings.update', { signaling: { mode: 'remote', remoteUrl: 'https://duet.example.com' } }),
    )
    const remote = await connectionOf(host, id)
    expect(remote.link).toMatch(/^https:\/\/duet\.example\.com\/s\//)
    expect(remote.iceServers).toEqual([])
  })

  it('refuses a remote URL without TLS, naming the field, and keeps the previous settings', async () => {
    const host = start(null)
    const reply = await host.dispatch('settings.update', {
      signaling: { mode: 'remote', remoteUrl: 'http://duet.example.com' },
    })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const issues = reply.ok ? [] : reply.error.issues
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('signaling.remoteUrl')
    expect(issues[0]?.message).toMatch(/^must be an https:\/\/ URL, like https:\/\/duet\.example\.com: .*needs TLS/)
    expect(valueOf(await host.dispatch('settings.get', undefined))).toMatchObject({ signaling: { mode: 'embedded' } })
  })
})

describe('settings.testSignaling', () => {
  it('reaches a real signaling server and reports its latency', async () => {
    const server = await startSignalingServer({ port: 0, host: '127.0.0.1', iceServers: [], log: () => undefined })
    try {
      const host = start(null)
      const result = SignalingTestSchema.parse(
        valueOf(await host.dispatch('settings.testSignaling', { url: server.url })),
      )
      expect(result.error).toBeUndefined()
      expect(result.ok).toBe(true)
      expect(result.latencyMs).toBeGreaterThanOrEqual(0)
      expect(result.latencyMs).toBeLessThan(5000)
    } finally {
      await server.close()
    }
  })

  it('says clearly that nothing listens on a closed port', async () => {
    const port = await closedPort()
    const host = start(null)
    const result = valueOf(await host.dispatch('settings.testSignaling', { url: `http://127.0.0.1:${port}` }))
    expect(result).toEqual({
      ok: false,
      error: `Could not reach http://127.0.0.1:${port}/healthz: nothing listens at 127.0.0.1:${port} (connection refused). Is the server running there?`,
    })
  })

  it('refuses to test a URL that could not be saved', async () => {
    const host = start(null)
    const reply = await host.dispatch('settings.testSignaling', { url: 'http://duet.example.com' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input', issues: [{ path: 'url' }] } })
  })
})
