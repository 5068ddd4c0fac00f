import { shallowReactive } from 'vue'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { LinkFrame, SessionInfo, SessionState } from '../../../src/shared/peer/frames'
import type { LinkMode } from '../../../src/shared/peer/link'
import { realSchedule, type Cancel, type Schedule } from '../../../src/shared/peer/schedule'
import { MAX_SESSION_PROBLEMS } from '../../../src/shared/session'
import { SignalingConfigSchema, SIGNALING_PATH, type IceServer } from '../../../src/shared/signaling/protocol'
import { problemIndexOf, problemText } from '../../../src/shared/sync/doc'
import { CANDIDATE_COLOR, PRESENCE_USER_FIELD } from '../../../src/shared/sync/presence'
import { connectSync, type SyncEndpoint } from '../../../src/shared/sync/sync-endpoint'
import { staysInProblemTexts } from '../../../src/shared/sync/update-scope'
import { clockOffset, keepSample, type ClockSample } from '../../../src/shared/timer'
import { endCodeOf, type EndCode } from './end-pages'
import { endSummaryOf, type EndSummary } from './end-summary'
import { isOpenMode, type GuestLink, type GuestLinkFactory } from './link'
import { parseLinkAddress, signalingUrlFor, type LinkAddress } from './link-address'
import { checkCandidateName, type NameCheck } from './name'
import { createRunReporter, type RunReporterControl } from './run-reporter'

/** Pastes this long or longer are marked on the interviewer's timeline. */
export const PASTE_EVENT_MIN_CHARS = 100
/** Events kept while the link is down; focus changes beyond this are not worth the memory. */
const MAX_QUEUED_EVENTS = 200
/** How often the page asks for the host's clock while the link is open. */
export const PING_INTERVAL_MS = 10_000

export type Phase = 'waiting' | 'join' | 'session' | 'end'

export interface CandidateState {
  phase: Phase
  endCode: EndCode | null
  info: SessionInfo | null
  session: SessionState | null
  mode: LinkMode
  name: string | null
  /** The code is there to edit: restored from this browser, or received from the interviewer. */
  codeReady: boolean
  /** Local clock: when the candidate joined, for the thank-you page. */
  joinedAt: number | null
  /** How far the host's clock is ahead of this page's, from ping/pong; null before the first answer. */
  clockOffsetMs: number | null
  /** Every problem shown to the candidate since they joined on this page, by index. */
  visitedProblems: number[]
  /** Runs started on this page during the interview, kept across a reload. */
  runsMade: number
  /** What the thank-you page shows; set when the interviewer ends the interview. */
  summary: EndSummary | null
}

/** The browser's copy of the document: restored before the link starts, kept up to date after. */
export interface DocStore {
  /** Removes the stored copy, once the interview has ended. */
  clear(): Promise<void>
  destroy(): Promise<void>
}

export interface CandidateDeps {
  location: Pick<Location, 'pathname' | 'hash' | 'search' | 'origin'>
  createLink: GuestLinkFactory
  /** The body of `GET /config`. */
  fetchConfig: () => Promise<unknown>
  /** Restores `doc` from the browser's storage; resolves when it is restored. */
  openDocStore: (roomId: string, doc: Y.Doc) => Promise<DocStore>
  /** Remembers the name per room, so a refresh rejoins without asking again. */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null
  /** WebCrypto is there: browsers offer it only on https:// pages and on localhost. */
  canEncrypt: () => boolean
  now?: () => number
  schedule?: Schedule
}

export interface CandidateSession {
  readonly state: CandidateState
  readonly doc: Y.Doc
  readonly awareness: Awareness
  /** Tells the interviewer about every run; kept and sent later while the link is down. */
  readonly runs: RunReporterControl
  /** Now on the host's clock, as well as the page can tell: what the countdown runs on. */
  hostNow(): number
  start(): Promise<void>
  join(name: string): NameCheck
  /** Characters pasted into the editor in one go. */
  pasted(chars: number): void
  /** The page lost or regained the candidate's attention (tab hidden, window blurred). */
  attention(focused: boolean): void
  dispose(): Promise<void>
}

const nameKey = (roomId: string): string => `duet:name:${roomId}`
const runsKey = (roomId: string): string => `duet:runs:${roomId}`

