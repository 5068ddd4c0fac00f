// Test-only: runs the signaling server CLI as a separate Node process with the V8 inspector on,
// and reads its heap through the inspector protocol, so the server needs no test hook at all.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { SIGNALING_PATH } from '../src/shared/signaling/protocol'
import { waitFor } from '../src/shared/peer/test-support/wait'

const repoRoot = resolve(import.meta.dirname, '..')

const ReplySchema = z.object({
  id: z.number(),
  result: z.unknown().optional(),
  error: z.object({ message: z.string() }).optional(),
})
const EventSchema = z.object({ method: z.string(), params: z.unknown().optional() })
const ChunkSchema = z.object({ chunk: z.string() })
/** Only the part of a V8 heap snapshot this reads: every string the heap held. */
const SnapshotSchema = z.looseObject({ strings: z.array(z.string()) })

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
export class InspectorClient {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private readonly listeners = new Map<string, (params: unknown) => void>()

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event: MessageEvent) => {
      const message: unknown = JSON.parse(String(event.data))
      const reply = ReplySchema.safeParse(message)
      if (reply.success) {
        const waiting = this.pending.get(reply.data.id)
        this.pending.delete(reply.data.id)
        if (reply.data.error) waiting?.reject(new Error(reply.data.error.message))
        else waiting?.resolve(reply.data.result)
        return
      }
      const notification = EventSchema.safeParse(message)
      if (notification.success) this.listeners.get(notification.data.method)?.(notification.data.params)
    })
  }

  static async connect(url: string): Promise<InspectorClient> {
    const socket = new WebSocket(url)
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true })
      socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true })
    })
    return new InspectorClient(socket)
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.socket.send(JSON.stringify({ id, method, params }))
    })
  }

  /**
   * Collects garbage, then takes a heap snapshot and returns the strings in it: every JavaScript
   * string the process still holds (one- and two-byte strings alike, decoded from the snapshot's
   * JSON), whether or not anything reachable still points at it.
   */
  async heapStrings(): Promise<{ strings: string[]; snapshotBytes: number }> {
    await this.send('HeapProfiler.enable')
    // Twice: the first pass may only make more garbage collectable (weak references, finalizers).
    await this.send('HeapProfiler.collectGarbage')
    await this.send('HeapProfiler.collectGarbage')
    const chunks: string[] = []
    this.listeners.set('HeapProfiler.addHeapSnapshotChunk', (params) => chunks.push(ChunkSchema.parse(params).chunk))
    await this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    this.listeners.delete('HeapProfiler.addHeapSnapshotChunk')
    const text = chunks.join('')
    return { strings: SnapshotSchema.parse(JSON.parse(text)).strings, snapshotBytes: Buffer.byteLength(text) }
  }

  close(): void {
    this.socket.close()
  }
}

/** Where this can read another process's memory: Linux, through /proc/<pid>/mem. */
export const CAN_READ_PROCESS_MEMORY = existsSync('/proc/self/maps') && existsSync('/proc/self/mem')

/** Reads at most this much at a time, so a large region needs no buffer of its size. */
const READ_CHUNK_BYTES = 16 * 1024 * 1024

/**
 * How many times each needle occurs, as UTF-8 (or Latin-1) and as UTF-16, in every writable
 * region of process `pid`: the JavaScript heap, malloc's heap (freed blocks included), stacks and
 * buffers alike. Read-only and executable mappings hold code and files, not anything the process
 * was sent. A chunk overlaps the next by the longest needle, so no match is cut in two.
 */
export function searchProcessMemory(pid: number, needles: Record<string, string>): Record<string, number> {
  const patterns = Object.entries(needles).flatMap(([name, needle]) => [
    { name: `${name} (UTF-8)`, bytes: Buffer.from(needle, 'utf8') },
    { name: `${name} (UTF-16)`, bytes: Buffer.from(needle, 'utf16le') },
  ])
  const overlap = Math.max(...patterns.map((p) => p.bytes.length)) - 1
  const found: Record<string, number> = {}
  const buffer = Buffer.alloc(READ_CHUNK_BYTES + overlap)
  // Most of a V8 process's writable address space is reserved and never touched: reads as zeros.
  const zeros = Buffer.alloc(READ_CHUNK_BYTES + overlap)
  const memory = openSync(`/proc/${pid}/mem`, 'r')
  try {
    for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
      const [range = '', permissions = ''] = line.split(/\s+/)
      if (!permissions.startsWith('rw')) continue
      const [start = 0n, end = 0n] = range.split('-').map((hex) => BigInt(`0x${hex}`))
      for (let at = start; at < end; at += BigInt(READ_CHUNK_BYTES)) {
        const length = Number(
          end - at < BigInt(READ_CHUNK_BYTES + overlap) ? end - at : BigInt(READ_CHUNK_BYTES + overlap),
        )
        let read: number
        try {
          read = readSync(memory, buffer, 0, length, at)
        } catch {
          // A guard page or a region unmapped since maps was read: nothing there to search.
          break
        }
        const view = buffer.subarray(0, read)
        if (view.equals(zeros.subarray(0, read))) continue
        for (const { name, bytes } of patterns) {
          // Count a match once: only where it starts inside this chunk, not in the overlap.
          for (let i = view.indexOf(bytes); i >= 0 && i < READ_CHUNK_BYTES; i = view.indexOf(bytes, i + 1)) {
            found[name] = (found[name] ?? 0) + 1
          }
        }
      }
    }
  } finally {
    closeSync(memory)
  }
  return found
}

export interface InspectedServer {
  process: ChildProcess
  /** `http://127.0.0.1:port`: the candidate page and /config. */
  baseUrl: string
  wsUrl: string
  inspector: InspectorClient
  /** Every line the server wrote to stdout and stderr. */
  stdout: string[]
  stderr: string[]
  stop(): Promise<void>
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  let rest = ''
  stream?.setEncoding('utf8')
  stream?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    into.push(...lines)
  })
  stream?.on('end', () => {
    if (rest !== '') into.push(rest)
  })
}

/** `npm run signaling` as its own process on a free loopback port, with `--inspect` on loopback. */
export async function startInspectedServer(): Promise<InspectedServer> {
  const candidateDir = mkdtempSync(join(tmpdir(), 'duet-privacy-candidate-'))
  const child = spawn(
    process.execPath,
    [
      '--inspect=127.0.0.1:0',
      '--import',
      'tsx',
      'signaling/cli.ts',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--candidate-dir',
      candidateDir,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const stdout: string[] = []
  const stderr: string[] = []
  collectLines(child.stdout, stdout)
  collectLines(child.stderr, stderr)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const find = (lines: string[], pattern: RegExp): string | undefined =>
    lines.map((line) => pattern.exec(line)?.[1]).find((match) => match !== undefined)
  await waitFor(
    () => find(stdout, /^Duet signaling server: (http:\/\/\S+)$/) !== undefined || child.exitCode !== null,
    'the signaling server to start',
    30_000,
  )
  const baseUrl = find(stdout, /^Duet signaling server: (http:\/\/\S+)$/)
  const inspectorUrl = find(stderr, /Debugger listening on (ws:\/\/\S+)/)
  if (!baseUrl || !inspectorUrl) {
    child.kill('SIGKILL')
    throw new Error(`the signaling server did not start:\n${[...stdout, ...stderr].join('\n')}`)
  }
  const inspector = await InspectorClient.connect(inspectorUrl)
  return {
    process: child,
    baseUrl,
    wsUrl: `${baseUrl.replace(/^http/, 'ws')}${SIGNALING_PATH}`,
    inspector,
    stdout,
    stderr,
    async stop() {
      inspector.close()
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
