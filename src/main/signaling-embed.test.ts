import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import type { NetworkInterfaceInfo } from 'node:os'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HealthSchema, SignalingConfigSchema } from '../shared/signaling/protocol'
import {
  advertisedHost,
  DEFAULT_SIGNALING_HOST,
  DEFAULT_SIGNALING_PORT,
  embeddedSignalingConfig,
  lanAddress,
  startEmbeddedSignaling,
  type EmbeddedSignaling,
  type InterfaceTable,
} from './signaling-embed'

function ipv4(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    netmask: '255.255.255.0',
    family: 'IPv4',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: `${address}/24`,
  }
}

function ipv6(address: string): NetworkInterfaceInfo {
  return {
    address,
    netmask: 'ffff:ffff:ffff:ffff::',
    family: 'IPv6',
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: `${address}/64`,
    scopeid: 0,
  }
}

const laptop: InterfaceTable = {
  lo: [ipv4('127.0.0.1', true)],
  wlan0: [ipv6('fe80::1'), ipv4('169.254.10.20'), ipv4('192.168.1.20')],
  eth1: [ipv4('10.0.0.5')],
}

let dir: string
const running: EmbeddedSignaling[] = []
const blockers: Server[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-embed-'))
})

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
  await Promise.all(blockers.splice(0).map((b) => new Promise((resolve) => b.close(resolve))))
  rmSync(dir, { recursive: true, force: true })
})

async function start(port: number, interfaces: InterfaceTable = laptop): Promise<EmbeddedSignaling> {
  const signaling = await startEmbeddedSignaling({
    port,
    host: '127.0.0.1',
    candidateDir: dir,
    iceServers: [{ urls: 'stun:stun.example.org:3478' }],
    interfaces: () => interfaces,
    log: () => undefined,
  })
  running.push(signaling)
  return signaling
}

describe('lanAddress', () => {
  it('takes the first external IPv4, skipping loopback, IPv6 and link-local addresses', () => {
    expect(lanAddress(laptop)).toBe('192.168.1.20')
    expect(lanAddress({ veth0: [ipv4('10.203.0.1')] })).toBe('10.203.0.1')
  })

  it('falls back to loopback on a machine with no network', () => {
    expect(lanAddress({ lo: [ipv4('127.0.0.1', true)], wlan0: [ipv6('fe80::1'), ipv4('169.254.1.1')] })).toBe(
      '127.0.0.1',
    )
    expect(lanAddress({})).toBe('127.0.0.1')
  })
})

describe('advertisedHost', () => {
  it('uses the LAN address when listening everywhere, else the address listened on', () => {
    expect(advertisedHost('0.0.0.0', laptop)).toBe('192.168.1.20')
    expect(advertisedHost('::', laptop)).toBe('192.168.1.20')
    expect(advertisedHost('127.0.0.1', laptop)).toBe('127.0.0.1')
    expect(advertisedHost('localhost', laptop)).toBe('127.0.0.1')
    expect(advertisedHost('10.203.0.1', laptop)).toBe('10.203.0.1')
    expect(advertisedHost('fd00::7', laptop)).toBe('[fd00::7]')
  })
})

describe('embeddedSignalingConfig', () => {
  it('defaults to every interface on port 8787 with no ICE servers', () => {
    expect(embeddedSignalingConfig({}, {})).toEqual({
      ok: true,
      value: { port: DEFAULT_SIGNALING_PORT, host: DEFAULT_SIGNALING_HOST, iceServers: [] },
    })
    expect(DEFAULT_SIGNALING_HOST).toBe('0.0.0.0')
    expect(embeddedSignalingConfig({}, { DUET_SIGNALING_PORT: ' ', DUET_SIGNALING_HOST: '' })).toMatchObject({
      value: { port: 8787, host: '0.0.0.0' },
    })
  })

  it('reads the environment, and flags win over it', () => {
    const env = {
      DUET_SIGNALING_PORT: '9001',
      DUET_SIGNALING_HOST: '127.0.0.1',
      DUET_ICE_SERVERS: '[{"urls":"stun:stun.example.org:3478"}]',
    }
    expect(embeddedSignalingConfig({}, env)).toEqual({
      ok: true,
      value: { port: 9001, host: '127.0.0.1', iceServers: [{ urls: 'stun:stun.example.org:3478' }] },
    })
    expect(
      embeddedSignalingConfig({ port: 0, host: '10.203.0.1' }, { ...env, DUET_SIGNALING_PORT: 'junk' }),
    ).toMatchObject({
      value: { port: 0, host: '10.203.0.1' },
    })
  })

  it('says which variable is wrong', () => {
    expect(embeddedSignalingConfig({}, { DUET_SIGNALING_PORT: '70000' })).toEqual({
      ok: false,
      message: 'DUET_SIGNALING_PORT: must be 0 to 65535',
    })
    const ice = embeddedSignalingConfig({}, { DUET_ICE_SERVERS: '[{"urls":"turn:t.example.org"}]' })
    expect(ice.ok).toBe(false)
    expect(!ice.ok && ice.message).toContain('DUET_ICE_SERVERS')
  })
})

describe('startEmbeddedSignaling', () => {
  it('runs a real server whose /healthz and /config answer, with links on the address listened on', async () => {
    const signaling = await start(0)
    expect(signaling.server.port).toBeGreaterThan(0)
    const info = signaling.info()
    expect(info).toEqual({
      baseUrl: `http://127.0.0.1:${signaling.server.port}`,
      iceServers: [{ urls: 'stun:stun.example.org:3478' }],
    })
    const health = await fetch(`${info.baseUrl}/healthz`)
    expect(health.status).toBe(200)
    expect(HealthSchema.parse(await health.json())).toMatchObject({ ok: true, rooms: 0 })
    const config = SignalingConfigSchema.parse(await (await fetch(`${info.baseUrl}/config`)).json())
    expect(config.iceServers).toEqual(info.iceServers)
  })

  it('serves the candidate page from the given folder', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Duet candidate</title>')
    const { baseUrl } = (await start(0)).info()
    const page = await fetch(`${baseUrl}/s/${'A'.repeat(22)}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Duet candidate')
  })

  it('takes a free port when the one asked for is in use', async () => {
    const blocker = createServer()
    blockers.push(blocker)
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const signaling = await start(address.port)
    expect(signaling.server.port).not.toBe(address.port)
    expect((await fetch(`${signaling.info().baseUrl}/healthz`)).status).toBe(200)
  })

  it('stops answering once closed', async () => {
    const signaling = await start(0)
    const { baseUrl } = signaling.info()
    await signaling.close()
    running.splice(0)
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow()
  })
})
