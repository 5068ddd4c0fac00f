import type { InjectionKey } from 'vue'
import type { SessionConnection } from '../../../shared/session'
import type { SyncLink } from '../../../shared/sync/sync-endpoint'

/** What the peer link reports: `direct` and `relayed` are open, the rest are not. */
export const PEER_MODES = ['connecting', 'direct', 'relayed', 'reconnecting', 'closed'] as const
export type PeerMode = (typeof PEER_MODES)[number]
export const isPeerMode = (mode: string): mode is PeerMode => (PEER_MODES as readonly string[]).includes(mode)
/** What the live view shows: `waiting` is `connecting` while no candidate is there. */
export type LinkMode = PeerMode | 'waiting'

export const isOpenMode = (mode: string): boolean => mode === 'direct' || mode === 'relayed'

export interface HostLinkState {
  mode: string
  /** Whether the candidate is there: on the signaling server or on the channel. */
  peerPresent?: boolean
  /** Why a `closed` link closed, when it says. */
  reason?: string
}

/** The host end of a session's peer link, as the live view uses it. */
export interface HostLink extends SyncLink {
  onState(listener: (state: HostLinkState) => void): () => void
  /** Leaves the room; the candidate may come back when the host opens it again. */
  close(): void
  /** Ends the interview: the signaling server closes the room for good. */
  endRoom(): void
}

export interface HostLinkOptions {
  /** Skip WebRTC and relay every frame through the signaling server. */
  forceRelay: boolean
}

export type HostLinkFactory = (connection: SessionConnection, options: HostLinkOptions) => HostLink | Promise<HostLink>

/** Lets tests put an in-memory link where the app opens a real one. */
export const hostLinkFactoryKey: InjectionKey<HostLinkFactory> = Symbol('host-link-factory')
