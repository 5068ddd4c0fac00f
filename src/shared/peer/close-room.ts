import { deriveLinkKeys } from './keys'
import type { Schedule } from './schedule'
import { realSchedule } from './schedule'
import { SignalingClient } from './signaling-client'

export interface RoomToClose {
  signalingUrl: string
  roomId: string
  secret: string
  hostToken: string
  expiresAt: number
}

export interface CloseRoomOptions {
  WebSocketImpl?: new (url: string) => WebSocket
  schedule?: Schedule
  /** How long to try before giving up; the room then closes itself when it expires. */
  timeoutMs?: number
}

/** How a close went: `closed` told everyone in the room; `gone` found no room to close. */
export type CloseRoomResult = 'closed' | 'gone' | 'unreachable'

const DEFAULT_TIMEOUT_MS = 5_000

/**
 * Ends a session's room on the signaling server without opening the peer link: used when the
 * interviewer ends a session from the sessions list, where no live view holds the room. A
 * candidate still waiting there is told the interview ended, as if the live view had ended it.
 */
export async function closeRoom(room: RoomToClose, options: CloseRoomOptions = {}): Promise<CloseRoomResult> {
  const keys = await deriveLinkKeys(room.secret)
  const schedule = options.schedule ?? realSchedule
  const client = new SignalingClient({
    url: room.signalingUrl,
    identity: {
      role: 'host',
      roomId: room.roomId,
      hostToken: room.hostToken,
      joinKeyHash: keys.joinKeyHash,
      expiresAt: room.expiresAt,
    },
    WebSocketImpl: options.WebSocketImpl,
    schedule,
  })
  return new Promise<CloseRoomResult>((resolve) => {
    const finish = (result: CloseRoomResult): void => {
      cancelTimeout()
      client.close()
      resolve(result)
    }
    const cancelTimeout = schedule(() => finish('unreachable'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    // The server answers room.close by closing the room and this socket with it.
    client.joined.add(() => {
      if (!client.endRoom()) finish('unreachable')
    })
    client.roomClosed.add(() => finish('closed'))
    client.refused.add(() => finish('gone'))
    client.replaced.add(() => finish('unreachable'))
    client.start()
  })
}
