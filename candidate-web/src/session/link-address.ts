import { isLinkSecret } from '../../../src/shared/peer/keys'
import { RoomIdSchema } from '../../../src/shared/signaling/protocol'

export interface LinkAddress {
  roomId: string
  secret: string
}

const PAGE_PATH = /^\/s\/([^/]+)\/?$/

/**
 * Reads `/s/<roomId>#<secret>`; null when either part is missing or malformed (a link cut short
 * when it was copied). The secret stays in the fragment, which the browser never sends.
 */
export function parseLinkAddress(pathname: string, hash: string): LinkAddress | null {
  const roomId = PAGE_PATH.exec(pathname)?.[1] ?? ''
  const secret = hash.replace(/^#/, '')
  if (!RoomIdSchema.safeParse(roomId).success || !isLinkSecret(secret)) return null
  return { roomId, secret }
}

/** The signaling WebSocket on the server that served this page. */
export function signalingUrlFor(origin: string, path: string): string {
  return `${origin.replace(/^http/, 'ws')}${path}`
}
