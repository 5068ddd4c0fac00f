import { deflateRawSync, inflateRawSync } from 'node:zlib'
import * as Y from 'yjs'
import { z } from 'zod'
import { HostError } from '../../shared/host-errors'
import { EventKindSchema, type AppendEventsSchema, type Recording, type StoredEvent } from '../../shared/session'
import { describeIssues, parseWith, type FieldIssue } from '../../shared/validation'
import type { Db } from './database'

export type ParsedAppend = z.output<typeof AppendEventsSchema>

export interface RecordingService {
  /**
   * Stores one batch and its optional snapshot in one transaction. An ended session still takes
   * batches: the renderer's last flush may arrive just after it ended the session.
   */
  append(input: ParsedAppend): { stored: number }
  /** Events in the order they were stored, snapshots by time. */
  load(sessionId: string): Recording
}

const EventRowSchema = z.object({
  id: z.number().int(),
  t_ms: z.number().int(),
  kind: EventKindSchema,
  problem: z.number().int().nullable(),
  data: z.union([z.instanceof(Uint8Array), z.string(), z.null()]),
})
const LastEventIdSchema = z.number().int().nonnegative()
const SnapshotRowSchema = z.object({
  t_ms: z.number().int(),
  last_event_id: z.number().int(),
  state: z.instanceof(Uint8Array),
})

/**
 * Base64 to bytes, only when encoding the bytes again gives the same text: Node's decoder skips
 * stray characters and missing padding, and the recording must give back exactly what it got.
 */
function decodeBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : null
}

/*
 * A stored snapshot state that starts with one of these markers is deflated: an empty Yjs update
 * ([0, 0]) followed by "DZ2" (the state in Yjs's V2 encoding, which deflates to about half of
 * what V1 does) or "DZ1" (the V1 bytes as the host API carries them: rows written before V2, and
 * states that do not convert to V2 and back exactly). No Yjs update starts with
 * [0, 0, "DZ"]: states stored raw, as they all were at first, never do, so every kind of row reads
 * back without a column saying which it is.
 */
const MARKER = Buffer.from([0x00, 0x00, 0x44, 0x5a])
const DEFLATED_V1 = Buffer.concat([MARKER, Buffer.from('1')])
const DEFLATED_V2 = Buffer.concat([MARKER, Buffer.from('2')])
/** The largest state the append schema lets in, as bytes. */
const MAX_STATE_BYTES = 15_000_000

const startsWith = (bytes: Buffer, prefix: Buffer): boolean => bytes.subarray(0, prefix.length).equals(prefix)

/**
 * The V2 encoding of a V1 state, only when converting it back gives the very same bytes; null for
 * bytes that are no Yjs update, or one that would not come back exactly.
 */
function toV2(state: Buffer): Uint8Array | null {
  try {
    const v2 = Y.convertUpdateFormatV1ToV2(state)
    return Buffer.from(Y.convertUpdateFormatV2ToV1(v2)).equals(state) ? v2 : null
  } catch {
    return null
  }
}

/**
 * Deflated as V2 when it is V2 or converts to it exactly, else as V1; kept raw when that saves
 * nothing and cannot be mistaken. A V2 state is stored as given: converting costs milliseconds.
 */
function packState(state: Buffer, encoding: 'v1' | 'v2'): Buffer {
  if (encoding === 'v2') return Buffer.concat([DEFLATED_V2, deflateRawSync(state)])
  const v2 = toV2(state)
  const packed =
    v2 === null ? Buffer.concat([DEFLATED_V1, deflateRawSync(state)]) : Buffer.concat([DEFLATED_V2, deflateRawSync(v2)])
  return packed.length < state.length || startsWith(state, MARKER) ? packed : state
}

function unpackState(stored: Uint8Array): Buffer | null {
  const bytes = Buffer.from(stored)
  const inflate = () => inflateRawSync(bytes.subarray(DEFLATED_V1.length), { maxOutputLength: MAX_STATE_BYTES })
  try {
    if (startsWith(bytes, DEFLATED_V1)) return inflate()
    if (startsWith(bytes, DEFLATED_V2)) return Buffer.from(Y.convertUpdateFormatV2ToV1(inflate()))
    return bytes
  } catch {
    return null
  }
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function fromDisk<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = parseWith(schema, value)
  if (parsed.ok) return parsed.value
  throw new HostError('database', `${what} is unreadable in the database: ${describeIssues(parsed.issues)}`)
}

