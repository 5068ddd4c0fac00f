import type { LinkMode, PeerLink } from '../../../src/shared/peer/link'
import type { GuestLinkOptions } from '../../../src/shared/peer/session-link'

/** The guest end of the peer link, as this page uses it. */
export type GuestLink = Pick<PeerLink, 'send' | 'onFrame' | 'onState' | 'close'>

/** Opens the link (`createSessionLink`); a dependency, so tests can pass an in-memory one. */
export type GuestLinkFactory = (options: GuestLinkOptions) => GuestLink

export type { GuestLinkOptions }

export const isOpenMode = (mode: LinkMode): boolean => mode === 'direct' || mode === 'relayed'
