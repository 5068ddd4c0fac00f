import { shallowReactive } from 'vue'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { HostApi } from '../../../shared/host-api'
import type { LinkFrame, SessionState } from '../../../shared/peer/frames'
import { MAX_LINK_FRAME_BYTES } from '../../../shared/peer/link'
import { candidateViewOf, type Recording, type Session } from '../../../shared/session'
import { problemIndexOf, problemText, seedProblems } from '../../../shared/sync/doc'
import { INTERVIEWER_COLOR, PRESENCE_USER_FIELD, presenceUserOf } from '../../../shared/sync/presence'
import { connectSync, type SyncEndpoint } from '../../../shared/sync/sync-endpoint'
import { errorMessage } from '../lib/errors'
import { isOpenMode, isPeerMode, type HostLink, type HostLinkState, type LinkMode, type PeerMode } from './link-types'
import { createRecorder, type Recorder } from './recorder'
import { applyRecording, hasDocumentState } from './replay'

export const INTERVIEWER_NAME = 'Interviewer'
const utf8 = new TextEncoder()
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
  /** A host call or a send that failed; shown until the next one succeeds. */
  error: string | null
  busy: boolean
}

export interface LiveSession {
  readonly state: LiveState
  readonly doc: Y.Doc
  readonly awareness: Awareness
  text(index: number): Y.Text
  goTo(index: number): Promise<void>
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
  })
  const sessionId = options.session.id

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
      state.recordingTrouble = error === null ? null : errorMessage(error)
    },
  })
  // Only a session with nothing recorded gets the starter code, so reopening never doubles it.
  if (!recorded && state.session.status !== 'ended') {
    seedProblems(
      doc,
      state.session.problems.map((p) => p.starterCode[state.session.language]),
    )
  }

  const awareness = new Awareness(doc)
  awareness.setLocalStateField(PRESENCE_USER_FIELD, { name: INTERVIEWER_NAME, color: INTERVIEWER_COLOR })

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
    // The link drops a frame it cannot carry; say so rather than leave the candidate waiting.
    if (utf8.encode(JSON.stringify(frame)).length > MAX_LINK_FRAME_BYTES) {
      state.error = `Could not send ${frame.type} to the candidate: it is larger than a link frame may be.`
      return
    }
    try {
      link.send(frame)
    } catch (error) {
      state.error = `Could not send to the candidate: ${errorMessage(error)}`
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
        interviewerName: INTERVIEWER_NAME,
        language: s.language,
        problems: s.problems.map((p) => candidateViewOf(p, s.language)),
      },
    })
  }

  async function hostCall(call: () => Promise<Session>): Promise<boolean> {
    try {
      state.session = await call()
      state.error = null
      return true
    } catch (error) {
      state.error = errorMessage(error)
      return false
    }
  }

  async function goLive(): Promise<void> {
    if (state.session.status !== 'created' || goingLive) return
    goingLive = true
    if (await hostCall(() => host.sessions.setStatus({ id: sessionId, status: 'live' }))) {
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
    }
  }

  function onFrame(frame: LinkFrame): void {
    if (frame.type === 'candidate.hello') {
      helloName = frame.name
      refreshName()
      if (!helloSinceOpen) recorder.event('join', null, { name: frame.name })
      helloSinceOpen = true
    } else if (frame.type === 'event') {
      if (frame.kind !== 'paste') recorder.event(frame.kind, frame.problem)
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
    sync = connectSync({ doc, awareness, link })
    unsubscribe.push(link.onState(onLinkState), link.onFrame(onFrame))
  }

  async function goTo(index: number): Promise<void> {
    const from = state.session.currentProblem
    const count = state.session.problems.length
    if (state.busy || index === from || index < 0 || index >= count || state.session.status === 'ended') return
    state.busy = true
    if (await hostCall(() => host.sessions.setCurrentProblem({ id: sessionId, index }))) {
      recorder.event('problem', index, { from, to: index })
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
    if (await hostCall(() => host.sessions.setStatus({ id: sessionId, status: 'ended' }))) {
      recorder.event('status', null, { status: 'ended' })
      sendState()
      send({ type: 'bye', reason: 'ended' })
      // The link closes after the final flush: a host round trip that lets the bye leave first.
      await recorder.flush()
      disconnect(true)
    }
    state.busy = false
  }

  async function close(): Promise<void> {
    if (closed) return
    closed = true
    awareness.off('change', onAwareness)
    disconnect(false)
    awareness.destroy()
    await recorder.stop()
    doc.destroy()
  }

  return { state, doc, awareness, text: (index) => problemText(doc, index), goTo, end, close }
}
