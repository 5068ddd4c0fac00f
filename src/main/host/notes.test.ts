import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostError } from '../../shared/host-errors'
import { NoteInputSchema, NoteUpdateSchema, type NoteInput } from '../../shared/notes'
import { ProblemInputSchema } from '../../shared/problem'
import { SessionCreateSchema } from '../../shared/session'
import { parseWith } from '../../shared/validation'
import { openDatabase, type Db } from './database'
import { createNoteService, type NoteService } from './notes'
import { createProblemBank } from './problem-bank'
import { createSessionService } from './sessions'

let dir: string
let db: Db
let notes: NoteService
let sessionId: string
let clock: Date

function reopen(): void {
  db?.close()
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  notes = createNoteService(db, () => clock)
}

function hostErrorOf(run: () => unknown): HostError {
  try {
    run()
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a HostError')
}

const add = (input: Partial<NoteInput> & Pick<NoteInput, 'text'>) =>
  notes.add(NoteInputSchema.parse({ sessionId, tMs: 0, problem: 0, ...input }))

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-notes-'))
  clock = new Date('2026-11-23T10:00:00.000Z')
  reopen()
  const bank = createProblemBank(db, () => clock)
  const ids = ['one', 'two'].map(
    (slug) =>
      bank.create(
        ProblemInputSchema.parse({
          title: slug,
          slug,
          difficulty: 'junior',
          entryFunction: 'solve',
          starterCode: { python: 'def solve():\n    pass\n' },
          solution: {},
        }),
      ).id,
  )
  sessionId = createSessionService(db, bank, { now: () => clock }).create(
    SessionCreateSchema.parse({ language: 'python', problems: { mode: 'pick', ids } }),
  ).id
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('private notes', () => {
  it('stores a note with its session time and problem, and lists them by session time after a restart', () => {
    const late = add({ text: 'Asked about complexity', tMs: 90_000, problem: 1 })
    clock = new Date('2026-11-23T10:01:00.000Z')
    const early = add({ text: '  Reads the problem twice  ', tMs: 15_000, problem: 0 })
    expect(early).toEqual({
      id: early.id,
      sessionId,
      text: 'Reads the problem twice',
      tMs: 15_000,
      problem: 0,
      createdAt: '2026-11-23T10:01:00.000Z',
      updatedAt: '2026-11-23T10:01:00.000Z',
    })
    const between = add({ text: 'Before any problem', tMs: 30_000, problem: null })

    reopen()
    expect(notes.list(sessionId)).toEqual([early, between, late])
    expect(db.prepare('SELECT body, t_ms, problem FROM notes ORDER BY id').all()).toEqual([
      { body: 'Asked about complexity', t_ms: 90_000, problem: 1 },
      { body: 'Reads the problem twice', t_ms: 15_000, problem: 0 },
      { body: 'Before any problem', t_ms: 30_000, problem: null },
    ])
  })

  it('edits the text only, stamping when, and deletes for good', () => {
    const note = add({ text: 'first thought', tMs: 5_000 })
    clock = new Date('2026-11-23T10:05:00.000Z')
    expect(notes.update(note.id, 'second thought')).toEqual({
      ...note,
      text: 'second thought',
      updatedAt: '2026-11-23T10:05:00.000Z',
    })
    notes.remove(note.id)
    expect(notes.list(sessionId)).toEqual([])
    expect(hostErrorOf(() => notes.remove(note.id)).code).toBe('not-found')
    expect(hostErrorOf(() => notes.update(note.id, 'x')).code).toBe('not-found')
  })

  it('refuses an unknown session and a problem the session does not have', () => {
    expect(hostErrorOf(() => add({ text: 'x', sessionId: 'nope' })).message).toBe('There is no session with id nope.')
    expect(hostErrorOf(() => notes.list('nope')).code).toBe('not-found')
    const error = hostErrorOf(() => add({ text: 'x', problem: 2 }))
    expect(error.code).toBe('invalid-input')
    expect(error.issues).toEqual([{ path: 'problem', message: 'must be below 2, the number of problems' }])
    expect(notes.list(sessionId)).toEqual([])
  })

  it('goes with its session when the session is deleted', () => {
    add({ text: 'kept until the session goes' })
    db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId)
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 })
  })
})

describe('note schemas', () => {
  it('name what is wrong: blank text, a negative time, a stray key', () => {
    const parsed = parseWith(NoteInputSchema, { sessionId: 's', text: '   ', tMs: -1, problem: 0, shared: true })
    const issues = parsed.ok ? [] : parsed.issues
    expect(issues.map((i) => i.path).sort()).toEqual(['(value)', 'tMs', 'text'])
    expect(issues.find((i) => i.path === 'text')?.message).toBe('write something first')
    expect(parseWith(NoteUpdateSchema, { id: 1, text: 'x'.repeat(10_001) }).ok).toBe(false)
  })
})

describe('notes never go on the wire', () => {
  // The link's frames are defined under src/shared/peer; a frame could carry a note only by
  // importing its schema or type from there.
  it('no file of the peer link refers to notes', () => {
    const peerDir = join(import.meta.dirname, '../../shared/peer')
    const files = readdirSync(peerDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) {
      const text = readFileSync(join(peerDir, file), 'utf8')
      expect(text, file).not.toMatch(/from '[./]*\/notes'|\bNoteSchema\b|\bnotes\./)
    }
  })
})
