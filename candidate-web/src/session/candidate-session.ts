import { shallowReactive } from 'vue'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { LinkFrame, SessionInfo, SessionState } from '../../../src/shared/peer/frames'
import type { LinkMode } from '../../../src/shared/peer/link'
import { SignalingConfigSchema, SIGNALING_PATH, type IceServer } from '../../../src/shared/signaling/protocol'
import { problemIndexOf, problemText } from '../../../src/shared/sync/doc'
import { CANDIDATE_COLOR, PRESENCE_USER_FIELD } from '../../../src/shared/sync/presence'
import { connectSync, type SyncEndpoint } from '../../../src/shared/sync/sync-endpoint'
import { endCodeOf, type EndCode } from './end-pages'
import { isOpenMode, type GuestLink, type GuestLinkFactory } from './link'
import { parseLinkAddress, signalingUrlFor, type LinkAddress } from './link-address'
import { checkCandidateName, type NameCheck } from './name'
import { createRunReporter, type RunReporter } from './run-reporter'

/** Pastes this long or longer are marked on the interviewer's timeline. */
export const PASTE_EVENT_MIN_CHARS = 100
/** Events kept while the link is down; focus changes beyond this are not worth the memory. */
const MAX_QUEUED_EVENTS = 200

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
  /** Local clock: when the candidate joined and when the interview ended, for the thank-you page. */
  joinedAt: number | null
  endedAt: number | null
  /** The furthest problem the candidate has seen. */
  furthestProblem: number
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
}

export interface CandidateSession {
  readonly state: CandidateState
  readonly doc: Y.Doc
  readonly awareness: Awareness
  /** Tells the interviewer about every run; kept and sent later while the link is down. */
  readonly runs: RunReporter
  start(): Promise<void>
  join(name: string): NameCheck
  /** Characters pasted into the editor in one go. */
  pasted(chars: number): void
  /** The page lost or regained the candidate's attention (tab hidden, window blurred). */
  attention(focused: boolean): void
  dispose(): Promise<void>
}

const nameKey = (roomId: string): string => `duet:name:${roomId}`

function hasCode(doc: Y.Doc): boolean {
  // Restored types stay untyped until asked for by kind, hence problemText rather than the share entry.
  return [...doc.share.keys()].some((name) => {
    const index = problemIndexOf(name)
    return index !== null && problemText(doc, index).length > 0
  })
}

export function createCandidateSession(deps: CandidateDeps): CandidateSession {
  const now = deps.now ?? Date.now
  const state = shallowReactive<CandidateState>({
    phase: 'waiting',
    endCode: null,
    info: null,
    session: null,
    mode: 'connecting',
    name: null,
    codeReady: false,
    joinedAt: null,
    endedAt: null,
    furthestProblem: 0,
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
  const runs = createRunReporter({ send, now })

  function sayHello(): void {
    if (state.name === null || !send({ type: 'candidate.hello', name: state.name })) return
    for (let next = queued[0]; next && send(next); next = queued[0]) queued.shift()
    runs.resume()
  }

  function disconnect(): void {
    for (const off of unsubscribe.splice(0)) off()
    sync?.destroy()
    sync = null
    link?.close()
    link = null
  }

  function end(code: EndCode): void {
    if (state.phase === 'end') return
    state.endCode = code
    state.endedAt = now()
    state.phase = 'end'
    disconnect()
    if (code === 'ended' && address) {
      // The interviewer has the whole recording; nothing is left for this browser to keep.
      deps.storage?.removeItem(nameKey(address.roomId))
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
      state.furthestProblem = Math.max(state.furthestProblem, frame.state.currentProblem)
      if (frame.state.status === 'ended') end('ended')
    } else if (frame.type === 'bye') {
      if (frame.reason !== 'closed') end(frame.reason)
    }
  }

  function onState(mode: LinkMode, reason: string | undefined): void {
    const wasOpen = isOpenMode(state.mode)
    state.mode = mode
    if (mode === 'closed') end(endCodeOf(reason))
    else if (!wasOpen && isOpenMode(mode)) sayHello()
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
    sync = connectSync({ doc, awareness, link })
    unsubscribe.push(
      sync.onSynced(() => {
        state.codeReady = true
      }),
      link.onFrame(onFrame),
      link.onState((linkState) => onState(linkState.mode, linkState.mode === 'closed' ? linkState.reason : undefined)),
    )
  }

  function join(raw: string): NameCheck {
    const check = checkCandidateName(raw)
    if (!check.ok || state.phase === 'end' || state.name !== null) return check
    state.name = check.name
    state.joinedAt = now()
    state.phase = 'session'
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
