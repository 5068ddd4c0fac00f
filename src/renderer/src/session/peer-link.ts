import type { HostLinkFactory } from './link-types'

/**
 * The real host link: registers the room on the signaling server and waits for the candidate.
 * Loaded on first use, so WebRTC and its library stay out of the app's startup bundle.
 */
export const openPeerLink: HostLinkFactory = async (connection, { forceRelay }) => {
  const { createSessionLink } = await import('../../../shared/peer/session-link')
  return createSessionLink({
    role: 'host',
    roomId: connection.roomId,
    secret: connection.secret,
    hostToken: connection.hostToken,
    signalingUrl: connection.signalingUrl,
    iceServers: connection.iceServers,
    expiresAt: connection.expiresAt,
    forceRelay,
  })
}
