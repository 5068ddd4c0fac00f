import { DEFAULT_INTERVIEWER_NAME } from '../../../shared/settings'
import { shallowReactive } from 'vue'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DEFAULT_OUTPUT_LIMIT_BYTES, type OutputChunk, type RunResult } from '../../../shared/exec/run'
import type { HostApi } from '../../../shared/host-api'
import { HOST_ONLY_FRAMES, type LinkFrame, type SessionState } from '../../../shared/peer/frames'
import { linkCanCarry } from '../../../shared/peer/frame-parts'
import type { Language } from '../../../shared/problem'
import { capOutput } from '../../../shared/run-output'
import type { RunKind } from '../../../shared/run-record'
import { unclosedGap, VIEW_CLOSED_DATA } from '../../../shared/replay/gap'
import { candidateViewOf, type Recording, type Session } from '../../../shared/session'
import { problemIndexOf, problemText, seedProblems } from '../../../shared/sync/doc'
import { INTERVIEWER_COLOR, PRESENCE_USER_FIELD, presenceUserOf } from '../../../shared/sync/presence'
import { connectSync, type SyncEndpoint } from '../../../shared/sync/sync-endpoint'
import { isProblemTextUpdate } from '../../../shared/sync/update-scope'
import { errorMessage } from '../lib/errors'
import { createCandidateRuns, isRunFrame } from './candidate-runs'
import { isOpenMode, isPeerMode, type HostLink, type HostLinkState, type LinkMode, type PeerMode } from './link-types'
import { liveRunOf, recordOf, type LiveRun } from './live-runs'
import { createRecorder, type Recorder } from './recorder'
import { applyRecording, hasDocumentState } from './replay'
import { createRunStore } from './run-store'

export type { LiveRun }

/** Smaller pastes are ordinary typing help (a line, a name); larger ones are worth a marker. */
export const PASTE_MARK_CHARS = 100

export interface LiveState {
  session: Session
  mode: LinkMode
  candidateName: string | null
  candidateOnline: boolean
  /** Why the link closed, when it closed on its own and said why. */
  closedReason: string | null
  /** Set while the recording cannot be stored; it is retried. */
  recordingTrouble: string | null
  /**
   * What failed: a host call, a send to the candidate, or loading the earlier runs. Each stays
   * until that same kind of call succeeds; with several failing, the latest shows.
   */
  error: string | null
  busy: boolean
  /**
   * Every run of the session, newest last: those stored earlier (loaded when the view opens),
   * the candidate's as they stream in, and the interviewer's. Hidden-test runs never leave here.
   */
  runs: LiveRun[]
  /** The runs stored earlier are still loading. */
  runsLoading: boolean
  /** Frames the candidate must not send, and run frames that fit no run: ignored and counted. */
  droppedFrames: number
}

/** A run the interviewer made in the app, once it ended. */
export interface InterviewerRun {
  /** The id the runner UI gave the run when it started. */
  runId: string
  kind: RunKind
  problem: number
  language: Language
  code: string
  output: OutputChunk[]
  result: RunResult
  /** When it started, in ms since the session started: `sessionMs()` then. */
  tMs: number
}

export interface LiveSession {
  readonly state: LiveState
  readonly doc: Y.Doc
  readonly awareness: Awareness
  text(index: number): Y.Text
  goTo(index: number): Promise<void>
  /** Adds minutes to the time limit through the host, then tells the candidate. */
  extendTime(minutes: number): Promise<void>
  /** Now, in ms since the session started (0 before): how runs and events are stamped. */
  sessionMs(): number
  /**
   * Adds the run to `state.runs` at once and stores it; resolves once stored. Never sent to the
   * candidate. Rejects only when the host refuses the run as invalid; other failures are retried.
   */
  recordInterviewerRun(run: InterviewerRun): Promise<void>
  end(): Promise<void>
  /** Leaves the view: stops syncing, flushes the recording, closes the link. */
  close(): Promise<void>
}

export interface LiveSessionOptions {
  host: HostApi
  session: Session
  recording: Recording
  /** The opened host link; null when there is none (an ended session, no signaling server). */
  link: HostLink | null
  /** The name from Settings, read whenever the candidate is told it. */
  interviewerName?: () => string
  now?: () => number
}

const startOf = (session: Session): number | null => (session.startedAt === null ? null : Date.parse(session.startedAt))

