import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { BRIDGE_PATH, BridgeMessageSchema } from '../../shared/bridge-protocol'
import { BundleInspectionSchema, ExportedBundleSchema, MAX_BUNDLE_BYTES } from '../../shared/bundle'
import type { HostReply } from '../../shared/host-errors'
import { SessionSchema } from '../../shared/session'
import { startBridge, type RunningBridge } from '../bridge/server'
import { createHost, type Host } from './host'

// The browser bridge carries each call in one WebSocket frame, with a size limit: the largest
// bundle must fit, as base64 inside the call's JSON, both ways.

let dir: string
let host: Host
let bridge: RunningBridge
let ws: WebSocket

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duet-bundles-bridge-'))
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
    createRequestHandler: () => Promise.resolve((_req, res) => void res.writeHead(404).end()),
  })
  const origin = bridge.url.replace(/\/$/, '')
  ws = await new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}${BRIDGE_PATH}`, { origin })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
})

afterEach(async () => {
  ws.close()
  await bridge.close()
  host.close()
  rmSync(dir, { recursive: true, force: true })
})

let nextId = 1

/** One host call over the socket; a frame the bridge cannot take closes the socket instead. */
function call(method: string, input: unknown): Promise<HostReply> {
  const id = nextId++
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const message = BridgeMessageSchema.parse(JSON.parse(data.toString()))
      if (message.type !== 'reply' || message.id !== id) return
      ws.off('message', onMessage)
      resolve(message.reply)
    }
    ws.on('message', onMessage)
    ws.once('close', (code) => reject(new Error(`the bridge closed the socket (${code})`)))
    ws.send(JSON.stringify({ type: 'call', id, method, input }))
  })
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

describe('session bundles over the browser bridge', () => {
  it('carries a bundle near the limit both ways, and a file of the largest size to a reply', async () => {
    const problem = await call('problems.create', {
      title: 'Echo',
      slug: 'echo',
      difficulty: 'junior',
      entryFunction: 'echo',
      starterCode: { python: 'def echo(x):\n    pass\n' },
      solution: {},
    })
    const problemId = (valueOf(problem) as { id: number }).id
    const session = SessionSchema.parse(
      valueOf(await call('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [problemId] } })),
    )
    // 15 MB of random bytes, which no compression makes smaller: the bundle is over 85% of the limit.
    const state = randomBytes(15_000_000).toString('base64')
    valueOf(
      await call('recording.append', {
        sessionId: session.id,
        events: [{ tMs: 1, kind: 'focus-lost' }],
        snapshot: { tMs: 1, state },
      }),
    )

    const file = ExportedBundleSchema.parse(valueOf(await call('bundles.export', { sessionId: session.id })))
    expect(file.bytes).toBeGreaterThan(0.85 * MAX_BUNDLE_BYTES)
    expect(file.bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES)
    const inspection = BundleInspectionSchema.parse(
      valueOf(await call('bundles.inspect', { fileName: file.fileName, data: file.data })),
    )
    expect(inspection).toMatchObject({ sessionId: session.id, events: 1, alreadyPresent: true })

    const largest = Buffer.alloc(MAX_BUNDLE_BYTES)
    Buffer.from(file.data, 'base64').copy(largest)
    const reply = await call('bundles.inspect', { fileName: 'largest.duet', data: largest.toString('base64') })
    expect(reply).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('more than its header says') as string },
    })
  })
})
