import { toBase64 } from 'lib0/buffer'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import {
  deepJson,
  flipBits,
  fromBase64,
  mutateBlob,
  mutateFields,
  randomJson,
  truncate,
  type Json,
  type Rng,
} from '../../../test-support/fuzz'
import type { LinkFrame } from '../frames'

/** One valid frame of every type, for mutation and replay next to the ones captured from a session. */
export const VALID_FRAMES: readonly LinkFrame[] = [
  {
    type: 'session.info',
    info: { title: 'Pairing', interviewerName: 'Ada', language: 'python', problems: [] },
  },
  { type: 'session.state', state: { status: 'live', currentProblem: 0, startedAt: 1, timeLimitMs: null } },
  { type: 'candidate.hello', name: 'Grace Hopper' },
  { type: 'event', kind: 'paste', problem: 0, chars: 150 },
  { type: 'event', kind: 'focus-lost', problem: 1 },
  {
    type: 'run.started',
    runId: 'fuzz-run',
    problem: 0,
    kind: 'run',
    language: 'python',
    code: 'print(1)\n',
    agoMs: 0,
  },
  { type: 'run.output', runId: 'fuzz-run', stream: 'stdout', text: '1\n' },
  { type: 'run.finished', runId: 'fuzz-run', result: { status: 'ok', durationMs: 1, tests: null } },
  { type: 'ping', t: 1 },
  { type: 'pong', t: 1, at: 2 },
  { type: 'bye', reason: 'ended' },
]

const asJson = (frame: LinkFrame): Json => frame as unknown as Json

function dataOf(corpus: readonly LinkFrame[], type: 'sync' | 'awareness'): string[] {
  return corpus.flatMap((f) => (f.type === type && f.data.length >= 4 ? [f.data] : []))
}

/**
 * A hostile link frame as a JSON value: a valid frame changed field by field or bit by bit,
 * a random value, nesting far past any valid frame, valid frames replayed, or sync and awareness
 * frames whose Yjs bytes are random or mutated.
 */
export function hostileValue(rng: Rng, corpus: readonly LinkFrame[]): Json {
  const frame = asJson(rng.pick(corpus))
  const roll = rng.int(100)
  if (roll < 15) return randomJson(rng)
  if (roll < 40) return mutateFields(rng, frame, asJson(rng.pick(corpus)))
  if (roll < 55) {
    const flipped = flipBits(rng, JSON.stringify(frame))
    try {
      return JSON.parse(flipped) as Json
    } catch {
      return flipped
    }
  }
  if (roll < 63) return frame
  if (roll < 73) return { type: 'sync', data: toBase64(rng.bytes(1 + rng.int(64))) }
  if (roll < 85) {
    const sync = dataOf(corpus, 'sync')
    if (sync.length > 0) return { type: 'sync', data: mutateBlob(rng, rng.pick(sync)) }
  }
  if (roll < 92) {
    const awareness = dataOf(corpus, 'awareness')
    if (awareness.length > 0) {
      return { type: 'awareness', data: mutateBlob(rng, rng.pick(awareness)) }
    }
  }
  if (roll < 96) return { type: 'sync', data: JSON.parse(deepJson(300)) as Json }
  return rng.text(100)
}

/**
 * A hostile data-channel message as text: anything `hostileValue` makes, and also text that is not
 * JSON at all (random, truncated, bit-flipped), nesting deep enough to overflow a recursive
 * parser, and frames far larger than a link frame may be.
 */
export function hostileText(rng: Rng, corpus: readonly LinkFrame[]): string {
  const roll = rng.int(100)
  const frame = JSON.stringify(rng.pick(corpus))
  if (roll < 10) return rng.text(300)
  if (roll < 20) return truncate(rng, frame)
  if (roll < 30) return flipBits(rng, frame)
  if (roll < 32) return rng.chance(0.5) ? deepJson(20_000) : deepJson(20_000, '{"a":', '}', '1')
  if (roll < 34) {
    const huge = rng.chance(0.5)
      ? { type: 'sync', data: 'A'.repeat(2_000_004) }
      : { type: 'candidate.hello', name: 'x'.repeat(100_000) }
    return JSON.stringify(huge)
  }
  return JSON.stringify(hostileValue(rng, corpus))
}

/** Whether `text` is JSON at all: what the receiving side can tell before any schema. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Bytes in a base64 blob, as the receiver decodes it. */
export const blobBytes = (blob: string): number => fromBase64(blob).length

/**
 * Whether `frame`, taken by the receiver, would put in its document edits that a client has not
 * made yet: new text under `sender`'s own id at a clock it has not reached, or deletions of
 * characters that neither side has yet. Yjs trusts each client with its own ids, so when those
 * edits are later made for real the receiver keeps the forged ones and the two documents differ
 * for good. No schema can tell such a frame from an honest one; only the client itself can send
 * it (the link is authenticated), so it can only ever garble that client's own view, and a
 * hostile page that wants that can simply type garbage. `states` holds each side's next clock.
 */
export function forgesFutureEdits(frame: Json, sender: number, states: ReadonlyMap<number, number>): boolean {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return false
  if (frame.type !== 'sync' || typeof frame.data !== 'string') return false
  let update: ReturnType<typeof Y.decodeUpdate>
  try {
    const decoder = decoding.createDecoder(fromBase64(frame.data))
    const type = decoding.readVarUint(decoder)
    if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return false
    update = Y.decodeUpdate(decoding.readVarUint8Array(decoder))
  } catch {
    return false
  }
  const next = (client: number): number => states.get(client) ?? 0
  const newText = update.structs.some(
    (struct) => struct.id.client === sender && struct.id.clock + struct.length > next(sender),
  )
  const futureDeletes = [...states.keys()].some((client) =>
    (update.ds.clients.get(client) ?? []).some((deleted) => deleted.clock + deleted.len > next(client)),
  )
  return newText || futureDeletes
}
