import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import {
  SIGNALING_PATH,
  SIGNALING_PROTOCOL_VERSION,
  ServerFrameSchema,
  type ClientFrame,
  type ServerFrame,
} from '../src/shared/signaling/protocol'
import type { Benchmark } from './benchmark'

const ROOMS = 500
const JOIN_REPETITIONS = 5
const RSS_REPETITIONS = 3
/** Sockets opened at a time while setting up, so setup does not overflow the listen backlog. */
const OPEN_BATCH = 100
const FRAME_TIMEOUT_MS = 30_000
const START_TIMEOUT_MS = 30_000
/** Time for the server to finish its work and settle before its memory is read. */
const SETTLE_MS = 1000

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

interface ServerProcess {
  wsUrl: string
  pid: number
  stop(): Promise<void>
}

/**
 * The real CLI in a child process: the server's memory is its own, and the 1,000 clients of this
 * process do not share its event loop.
 */
async function startServerProcess(): Promise<ServerProcess> {
  const emptyDist = mkdtempSync(join(tmpdir(), 'duet-bench-signaling-'))
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'signaling/cli.ts', '--port', '0', '--host', '127.0.0.1', '--candidate-dir', emptyDist],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Log lines go to stdout; a pipe nobody reads would block the server when it fills.
  child.stderr?.resume()
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the signaling server did not start in time')), START_TIMEOUT_MS)
    child.once('exit', (code) => reject(new Error(`the signaling server exited with ${String(code)}`)))
    if (!child.stdout) throw new Error('no stdout from the signaling server')
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Duet signaling server: (\S+)/.exec(line)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
  })
  if (child.pid === undefined) throw new Error('the signaling server has no pid')
  return {
    wsUrl: `${url.replace(/^http/, 'ws')}${SIGNALING_PATH}`,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      rmSync(emptyDist, { recursive: true, force: true })
    },
  }
}

/** Resident memory of another process, in MB (Linux /proc, or `ps` elsewhere). */
async function rssMB(pid: number): Promise<number> {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kB = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
    if (kB) return Number(kB) / 1024
  } catch {
    // Not Linux: ask ps below.
  }
  const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  ps.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  await new Promise((resolve) => ps.once('exit', resolve))
  const kB = Number(out.trim())
  if (!Number.isFinite(kB) || kB <= 0) throw new Error(`cannot read the memory of process ${pid}`)
  return kB / 1024
}

/** A socket with a queue of frames and their arrival times, so a frame that arrives before anyone waits is kept. */
class BenchClient {
  readonly ws: WebSocket
  private readonly frames: { frame: ServerFrame; at: number }[] = []
  private waiter: (() => void) | null = null

  constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data: Buffer) => {
      this.frames.push({ frame: ServerFrameSchema.parse(JSON.parse(data.toString('utf8'))), at: performance.now() })
      this.waiter?.()
    })
  }

  send(frame: ClientFrame): void {
    this.ws.send(JSON.stringify(frame))
  }

  /** Resolves with the time the next frame of `type` arrived; a refusal fails the benchmark. */
  async arrival(type: ServerFrame['type']): Promise<number> {
    const deadline = performance.now() + FRAME_TIMEOUT_MS
    for (;;) {
      const refusal = this.frames.find(({ frame }) => frame.type === 'error')?.frame
      if (refusal?.type === 'error') throw new Error(`the server refused: ${refusal.code} (${refusal.message})`)
      const index = this.frames.findIndex(({ frame }) => frame.type === type)
      if (index >= 0) return this.frames.splice(index, 1)[0]?.at ?? Number.NaN
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`no ${type} frame within ${FRAME_TIMEOUT_MS} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.waiter = null
    }
  }
}

async function openClients(wsUrl: string, count: number): Promise<BenchClient[]> {
  const clients: BenchClient[] = []
  for (let start = 0; start < count; start += OPEN_BATCH) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(OPEN_BATCH, count - start) },
        () =>
          new Promise<BenchClient>((resolve, reject) => {
            const ws = new WebSocket(wsUrl)
            const client = new BenchClient(ws)
            ws.once('open', () => resolve(client))
            ws.once('error', reject)
          }),
      ),
    )
    clients.push(...batch)
  }
  return clients
}

function newRoom() {
  const joinKey = randomBytes(32).toString('base64url')
  return {
    roomId: randomBytes(16).toString('base64url'),
    hostToken: randomBytes(32).toString('base64url'),
    joinKey,
    joinKeyHash: createHash('sha256').update(joinKey).digest('base64url'),
  }
}

type RoomMaterial = ReturnType<typeof newRoom>

async function registerHosts(wsUrl: string, rooms: readonly RoomMaterial[]): Promise<BenchClient[]> {
  const hosts = await openClients(wsUrl, rooms.length)
  const expiresAt = Date.now() + 60 * 60 * 1000
  await Promise.all(
    hosts.map((host, i) => {
      const room = rooms[i] as RoomMaterial
      host.send({ type: 'host.register', v: SIGNALING_PROTOCOL_VERSION, ...room, expiresAt })
      return host.arrival('host.registered')
    }),
  )
  return hosts
}

/** Sends every join in one go and returns each one's time from send to `guest.joined`, in ms. */
async function joinAtOnce(guests: readonly BenchClient[], rooms: readonly RoomMaterial[]): Promise<number[]> {
  const pending = guests.map((guest, i) => {
    const room = rooms[i] as RoomMaterial
    const sent = performance.now()
    guest.send({ type: 'guest.join', v: SIGNALING_PROTOCOL_VERSION, roomId: room.roomId, joinKey: room.joinKey })
    return guest.arrival('guest.joined').then((arrived) => arrived - sent)
  })
  return Promise.all(pending)
}

function closeAll(clients: readonly BenchClient[]): void {
  for (const client of clients) client.ws.terminate()
}

function p99(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN
}

/** 500 hosts registered, then 500 guests join at once; one sample is the p99 of one such wave. */
export const signalingJoinP99Ms500: Benchmark = {
  key: 'signalingJoinP99Ms500',
  title: `p99 join latency, ${ROOMS} guests joining ${ROOMS} rooms at once (server in a child process)`,
  target: 100,
  unit: 'ms',
  async run() {
    const samples: number[] = []
    for (let rep = 0; rep < JOIN_REPETITIONS; rep++) {
      const server = await startServerProcess()
      const clients: BenchClient[] = []
      try {
        const rooms = Array.from({ length: ROOMS }, newRoom)
        const hosts = await registerHosts(server.wsUrl, rooms)
        clients.push(...hosts)
        const guests = await openClients(server.wsUrl, ROOMS)
        clients.push(...guests)
        samples.push(p99(await joinAtOnce(guests, rooms)))
      } finally {
        closeAll(clients)
        await server.stop()
      }
    }
    return samples
  },
}

/** Resident memory of the server process holding 500 rooms, each with its host and guest connected. */
export const signalingRssMB500: Benchmark = {
  key: 'signalingRssMB500',
  title: `server RSS with ${ROOMS} rooms, host and guest connected and one signal each way`,
  target: 150,
  unit: 'MB',
  async run() {
    const samples: number[] = []
    for (let rep = 0; rep < RSS_REPETITIONS; rep++) {
      const server = await startServerProcess()
      const clients: BenchClient[] = []
      try {
        const rooms = Array.from({ length: ROOMS }, newRoom)
        const hosts = await registerHosts(server.wsUrl, rooms)
        clients.push(...hosts)
        const guests = await openClients(server.wsUrl, ROOMS)
        clients.push(...guests)
        await joinAtOnce(guests, rooms)
        // An offer and an answer the size of real encrypted SDP, so the relay path has run.
        const sdp = randomBytes(3000).toString('base64')
        await Promise.all(
          hosts.map(async (host, i) => {
            const guest = guests[i] as BenchClient
            host.send({ type: 'signal', data: sdp })
            await guest.arrival('signal')
            guest.send({ type: 'signal', data: sdp })
            await host.arrival('signal')
          }),
        )
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
        samples.push(await rssMB(server.pid))
      } finally {
        closeAll(clients)
        await server.stop()
      }
    }
    return samples
  },
}
