import { shallowReactive } from 'vue'
import type { Evaluation } from '../../../shared/evaluation'
import type { HostApi } from '../../../shared/host-api'
import { HostError } from '../../../shared/host-errors'
import type { Note } from '../../../shared/notes'
import type { StoredRun } from '../../../shared/run-record'
import type { Session } from '../../../shared/session'
import { errorMessage } from '../lib/errors'
import { connectionFactsOf, type ConnectionFacts } from './connection-facts'
import { finalCodeOf, type FinalCode } from './final-code'

/** One part of the page: each loads on its own, so a slow recording holds up nothing else. */
export type Part<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; error: string }

export interface RecordingFacts {
  finalCode: FinalCode
  connection: ConnectionFacts
}

export interface SessionReviewState {
  session: Part<Session> | { status: 'not-found'; error: string }
  recording: Part<RecordingFacts>
  runs: Part<StoredRun[]>
  notes: Part<Note[]>
  /** Null when no evaluation was started: looking at a session does not start one. */
  evaluation: Part<Evaluation | null>
}

export interface SessionReview {
  readonly state: SessionReviewState
  /** Loads (again) everything about the session. */
  load(): Promise<void>
}

const LOADING = { status: 'loading' } as const

async function partOf<T>(load: () => Promise<T>): Promise<Part<T>> {
  try {
    return { status: 'ready', value: await load() }
  } catch (error) {
    return { status: 'failed', error: errorMessage(error) }
  }
}

/** Everything stored about one session, read through the local host only. */
export function createSessionReview(host: HostApi, sessionIdOf: () => string): SessionReview {
  const state = shallowReactive<SessionReviewState>({
    session: LOADING,
    recording: LOADING,
    runs: LOADING,
    notes: LOADING,
    evaluation: LOADING,
  })
  // A newer load wins: an older one that finishes late writes nothing.
  let generation = 0

  async function evaluationOf(sessionId: string): Promise<Evaluation | null> {
    // `evaluations.get` would start an evaluation: only read one that exists.
    const started = (await host.evaluations.list()).some((e) => e.sessionId === sessionId)
    return started ? host.evaluations.get({ sessionId }) : null
  }

  async function load(): Promise<void> {
    const current = ++generation
    const sessionId = sessionIdOf()
    const fresh = (): boolean => current === generation
    Object.assign(state, { session: LOADING, recording: LOADING, runs: LOADING, notes: LOADING, evaluation: LOADING })

    let session: Session
    try {
      session = await host.sessions.get({ id: sessionId })
    } catch (error) {
      if (!fresh()) return
      state.session =
        error instanceof HostError && error.code === 'not-found'
          ? { status: 'not-found', error: error.message }
          : { status: 'failed', error: errorMessage(error) }
      return
    }
    if (!fresh()) return
    state.session = { status: 'ready', value: session }

    const into =
      <K extends keyof SessionReviewState>(key: K) =>
      (part: SessionReviewState[K]): void => {
        if (fresh()) state[key] = part
      }
    const byTime = (a: Note, b: Note): number => a.tMs - b.tMs || a.id - b.id
    await Promise.all([
      partOf(async () => {
        const recording = await host.recording.load({ sessionId })
        return {
          finalCode: finalCodeOf(session.problems, session.language, recording),
          connection: connectionFactsOf(recording),
        }
      }).then(into('recording')),
      partOf(() => host.runs.list({ sessionId })).then(into('runs')),
      partOf(async () => [...(await host.notes.list({ sessionId }))].sort(byTime)).then(into('notes')),
      partOf(() => evaluationOf(sessionId)).then(into('evaluation')),
    ])
  }

  return { state, load }
}
