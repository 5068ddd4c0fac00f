import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import * as Y from 'yjs'
import type { LinkFrame, SessionInfo } from '../../src/shared/peer/frames'
import type { CloseReason } from '../../src/shared/peer/link'
import { seedProblems } from '../../src/shared/sync/doc'
import { connectSync } from '../../src/shared/sync/sync-endpoint'
import { memoryLinkPair, type LinkMode, type MemoryLinkPair } from '../../src/shared/sync/testing/memory-link'
import { runnerSourceKey } from '../../src/browser/run-ui/runner-source'
import { ScriptedRunners } from '../../src/browser/run-ui/testing/scripted-runner'
import App from './App.vue'
import { editorLoaderKey, type EditorLoader } from './editor/load-editor'
import { createCandidateSession, type CandidateSession, type DocStore } from './session/candidate-session'
import type { GuestLinkOptions } from './session/link'

export const ROOM_ID = 'AAAAAAAAAAAAAAAAAAAAAA'
export const SECRET = 'S'.repeat(43)

export const INFO: SessionInfo = {
  title: 'Backend pairing',
  interviewerName: 'Ada Lovelace',
  language: 'python',
  problems: [
    {
      title: 'Two sum',
      difficulty: 'junior',
      description: 'Find **two** numbers.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>',
      entryFunction: 'two_sum',
      starterCode: 'def two_sum(nums, target):\n    pass\n',
      tests: [],
      timeoutMs: 5000,
    },
    {
      title: 'LRU cache',
      difficulty: 'senior',
      description: 'Build an LRU cache.',
      entryFunction: 'lru',
      starterCode: 'def lru():\n    pass\n',
      tests: [],
      timeoutMs: 5000,
    },
  ],
}

/** Monaco needs a real browser: in these tests the editor fails to load and says so. */
const noMonaco: EditorLoader = () => Promise.reject(new Error('Monaco needs a real browser'))

export class MemoryStorage {
  readonly items = new Map<string, string>()
  getItem = (key: string): string | null => this.items.get(key) ?? null
  setItem = (key: string, value: string): void => void this.items.set(key, value)
  removeItem = (key: string): void => void this.items.delete(key)
}

export interface Harness {
  wrapper: VueWrapper
  session: CandidateSession
  pair: MemoryLinkPair
  hostDoc: Y.Doc
  /** Frames the page sent, as the host received them; clock pings aside. */
  received: LinkFrame[]
  /** The pings the page sent. */
  pings: Extract<LinkFrame, { type: 'ping' }>[]
  linkOptions: GuestLinkOptions[]
  storage: MemoryStorage
  /** The page's runners: scripted, since happy-dom has no Worker. */
  runners: ScriptedRunners
  cleared: () => boolean
  /** Moves both link ends to `mode` and delivers what is queued. */
  mode(mode: LinkMode, reason?: CloseReason): Promise<void>
  /** Delivers queued frames both ways and lets the page update. */
  settle(): Promise<void>
  /** The host sends a frame. */
  hostSends(frame: LinkFrame): Promise<void>
  byTestId(id: string): ReturnType<VueWrapper['find']>
  dispose(): Promise<void>
}

export async function startPage(
  options: {
    pathname?: string
    hash?: string
    search?: string
    storage?: MemoryStorage
    canEncrypt?: boolean
    /** What this browser kept from an earlier visit, as a Yjs update. */
    stored?: Uint8Array
    runners?: ScriptedRunners
    /** The page's clock. */
    now?: () => number
    /** When given, the host end answers every ping with a pong stamped with this clock. */
    hostClock?: () => number
  } = {},
): Promise<Harness> {
  const pair = memoryLinkPair()
  const hostDoc = new Y.Doc()
  seedProblems(
    hostDoc,
    INFO.problems.map((p) => p.starterCode),
  )
  const hostSync = connectSync({ doc: hostDoc, link: pair.a })
  const received: LinkFrame[] = []
  const pings: Extract<LinkFrame, { type: 'ping' }>[] = []
  const { hostClock } = options
  pair.a.onFrame((frame) => {
    if (frame.type === 'ping') {
      pings.push(frame)
      if (hostClock) pair.a.send({ type: 'pong', t: frame.t, at: hostClock() })
    } else if (frame.type !== 'sync' && frame.type !== 'awareness') {
      received.push(frame)
    }
  })
  const linkOptions: GuestLinkOptions[] = []
  const storage = options.storage ?? new MemoryStorage()
  let cleared = false
  const store: DocStore = {
    clear: async () => {
      cleared = true
    },
    destroy: async () => undefined,
  }
  const session = createCandidateSession({
    location: {
      pathname: options.pathname ?? `/s/${ROOM_ID}`,
      hash: options.hash ?? `#${SECRET}`,
      search: options.search ?? '',
      origin: 'http://127.0.0.1:8787',
    },
    createLink: (linkOptionsGiven) => {
      linkOptions.push(linkOptionsGiven)
      return pair.b
    },
    fetchConfig: async () => ({ iceServers: [{ urls: 'stun:stun.example.org:3478' }] }),
    openDocStore: async (_roomId, doc) => {
      if (options.stored) Y.applyUpdate(doc, options.stored)
      return store
    },
    storage,
    canEncrypt: () => options.canEncrypt ?? true,
    ...(options.now ? { now: options.now } : {}),
  })
  const runners = options.runners ?? new ScriptedRunners()
  const wrapper = mount(App, {
    props: { session },
    global: { provide: { [editorLoaderKey as symbol]: noMonaco, [runnerSourceKey as symbol]: runners } },
    attachTo: document.body,
  })
  await session.start()
  await flushPromises()

  const settle = async (): Promise<void> => {
    pair.flush()
    await flushPromises()
  }
  return {
    wrapper,
    session,
    pair,
    hostDoc,
    received,
    pings,
    linkOptions,
    storage,
    runners,
    cleared: () => cleared,
    settle,
    async mode(mode, reason) {
      pair.a.setMode(mode)
      pair.b.setMode(mode, reason)
      await settle()
    },
    async hostSends(frame) {
      pair.a.send(frame)
      await settle()
    },
    byTestId: (id) => wrapper.find(`[data-testid="${id}"]`),
    async dispose() {
      wrapper.unmount()
      hostSync.destroy()
      await session.dispose()
      hostDoc.destroy()
    },
  }
}
