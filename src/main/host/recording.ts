import { deflateRawSync, inflateRawSync } from 'node:zlib'
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

/**
 * A stored snapshot state that starts with these bytes is deflated. It is an empty Yjs update
 * ([0, 0]) followed by "DZ1", which no Yjs update is: states stored raw, as they all were before,
 * never start with it, so both kinds of rows read back without a column saying which they are.
 */
const DEFLATED = Buffer.from([0x00, 0x00, 0x44, 0x5a, 0x31])
/** The largest state the append schema lets in, as bytes. */
const MAX_STATE_BYTES = 15_000_000

/** Snapshot states deflate to about a third; kept raw when that saves nothing and cannot be mistaken. */
function packState(state: Buffer): Buffer {
  const packed = Buffer.concat([DEFLATED, deflateRawSync(state)])
  return packed.length < state.length || state.subarray(0, DEFLATED.length).equals(DEFLATED) ? packed : state
}

function unpackState(stored: Uint8Array): Buffer | null {
  const bytes = Buffer.from(stored)
  if (!bytes.subarray(0, DEFLATED.length).equals(DEFLATED)) return bytes
  try {
    return inflateRawSync(bytes.subarray(DEFLATED.length), { maxOutputLength: MAX_STATE_BYTES })
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
 * and what replay feeds to Yjs), snapshots deflated; other events keep their JSON text, empty
 * when they carry none.
 */
export function createRecordingService(db: Db): RecordingService {
  const statements = {
    exists: db.prepare('SELECT 1 FROM sessions WHERE id = ?').pluck(),
    insertEvent: db.prepare(
      'INSERT INTO session_events (session_id, t_ms, kind, problem, data) VALUES (?, ?, ?, ?, ?)',
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
    return { data, snapshot: snapshot && packState(snapshot) }
  }

  const write = db.transaction((input: ParsedAppend, data: (Buffer | string)[], snapshot: Buffer | null) => {
    if (statements.exists.get(input.sessionId) === undefined) throw notFound(input.sessionId)
    let lastEventId = 0
    input.events.forEach((event, index) => {
      const result = statements.insertEvent.run(input.sessionId, event.tMs, event.kind, event.problem, data[index])
      lastEventId = Number(result.lastInsertRowid)
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
      if (state === null) throw new HostError('database', `${what} is unreadable in the database: it does not inflate.`)
      return { tMs: row.t_ms, lastEventId: row.last_event_id, state: state.toString('base64') }
    })
    return { events, snapshots }
  }

  return { append, load }
}
