import { shallowReactive } from 'vue'
import type { HostApi } from '../../../shared/host-api'
import type { Note } from '../../../shared/notes'
import { errorMessage } from '../lib/errors'

/** Where a note sits on the timeline: session time and the problem on screen. */
export interface NoteStamp {
  tMs: number
  problem: number | null
}

export interface SessionNotesState {
  /** Stored notes by session time, newest last. */
  notes: Note[]
  loading: boolean
  loadError: string | null
  /** What the interviewer is writing; kept when saving fails, read-only while it saves. */
  draft: string
  /** Taken when the draft was started: the note marks the moment something happened, not when it was saved. */
  draftStamp: NoteStamp | null
  saving: boolean
  saveError: string | null
  /** The stored note being rewritten, with its new text so far. */
  editing: { id: number; text: string } | null
  /** A stored note being saved or deleted. */
  busyId: number | null
  /** Why changing a stored note failed; the note is left as it was. */
  noteError: { id: number; message: string } | null
}

export interface SessionNotes {
  readonly state: SessionNotesState
  /** The draft changed. */
  edit(text: string): void
  /** Stores the draft; true once stored. On failure the draft stays, with the reason. */
  save(): Promise<boolean>
  /** Starts rewriting a stored note; its time and problem stay. */
  startEdit(id: number): void
  editText(text: string): void
  cancelEdit(): void
  /** Stores the rewritten text; on failure the edit stays open, with the reason. */
  saveEdit(): Promise<boolean>
  remove(id: number): Promise<boolean>
}

export interface SessionNotesOptions {
  host: HostApi
  sessionId: string
  /** Now on the session's timeline. */
  stamp: () => NoteStamp
}

const byTime = (a: Note, b: Note): number => a.tMs - b.tMs || a.id - b.id

/** The interviewer's private notes on one session: stored through the host, never sent to the candidate. */
export function createSessionNotes(options: SessionNotesOptions): SessionNotes {
  const { host, sessionId } = options
  const state = shallowReactive<SessionNotesState>({
    notes: [],
    loading: true,
    loadError: null,
    draft: '',
    draftStamp: null,
    saving: false,
    saveError: null,
    editing: null,
    busyId: null,
    noteError: null,
  })

  void host.notes
    .list({ sessionId })
    .then((stored) => {
      // Notes added while the list loaded are kept.
      const added = state.notes.filter((note) => !stored.some((s) => s.id === note.id))
      state.notes = [...stored, ...added].sort(byTime)
    })
    .catch((error: unknown) => {
      state.loadError = errorMessage(error)
    })
    .finally(() => {
      state.loading = false
    })

  function edit(text: string): void {
    state.draft = text
    if (text.trim() === '') state.draftStamp = null
    else state.draftStamp ??= options.stamp()
  }

  async function save(): Promise<boolean> {
    const text = state.draft.trim()
    if (state.saving || text === '') return false
    state.saving = true
    const stamp = state.draftStamp ?? options.stamp()
    try {
      const note = await host.notes.add({ sessionId, text, ...stamp })
      state.notes = [...state.notes, note].sort(byTime)
      state.draft = ''
      state.draftStamp = null
      state.saveError = null
      return true
    } catch (error) {
      state.saveError = errorMessage(error)
      return false
    } finally {
      state.saving = false
    }
  }

  function startEdit(id: number): void {
    const note = state.notes.find((n) => n.id === id)
    if (!note || state.busyId !== null) return
    state.editing = { id, text: note.text }
    state.noteError = null
  }

  function editText(text: string): void {
    if (state.editing) state.editing = { ...state.editing, text }
  }

  function cancelEdit(): void {
    state.editing = null
    state.noteError = null
  }

  /** Runs one change to a stored note, one at a time, keeping the reason when it fails. */
  async function change(id: number, action: () => Promise<void>): Promise<boolean> {
    if (state.busyId !== null) return false
    state.busyId = id
    try {
      await action()
      state.noteError = null
      return true
    } catch (error) {
      state.noteError = { id, message: errorMessage(error) }
      return false
    } finally {
      state.busyId = null
    }
  }

  async function saveEdit(): Promise<boolean> {
    const editing = state.editing
    if (!editing) return false
    if (editing.text.trim() === '') {
      state.noteError = { id: editing.id, message: 'A note cannot be empty; delete it instead' }
      return false
    }
    return change(editing.id, async () => {
      const updated = await host.notes.update({ id: editing.id, text: editing.text })
      state.notes = state.notes.map((n) => (n.id === updated.id ? updated : n))
      state.editing = null
    })
  }

  async function remove(id: number): Promise<boolean> {
    return change(id, async () => {
      await host.notes.delete({ id })
      state.notes = state.notes.filter((n) => n.id !== id)
      if (state.editing?.id === id) state.editing = null
    })
  }

  return { state, edit, save, startEdit, editText, cancelEdit, saveEdit, remove }
}
