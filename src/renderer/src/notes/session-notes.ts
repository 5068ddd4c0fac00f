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
}

export interface SessionNotes {
  readonly state: SessionNotesState
  /** The draft changed. */
  edit(text: string): void
  /** Stores the draft; true once stored. On failure the draft stays, with the reason. */
  save(): Promise<boolean>
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

  return { state, edit, save }
}