/** The problem a transaction changed, when it changed exactly one problem's text. */
function problemOfTransaction(doc: Y.Doc, transaction: Y.Transaction): number | null {
  const touched = new Set<number>()
  for (const [name, type] of doc.share) {
    const index = problemIndexOf(name)
    if (index !== null && transaction.changed.has(type)) touched.add(index)
  }
  return touched.size === 1 ? ([...touched][0] ?? null) : null
}

/**
 * The interviewer's end of a live session: one Y.Doc rebuilt from the recording (or seeded with
 * the starter code when there is none yet), synced with the candidate over the host link and
 * recorded. Session state is host-authoritative: it changes through the host API first, then
 * goes to the candidate as `session.state`.
 */
export function openLiveSession(options: LiveSessionOptions): LiveSession {
  const { host } = options
  const now = options.now ?? Date.now
  const interviewerName = options.interviewerName ?? (() => DEFAULT_INTERVIEWER_NAME)
  // Shallow: a new Session object replaces the old one, and frames are built from plain objects.
  const state = shallowReactive<LiveState>({
    session: options.session,
    mode: options.link ? 'waiting' : 'closed',
    candidateName: options.session.candidateName || null,
    candidateOnline: false,
    closedReason: null,
    recordingTrouble: null,
    error: null,
    busy: false,
    runs: shallowReactive<LiveRun[]>([]),
    runsLoading: true,
    droppedFrames: 0,
  })
  const sessionId = options.session.id

  // Keyed by kind, so that a host call that works does not hide runs that failed to load.
  const failures = new Map<string, string>()
  const setFailure = (kind: string, message: string | null): void => {
    failures.delete(kind)
    if (message !== null) failures.set(kind, message)
    state.error = [...failures.values()].at(-1) ?? null
  }

  const sessionMs = (): number => {
    const start = startOf(state.session)
    return start === null ? 0 : Math.max(0, Math.round(now() - start))
  }

  // Both the timeline and the runs report trouble; the view shows whichever is failing.
  const trouble = { recording: null as string | null, runs: null as string | null }
  const showTrouble = (): void => {
    state.recordingTrouble = trouble.recording ?? trouble.runs
  }
  const runStore = createRunStore({
    record: (run) => host.runs.record(run),
    onTrouble: (error) => {
      trouble.runs = error === null ? null : `runs: ${errorMessage(error)}`
      showTrouble()
    },
  })
  async function saveRun(run: LiveRun): Promise<void> {
    const record = recordOf(run, sessionId)
    if (record) await runStore.save(record)
  }

  const doc = new Y.Doc()
  // Rebuilt before the recorder listens: what is already stored is not stored again.
  const recorded = hasDocumentState(options.recording)
  if (recorded) applyRecording(doc, options.recording)

  const recorder: Recorder = createRecorder({
    sessionId,
    doc,
    append: (batch) => host.recording.append(batch),
    now,
    startedAt: () => startOf(state.session),
    problemOf: (transaction) => problemOfTransaction(doc, transaction),
    onTrouble: (error) => {
      trouble.recording = error === null ? null : errorMessage(error)
      showTrouble()
    },
  })
  // The app stopped mid-session last time: the timeline says from when nothing was recorded.
  const gap = unclosedGap(state.session.status, options.recording, sessionMs())
  if (gap) recorder.event('gap', null, gap)
  // Only a session with nothing recorded gets the starter code, so reopening never doubles it.
  if (!recorded && state.session.status !== 'ended') {
    seedProblems(
      doc,
      state.session.problems.map((p) => p.starterCode[state.session.language]),
    )
  }

  const candidateRuns = createCandidateRuns({
    runs: state.runs,
    problemCount: () => state.session.problems.length,
    codeOf: (problem) => problemText(doc, problem).toString(),
    sessionMs,
    // A refused run is shown as recording trouble; the candidate's page has nothing to retry.
    store: (run) => void saveRun(run).catch(() => undefined),
    outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
  })

  // Stored runs go before any that streamed in meanwhile; a run both stored and live shows once.
  void host.runs
    .list({ sessionId })
    .then((stored) => {
      const live = new Set(state.runs.map((run) => run.key))
      state.runs.unshift(...stored.filter((run) => !live.has(run.runId)).map(liveRunOf))
    })
    .catch((error: unknown) => {
      setFailure('runs', `Could not load the earlier runs: ${errorMessage(error)}`)
    })
    .finally(() => {
      state.runsLoading = false
    })

  const awareness = new Awareness(doc)
  awareness.setLocalStateField(PRESENCE_USER_FIELD, { name: interviewerName(), color: INTERVIEWER_COLOR })

  let link: HostLink | null = null
  let sync: SyncEndpoint | null = null
  let peerMode: PeerMode = 'connecting'
  let everOpened = false
  let helloSinceOpen = false
  let helloName: string | null = null
  let goingLive = false
  let closed = false
  const unsubscribe: (() => void)[] = []

  function send(frame: LinkFrame): void {
    if (!link || !isOpenMode(peerMode)) return
    const kind = `send ${frame.type}`
    // The link drops a frame it cannot carry; say so rather than leave the candidate waiting.
    if (!linkCanCarry(frame)) {
      setFailure(kind, `Could not send ${frame.type} to the candidate: it is larger than the link can carry.`)
      return
    }
    try {
      link.send(frame)
      setFailure(kind, null)
    } catch (error) {
      setFailure(kind, `Could not send to the candidate: ${errorMessage(error)}`)
    }
  }

  function sessionState(): SessionState {
    const s = state.session
    return { status: s.status, currentProblem: s.currentProblem, startedAt: startOf(s), timeLimitMs: s.timeLimitMs }
  }

  const sendState = (): void => send({ type: 'session.state', state: sessionState() })

  function sendInfo(): void {
    const s = state.session
    send({
      type: 'session.info',
      info: {
        title: s.title,
        interviewerName: interviewerName(),
        language: s.language,
        problems: s.problems.map((p) => candidateViewOf(p, s.language)),
      },
    })
  }

  /** `kind` names the change, so that only the same change working again clears its failure. */
  async function hostCall(kind: string, call: () => Promise<Session>): Promise<boolean> {
    try {
      state.session = await call()
      setFailure(kind, null)
      return true
    } catch (error) {
      setFailure(kind, errorMessage(error))
      return false
    }
  }

  async function goLive(): Promise<void> {
    if (state.session.status !== 'created' || goingLive) return
    goingLive = true
    if (await hostCall('status', () => host.sessions.setStatus({ id: sessionId, status: 'live' }))) {
      recorder.event('status', null, { status: 'live' })
      sendState()
    }
    goingLive = false
  }

  function onLinkState({ mode, peerPresent, reason }: HostLinkState): void {
    if (!isPeerMode(mode)) return
    if (mode === 'closed') state.closedReason = reason ?? null
    onMode(mode)
    const open = isOpenMode(mode)
    state.candidateOnline = open || (mode !== 'closed' && peerPresent === true)
    state.mode = mode === 'connecting' && !state.candidateOnline ? 'waiting' : mode
  }

  function onMode(mode: PeerMode): void {
    const wasOpen = isOpenMode(peerMode)
    if (mode === peerMode) return
    peerMode = mode
    recorder.event('mode', null, { mode })
    if (!wasOpen && isOpenMode(mode)) {
      if (everOpened) recorder.event('reconnect', null, { mode })
      everOpened = true
      helloSinceOpen = false
      sendInfo()
      sendState()
      void goLive()
    } else if (wasOpen && !isOpenMode(mode)) {
      recorder.event('leave', null, { mode })
      candidateRuns.interrupt('The connection to the candidate was lost before this run finished.')
    }
  }

  function onFrame(frame: LinkFrame): void {
    if (HOST_ONLY_FRAMES.has(frame.type)) {
      state.droppedFrames++
    } else if (isRunFrame(frame)) {
      if (!candidateRuns.handle(frame)) state.droppedFrames++
    } else if (frame.type === 'ping') {
      // The candidate's countdown follows this clock: answer at once, stamped with it.
      send({ type: 'pong', t: frame.t, at: now() })
    } else if (frame.type === 'candidate.hello') {
      helloName = frame.name
      refreshName()
      if (!helloSinceOpen) recorder.event('join', null, { name: frame.name })
      helloSinceOpen = true
    } else if (frame.type === 'event') {
      if (frame.problem >= state.session.problems.length) state.droppedFrames++
      else if (frame.kind !== 'paste') recorder.event(frame.kind, frame.problem)
      else if ((frame.chars ?? 0) >= PASTE_MARK_CHARS) recorder.event('paste', frame.problem, { chars: frame.chars })
    }
  }

  // The name the candidate's page announces wins over its awareness state and the typed one.
  function refreshName(): void {
    let presenceName: string | null = null
    for (const [clientId, presence] of awareness.getStates()) {
      if (clientId !== awareness.clientID) presenceName = presenceUserOf(presence)?.name ?? presenceName
    }
    state.candidateName = helloName ?? presenceName ?? (state.session.candidateName || null)
  }
  const onAwareness = (): void => refreshName()
  awareness.on('change', onAwareness)

  if (options.link) {
    link = options.link
    sync = connectSync({
      doc,
      awareness,
      link,
      // The candidate writes only its problems' code; anything else it sends is counted, not applied.
      acceptUpdate: (update, structs) => isProblemTextUpdate(update, state.session.problems.length, structs),
      onDrop: (reason) => {
        if (reason !== 'sync-chunk-gap') state.droppedFrames++
      },
    })
    unsubscribe.push(link.onState(onLinkState), link.onFrame(onFrame))
  }

  async function goTo(index: number): Promise<void> {
    const from = state.session.currentProblem
    const count = state.session.problems.length
    if (state.busy || index === from || index < 0 || index >= count || state.session.status === 'ended') return
    state.busy = true
    if (await hostCall('problem', () => host.sessions.setCurrentProblem({ id: sessionId, index }))) {
      recorder.event('problem', index, { from, to: index })
      sendState()
    }
    state.busy = false
  }

  async function extendTime(minutes: number): Promise<void> {
    if (state.busy || state.session.status !== 'live') return
    state.busy = true
    const before = state.session.timeLimitMs
    if (await hostCall('time', () => host.sessions.extendTime({ id: sessionId, minutes }))) {
      const { timeLimitMs } = state.session
      recorder.event('timer', null, { addedMs: (timeLimitMs ?? 0) - (before ?? 0), timeLimitMs })
      sendState()
    }
    state.busy = false
  }

  function disconnect(endRoom: boolean): void {
    for (const off of unsubscribe.splice(0)) off()
    sync?.destroy()
    sync = null
    if (endRoom) link?.endRoom()
    else link?.close()
    link = null
    peerMode = 'closed'
    state.mode = 'closed'
    state.candidateOnline = false
  }

  async function end(): Promise<void> {
    if (state.busy || state.session.status === 'ended') return
    state.busy = true
    if (await hostCall('status', () => host.sessions.setStatus({ id: sessionId, status: 'ended' }))) {
      recorder.event('status', null, { status: 'ended' })
      candidateRuns.interrupt('The session ended before this run finished.')
      sendState()
      send({ type: 'bye', reason: 'ended' })
      // The link closes after the final flush: a host round trip that lets the bye leave first.
      await Promise.all([recorder.flush(), runStore.flush()])
      disconnect(true)
    }
    state.busy = false
  }

  async function close(): Promise<void> {
    if (closed) return
    closed = true
    candidateRuns.interrupt('The session view was closed before this run finished.')
    awareness.off('change', onAwareness)
    disconnect(false)
    // Closed on purpose: the next view to open this session finds no gap.
    if (state.session.status !== 'ended') recorder.event('mode', null, VIEW_CLOSED_DATA)
    awareness.destroy()
    await Promise.all([recorder.stop(), runStore.flush()])
    doc.destroy()
  }

  async function recordInterviewerRun(input: InterviewerRun): Promise<void> {
    const run = shallowReactive<LiveRun>({
      key: input.runId,
      side: 'interviewer',
      kind: input.kind,
      problem: input.problem,
      language: input.language,
      code: input.code,
      output: capOutput(input.output, DEFAULT_OUTPUT_LIMIT_BYTES),
      status: input.result.status,
      durationMs: input.result.durationMs,
      tests: input.result.tests,
      message: input.result.message ?? null,
      tMs: input.tMs,
    })
    state.runs.push(run)
    await saveRun(run)
  }

  return {
    state,
    doc,
    awareness,
    text: (index) => problemText(doc, index),
    goTo,
    extendTime,
    sessionMs,
    recordInterviewerRun,
    end,
    close,
  }
}
