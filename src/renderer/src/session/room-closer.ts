import type { InjectionKey } from 'vue'
import type { CloseRoomResult } from '../../../shared/peer/close-room'
import type { SessionConnection } from '../../../shared/session'

/** Ends a session's room on the signaling server, telling a candidate still there. */
export type RoomCloser = (connection: SessionConnection) => Promise<CloseRoomResult>

/** Loaded on first use, like the peer link, so signaling stays out of the app's startup bundle. */
export const closeSessionRoom: RoomCloser = async (connection) => {
  const { closeRoom } = await import('../../../shared/peer/close-room')
  return closeRoom(connection)
}

/** Lets tests see which rooms the sessions list closes. */
export const roomCloserKey: InjectionKey<RoomCloser> = Symbol('room-closer')