/** A count this page stored earlier; anything else (nothing, or tampered with) counts as 0. */
function storedCount(text: string | null): number {
  const count = Number(text)
  return Number.isSafeInteger(count) && count > 0 ? count : 0
}

function hasCode(doc: Y.Doc): boolean {
  // Restored types stay untyped until asked for by kind, hence problemText rather than the share entry.
  return [...doc.share.keys()].some((name) => {
    const index = problemIndexOf(name)
    return index !== null && problemText(doc, index).length > 0
  })
}

export function createCandidateSession(deps: CandidateDeps): CandidateSession {
  const now = deps.now ?? Date.now
  const schedule = deps.schedule ?? realSchedule
  const state = shallowReactive<CandidateState>({
    phase: 'waiting',
    endCode: null,
    info: null,
    session: null,
    mode: 'connecting',
    name: null,
    codeReady: false,
    joinedAt: null,
    clockOffsetMs: null,
    visitedProblems: [],
    runsMade: 0,
    summary: null,
  })
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  const queued: LinkFrame[] = []
  const unsubscribe: (() => void)[] = []
  let address: LinkAddress | null = null
  let store: DocStore | null = null
  let link: GuestLink | null = null
  let sync: SyncEndpoint | null = null
  let disposed = false
  let clockSamples: ClockSample[] = []
  let nextPing: Cancel | null = null

  function send(frame: LinkFrame): boolean {
    if (!link || !isOpenMode(state.mode)) return false
    link.send(frame)
    return true
  }

  function sendEvent(frame: LinkFrame): void {
    if (state.phase !== 'session') return
    if (!send(frame) && queued.length < MAX_QUEUED_EVENTS) queued.push(frame)
  }

  // Run frames wait while the link is down; sayHello sends them after the hello.
  const reporter = createRunReporter({ send, now })
  const runs: RunReporterControl = {
    ...reporter,
    started(run) {
      if (!reporter.started(run)) return false
      state.runsMade++
      if (address) deps.storage?.setItem(runsKey(address.roomId), String(state.runsMade))
      return true
    },
  }

  const hostNow = (): number => now() + (state.clockOffsetMs ?? 0)

  // A ping goes as soon as the link opens, then one every PING_INTERVAL_MS while it stays open:
  // clocks drift or get set, and the shortest recent round trip gives the best estimate.
  function ping(): void {
    nextPing?.()
    nextPing = null
    if (!send({ type: 'ping', t: now() })) return
    nextPing = schedule(ping, PING_INTERVAL_MS)
  }

  function onPong(t: number, at: number): void {
    clockSamples = keepSample(clockSamples, { sentAt: t, hostAt: at, receivedAt: now() })
    state.clockOffsetMs = clockOffset(clockSamples)
  }

  function sayHello(): void {
    if (state.name === null || !send({ type: 'candidate.hello', name: state.name })) return
    for (let next = queued[0]; next && send(next); next = queued[0]) queued.shift()
    runs.resume()
  }

  function disconnect(): void {
    nextPing?.()
    nextPing = null
    for (const off of unsubscribe.splice(0)) off()
    sync?.destroy()
    sync = null
    link?.close()
    link = null
  }

  /** From the host's start, on the host's clock; from joining when the host never said when it started. */
  function durationSoFar(): number {
    const startedAt = state.session?.startedAt ?? null
    return startedAt === null ? now() - (state.joinedAt ?? now()) : hostNow() - startedAt
  }

  function end(code: EndCode): void {
    if (state.phase === 'end') return
    if (code === 'ended' && state.name !== null && state.info) {
      state.summary = endSummaryOf({
        name: state.name,
        info: state.info,
        doc,
        visited: state.visitedProblems,
        runsMade: state.runsMade,
        durationMs: durationSoFar(),
      })
    }
    state.endCode = code
    state.phase = 'end'
    disconnect()
    if (code === 'ended' && address) {
      // The interviewer has the whole recording; nothing is left for this browser to keep.
      deps.storage?.removeItem(nameKey(address.roomId))
      deps.storage?.removeItem(runsKey(address.roomId))
      void store?.clear().catch(() => undefined)
    }
  }

  function onFrame(frame: LinkFrame): void {
    if (frame.type === 'session.info') {
      state.info = frame.info
      if (state.phase !== 'waiting') return
      const remembered = address ? deps.storage?.getItem(nameKey(address.roomId)) : null
      if (remembered && checkCandidateName(remembered).ok) join(remembered)
      else state.phase = 'join'
    } else if (frame.type === 'session.state') {
      state.session = frame.state
      if (state.phase === 'session') visit(frame.state.currentProblem)
      if (frame.state.status === 'ended') end('ended')
    } else if (frame.type === 'pong') {
      if (frame.at !== undefined) onPong(frame.t, frame.at)
    } else if (frame.type === 'bye') {
      if (frame.reason !== 'closed') end(frame.reason)
    }
  }

  function onState(mode: LinkMode, reason: string | undefined): void {
    const wasOpen = isOpenMode(state.mode)
    state.mode = mode
    if (mode === 'closed') end(endCodeOf(reason))
    else if (!wasOpen && isOpenMode(mode)) {
      ping()
      sayHello()
    }
  }

  async function iceServers(): Promise<IceServer[]> {
    try {
      const parsed = SignalingConfigSchema.safeParse(await deps.fetchConfig())
      return parsed.success ? parsed.data.iceServers : []
    } catch {
      // On a LAN no ICE server is needed, and the relay works without one.
      return []
    }
  }

  async function start(): Promise<void> {
    address = parseLinkAddress(deps.location.pathname, deps.location.hash)
    if (!address) {
      end('incomplete-link')
      return
    }
    state.runsMade = storedCount(deps.storage?.getItem(runsKey(address.roomId)) ?? null)
    // Without WebCrypto the link cannot derive its keys; better to say so than to wait forever.
    if (!deps.canEncrypt()) {
      end('unsupported')
      return
    }
    try {
      store = await deps.openDocStore(address.roomId, doc)
    } catch {
      // Private windows may refuse storage: the interview still works, only without refresh safety.
      store = null
    }
    if (hasCode(doc)) state.codeReady = true
    const servers = await iceServers()
    if (disposed) return
    link = deps.createLink({
      role: 'guest',
      roomId: address.roomId,
      secret: address.secret,
      signalingUrl: signalingUrlFor(deps.location.origin, SIGNALING_PATH),
      iceServers: servers,
      forceRelay: new URLSearchParams(deps.location.search).get('relay') === '1',
    })
    sync = connectSync({
      doc,
      awareness,
      link,
      // The interviewer's app writes only problem texts; anything else would poison every resync.
      acceptUpdate: (update, structs) =>
        staysInProblemTexts(update, state.info?.problems.length ?? MAX_SESSION_PROBLEMS, structs),
    })
    unsubscribe.push(
      sync.onSynced(() => {
        state.codeReady = true
      }),
      link.onFrame(onFrame),
      link.onState((linkState) => onState(linkState.mode, linkState.mode === 'closed' ? linkState.reason : undefined)),
    )
  }

  function visit(problem: number): void {
    if (!state.visitedProblems.includes(problem)) state.visitedProblems = [...state.visitedProblems, problem]
  }

  function join(raw: string): NameCheck {
    const check = checkCandidateName(raw)
    if (!check.ok || state.phase === 'end' || state.name !== null) return check
    state.name = check.name
    state.joinedAt = now()
    state.phase = 'session'
    visit(currentProblem())
    if (address) deps.storage?.setItem(nameKey(address.roomId), check.name)
    awareness.setLocalStateField(PRESENCE_USER_FIELD, { name: check.name, color: CANDIDATE_COLOR })
    sayHello()
    return check
  }

  const currentProblem = (): number => state.session?.currentProblem ?? 0

  return {
    state,
    doc,
    awareness,
    runs,
    hostNow,
    start,
    join,
    pasted(chars) {
      if (chars >= PASTE_EVENT_MIN_CHARS) sendEvent({ type: 'event', kind: 'paste', problem: currentProblem(), chars })
    },
    attention(focused) {
      sendEvent({ type: 'event', kind: focused ? 'focus-gained' : 'focus-lost', problem: currentProblem() })
    },
    async dispose() {
      disposed = true
      runs.dispose()
      disconnect()
      awareness.destroy()
      await store?.destroy()
      doc.destroy()
    },
  }
}
