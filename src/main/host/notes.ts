import { z } from 'zod'
import { HostError } from '../../shared/host-errors'
import type { Note, NoteInputSchema } from '../../shared/notes'
import { describeIssues, parseWith } from '../../shared/validation'
import type { Db } from './database'

export type ParsedNoteInput = z.output<typeof NoteInputSchema>

/** The interviewer's private notes on a session. They live here and never go on the wire. */
export interface NoteService {
  add(input: ParsedNoteInput): Note
  /** A session's notes by session time, then by when they were written. */
  list(sessionId: string): Note[]
  update(id: number, text: string): Note
  remove(id: number): void
}

const NoteRowSchema = z.object({
  id: z.number().int().positive(),
  session_id: z.string(),
  t_ms: z.number().int().nonnegative(),
  problem: z.number().int().nonnegative().nullable(),
  body: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
})
const ProblemCountSchema = z.object({ count: z.number().int().nonnegative() })

const COLUMNS = 'id, session_id, t_ms, problem, body, created_at, updated_at'

function noteOf(raw: unknown): Note {
  const row = parseWith(NoteRowSchema, raw)
  if (!row.ok) throw new HostError('database', `A note is unreadable in the database: ${describeIssues(row.issues)}`)
  const r = row.value
  return {
    id: r.id,
    sessionId: r.session_id,
    text: r.body,
    tMs: r.t_ms,
    problem: r.problem,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function createNoteService(db: Db, now: () => Date): NoteService {
  const statements = {
    problemCount: db.prepare(`
      SELECT (SELECT count(*) FROM session_problems p WHERE p.session_id = s.id) AS count
      FROM sessions s WHERE s.id = ?`),
    insert: db.prepare(
      'INSERT INTO notes (session_id, t_ms, problem, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    one: db.prepare(`SELECT ${COLUMNS} FROM notes WHERE id = ?`),
    list: db.prepare(`SELECT ${COLUMNS} FROM notes WHERE session_id = ? ORDER BY t_ms, id`),
    update: db.prepare('UPDATE notes SET body = ?, updated_at = ? WHERE id = ?'),
    remove: db.prepare('DELETE FROM notes WHERE id = ?'),
  }

  function get(id: number): Note {
    const raw: unknown = statements.one.get(id)
    if (raw === undefined) throw new HostError('not-found', `There is no note with id ${id}.`)
    return noteOf(raw)
  }

  function problemCountOf(sessionId: string): number {
    const raw: unknown = statements.problemCount.get(sessionId)
    if (raw === undefined) throw new HostError('not-found', `There is no session with id ${sessionId}.`)
    const row = parseWith(ProblemCountSchema, raw)
    if (!row.ok) throw new HostError('database', `Session ${sessionId} is unreadable in the database.`)
    return row.value.count
  }

  const add = db.transaction((input: ParsedNoteInput): Note => {
    const count = problemCountOf(input.sessionId)
    if (input.problem !== null && input.problem >= count) {
      const message = `must be below ${count}, the number of problems`
      throw new HostError('invalid-input', `Problem ${input.problem} is not in session ${input.sessionId}.`, [
        { path: 'problem', message },
      ])
    }
    const at = now().toISOString()
    const { lastInsertRowid } = statements.insert.run(input.sessionId, input.tMs, input.problem, input.text, at, at)
    return get(Number(lastInsertRowid))
  })

  function list(sessionId: string): Note[] {
    problemCountOf(sessionId)
    return statements.list.all(sessionId).map(noteOf)
  }

  const update = db.transaction((id: number, text: string): Note => {
    get(id)
    statements.update.run(text, now().toISOString(), id)
    return get(id)
  })

  function remove(id: number): void {
    if (statements.remove.run(id).changes === 0) throw new HostError('not-found', `There is no note with id ${id}.`)
  }

  return { add, list, update, remove }
}
