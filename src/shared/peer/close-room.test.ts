import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeRoom, type RoomToClose } from './close-room'
import { deriveLinkKeys, newHostToken, newRoomId, newSecret } from './keys'
import { SignalingClient } from './signaling-client'
import { startTestSignaling, type TestSignaling } from './test-support/server'
import { waitFor } from './test-support/wait'

let signaling: TestSignaling
const clients: SignalingClient[] = []

beforeEach(async () => {
  signaling = await startTestSignaling()
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await signaling.close()
})

function newRoom(): RoomToClose {
  return {
    signalingUrl: signaling.wsUrl,
    roomId: newRoomId(),
    secret: newSecret(),
    hostToken: newHostToken(),
    expiresAt: Date.now() + 3_600_000,
  }
}

async function guestOf(room: RoomToClose) {
  const keys = await deriveLinkKeys(room.secret)
  const guest = new SignalingClient({
    url: room.signalingUrl,
    identity: { role: 'guest', roomId: room.roomId, joinKey: keys.joinKey },
    backoff: { baseMs: 20, maxMs: 200 },
  })
  const closedWith: string[] = []
  const refusedWith: string[] = []
  guest.roomClosed.add((reason) => closedWith.push(reason))
  guest.refused.add((code) => refusedWith.push(code))
  clients.push(guest)
  guest.start()
  return { guest, closedWith, refusedWith }
}

describe('closeRoom', () => {
  it('tells a candidate waiting in the room that the interview ended, with no live view open', async () => {
    const room = newRoom()
    // The live view registered the room earlier and left; the candidate is still there.
    const liveView = await registerAsLiveView(room)
    const { guest, closedWith } = await guestOf(room)
    liveView.leave()
    await waitFor(() => guest.isJoined, 'candidate joined')

    expect(await closeRoom(room)).toBe('closed')
    await waitFor(() => closedWith.length > 0, 'candidate told')
    expect(closedWith).toEqual(['ended'])
  })

  it('leaves the link unusable afterwards: a later join is refused', async () => {
    const room = newRoom()
    expect(await closeRoom(room)).toBe('closed')
    const { refusedWith } = await guestOf(room)
    await waitFor(() => refusedWith.length > 0, 'late join refused')
    expect(refusedWith).toEqual(['expired'])
  })

  it('reports a room that is already gone', async () => {
    const room = newRoom()
    await closeRoom(room)
    expect(await closeRoom(room)).toBe('gone')
  })

  it('gives up when the server cannot be reached', async () => {
    const room = { ...newRoom(), signalingUrl: 'ws://127.0.0.1:9/ws' }
    expect(await closeRoom(room, { timeoutMs: 300 })).toBe('unreachable')
  })
})

/** Registers the room as the live view would, then leaves it when released. */
async function registerAsLiveView(room: RoomToClose) {
  const keys = await deriveLinkKeys(room.secret)
  const host = new SignalingClient({
    url: room.signalingUrl,
    identity: {
      role: 'host',
      roomId: room.roomId,
      hostToken: room.hostToken,
      joinKeyHash: keys.joinKeyHash,
      expiresAt: room.expiresAt,
    },
  })
  clients.push(host)
  host.start()
  await waitFor(() => host.isJoined, 'host registered')
  return { leave: () => host.close() }
}
