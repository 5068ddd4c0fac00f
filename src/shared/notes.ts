import { z } from 'zod'

// Private notes stay on the interviewer's machine: nothing under src/shared/peer may import this
// file, so no frame type can carry a note (a test checks it).

export const MAX_NOTE_CHARS = 10_000

const SessionIdSchema = z.string().min(1).max(64)
export const NoteIdSchema = z.number().int().positive()

export const NoteTextSchema = z
  .string()
  .trim()
  .min(1, 'write something first')
  .max(MAX_NOTE_CHARS, `must be at most ${MAX_NOTE_CHARS.toLocaleString('en')} characters`)

/** A new note, stamped with the session time and the problem on screen when it was written. */
export const NoteInputSchema = z.strictObject({
  sessionId: SessionIdSchema,
  text: NoteTextSchema,
  /** Milliseconds since the session started, like every other timeline entry. */
  tMs: z.number().int().nonnegative(),
  /** The current problem's index, or null when none was on screen. */
  problem: z.number().int().nonnegative().nullable(),
})
export type NoteInput = z.input<typeof NoteInputSchema>

/** Only the text changes: the time and problem say when the note was taken. */
export const NoteUpdateSchema = z.strictObject({ id: NoteIdSchema, text: NoteTextSchema })

export const NoteSchema = z.object({
  id: NoteIdSchema,
  sessionId: z.string(),
  text: z.string(),
  tMs: z.number().int().nonnegative(),
  problem: z.number().int().nonnegative().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type Note = z.infer<typeof NoteSchema>
