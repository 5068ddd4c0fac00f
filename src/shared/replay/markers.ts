import type { RunStatus } from '../exec/run'
import type { Note } from '../notes'
import type { RunKind, RunSide, StoredRun } from '../run-record'
import type { Recording } from '../session'
import { eventJson, PasteDataSchema, ProblemChangeDataSchema } from './event-data'
import { GapDataSchema } from './gap'
import { runMarks } from './run-marks'

/** Pastes at least this long get a marker; the candidate's page reports only those anyway. */
export const PASTE_MARKER_CHARS = 100

export const MARKER_KINDS = ['run', 'note', 'problem', 'paste', 'focus-lost', 'gap'] as const
export type MarkerKind = (typeof MARKER_KINDS)[number]

interface MarkerBase {
  /** Unique among the markers of one timeline. */
  key: string
  tMs: number
  problem: number | null
}

export type ReplayMarker = MarkerBase &
  (
    | { kind: 'run'; runId: string; side: RunSide; runKind: RunKind; status: RunStatus; durationMs: number | null }
    | { kind: 'note'; noteId: number; text: string }
    | { kind: 'problem'; from: number | null; to: number }
    | { kind: 'paste'; chars: number | null }
    /** `awayMs`: until the tab had focus again, null when it never did in the recording. */
    | { kind: 'focus-lost'; awayMs: number | null }
    /** Nothing was recorded from `tMs` until `untilMs`: the interviewer's app stopped mid-session. */
    | { kind: 'gap'; untilMs: number }
  )

export interface MarkerSources {
  recording: Recording
  notes?: readonly Note[]
  /** The stored runs; a run marked only on the timeline is still shown, from its mark. */
  runs?: readonly StoredRun[]
}

function runMarkers({ recording, runs = [] }: MarkerSources): ReplayMarker[] {
  const stored = runs.map((run): ReplayMarker => ({
    key: `run:${run.runId}`,
    kind: 'run',
    tMs: run.tMs,
    problem: run.problem,
    runId: run.runId,
    side: run.side,
    runKind: run.kind,
    status: run.status,
    durationMs: run.durationMs,
  }))
  const known = new Set(runs.map((run) => run.runId))
  const markedOnly = runMarks(recording)
    .filter((mark) => !known.has(mark.runId))
    .map((mark): ReplayMarker => ({
      key: `run:${mark.runId}`,
      kind: 'run',
      tMs: mark.tMs,
      problem: mark.problem,
      runId: mark.runId,
      side: mark.side,
      runKind: mark.kind,
      status: mark.status,
      durationMs: null,
    }))
  return [...stored, ...markedOnly]
}

function eventMarkers({ recording }: MarkerSources): ReplayMarker[] {
  const markers: ReplayMarker[] = []
  let lostAt: ReplayMarker | null = null
  const events = [...recording.events].sort((a, b) => a.tMs - b.tMs || a.id - b.id)
  for (const event of events) {
    const base = { key: `event:${event.id}`, tMs: event.tMs, problem: event.problem }
    if (event.kind === 'problem') {
      const change = eventJson(event, ProblemChangeDataSchema)
      const to = change?.to ?? event.problem
      if (to !== null) markers.push({ ...base, kind: 'problem', from: change?.from ?? null, to, problem: to })
    } else if (event.kind === 'paste') {
      const chars = eventJson(event, PasteDataSchema)?.chars ?? null
      // Recorded without a length, it was recorded because it was large.
      if (chars === null || chars >= PASTE_MARKER_CHARS) markers.push({ ...base, kind: 'paste', chars })
    } else if (event.kind === 'focus-lost') {
      lostAt = { ...base, kind: 'focus-lost', awayMs: null }
      markers.push(lostAt)
    } else if (event.kind === 'gap') {
      // Placed where the recording stopped; with unreadable data, where the gap was noticed.
      const gap = eventJson(event, GapDataSchema)
      markers.push({ ...base, kind: 'gap', tMs: gap?.fromMs ?? event.tMs, untilMs: gap?.toMs ?? event.tMs })
    } else if (event.kind === 'focus-gained' && lostAt?.kind === 'focus-lost') {
      lostAt.awayMs = event.tMs - lostAt.tMs
      lostAt = null
    }
  }
  return markers
}

function noteMarkers({ notes = [] }: MarkerSources): ReplayMarker[] {
  return notes.map((note) => ({
    key: `note:${note.id}`,
    kind: 'note',
    tMs: note.tMs,
    problem: note.problem,
    noteId: note.id,
    text: note.text,
  }))
}

const KIND_ORDER = new Map<MarkerKind, number>(MARKER_KINDS.map((kind, i) => [kind, i]))

/** Every marker of a session's timeline by time: runs, notes, problem changes, large pastes, focus lost, gaps. */
export function replayMarkers(sources: MarkerSources): ReplayMarker[] {
  return [...runMarkers(sources), ...noteMarkers(sources), ...eventMarkers(sources)].sort(
    (a, b) => a.tMs - b.tMs || (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0),
  )
}