function notFound(id: string): HostError {
  return new HostError('not-found', `There is no session with id ${id}.`)
}

/**
 * The session timeline. Yjs updates and snapshots are stored as bytes (a third of base64's size
 * and what replay feeds to Yjs), snapshots deflated in Yjs's V2 encoding; other events keep their
 * JSON text, empty when they carry none. Event ids are numbered per session: each new event gets
 * the session's highest id plus one, in the transaction that writes it, and a snapshot names the
 * session's last event it includes.
 */
export function createRecordingService(db: Db): RecordingService {
  const statements = {
    exists: db.prepare('SELECT 1 FROM sessions WHERE id = ?').pluck(),
    lastEventId: db.prepare('SELECT coalesce(max(id), 0) FROM session_events WHERE session_id = ?').pluck(),
    insertEvent: db.prepare(
      'INSERT INTO session_events (session_id, id, t_ms, kind, problem, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertSnapshot: db.prepare(
      'INSERT INTO session_snapshots (session_id, t_ms, last_event_id, state) VALUES (?, ?, ?, ?)',
    ),
    events: db.prepare('SELECT id, t_ms, kind, problem, data FROM session_events WHERE session_id = ? ORDER BY id'),
    snapshots: db.prepare(
      'SELECT t_ms, last_event_id, state FROM session_snapshots WHERE session_id = ? ORDER BY t_ms, id',
    ),
  }

  // Everything is checked before the transaction starts, so a bad batch never half-writes.
  function encode(input: ParsedAppend): { data: (Buffer | string)[]; snapshot: Buffer | null } {
    const issues: FieldIssue[] = []
    const data = input.events.map((event, index) => {
      if (event.kind === 'yjs') {
        const bytes = decodeBase64(event.data)
        if (bytes === null) issues.push({ path: `events[${index}].data`, message: 'must be padded base64' })
        return bytes ?? ''
      }
      if (event.data !== '' && !isJsonText(event.data)) {
        issues.push({ path: `events[${index}].data`, message: 'must be JSON text or empty' })
      }
      return event.data
    })
    let snapshot: Buffer | null = null
    if (input.snapshot) {
      snapshot = decodeBase64(input.snapshot.state)
      if (snapshot === null) issues.push({ path: 'snapshot.state', message: 'must be padded base64' })
    }
    if (issues.length > 0) throw new HostError('invalid-input', 'Some recorded events are not valid.', issues)
    return { data, snapshot: snapshot && packState(snapshot, input.snapshot?.encoding ?? 'v1') }
  }

  const write = db.transaction((input: ParsedAppend, data: (Buffer | string)[], snapshot: Buffer | null) => {
    if (statements.exists.get(input.sessionId) === undefined) throw notFound(input.sessionId)
    let lastEventId = fromDisk(
      LastEventIdSchema,
      statements.lastEventId.get(input.sessionId),
      `The last event id of session ${input.sessionId}`,
    )
    input.events.forEach((event, index) => {
      lastEventId++
      statements.insertEvent.run(input.sessionId, lastEventId, event.tMs, event.kind, event.problem, data[index])
    })
    if (input.snapshot && snapshot) {
      statements.insertSnapshot.run(input.sessionId, input.snapshot.tMs, lastEventId, snapshot)
    }
  })

  function append(input: ParsedAppend): { stored: number } {
    const { data, snapshot } = encode(input)
    write(input, data, snapshot)
    return { stored: input.events.length }
  }

  function load(sessionId: string): Recording {
    if (statements.exists.get(sessionId) === undefined) throw notFound(sessionId)
    const events = statements.events.all(sessionId).map((raw): StoredEvent => {
      const row = fromDisk(EventRowSchema, raw, `An event of session ${sessionId}`)
      const data =
        row.data === null ? '' : typeof row.data === 'string' ? row.data : Buffer.from(row.data).toString('base64')
      return { id: row.id, tMs: row.t_ms, kind: row.kind, problem: row.problem, data }
    })
    const snapshots = statements.snapshots.all(sessionId).map((raw) => {
      const what = `A snapshot of session ${sessionId}`
      const row = fromDisk(SnapshotRowSchema, raw, what)
      const state = unpackState(row.state)
      if (state === null) throw new HostError('database', `${what} is unreadable in the database: it does not unpack.`)
      return { tMs: row.t_ms, lastEventId: row.last_event_id, state: state.toString('base64') }
    })
    return { events, snapshots }
  }

  return { append, load }
}
