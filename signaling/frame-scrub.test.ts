import type { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import { Connection, type ConnectionContext } from './connection'
import { DEFAULT_LIMITS } from './limits'
import { createRooms } from './rooms'
import { HOUR, joinFrame, newRoom, registerFrame } from './test-support'

/** A socket that is open and records what the server sends: all a Connection uses of it here. */
function openSocket(sent: string[]): WebSocket {
  const socket = { readyState: 1, OPEN: 1, CLOSED: 3, bufferedAmount: 0, send: (text: string) => sent.push(text) }
  return socket as unknown as WebSocket
}

function connection(ctx: ConnectionContext, id: number, sent: string[] = []): Connection {
  return new Connection(openSocket(sent), id, ctx)
}

function context(): ConnectionContext {
  const now = () => Date.UTC(2026, 0, 5)
  const log = () => {}
  return {
    rooms: createRooms({ limits: DEFAULT_LIMITS, now, log }),
    limits: DEFAULT_LIMITS,
    now,
    log,
    relayed: { frames: 0, bytes: 0 },
  }
}

const isZeroed = (bytes: Uint8Array): boolean => bytes.every((byte) => byte === 0)

describe('a handled frame is zeroed', () => {
  it('so the host token and the join key do not outlive their frames in the read buffer', () => {
    const ctx = context()
    const room = newRoom()
    const hostSent: string[] = []
    const register = Buffer.from(JSON.stringify(registerFrame(room, ctx.now() + HOUR)))
    connection(ctx, 1, hostSent).onMessage(register, false)
    expect(hostSent.map((text) => JSON.parse(text) as { type: string })[0]?.type).toBe('host.registered')
    expect(isZeroed(register)).toBe(true)

    // Kept: the join key's digest, copied out of the frame: the guest is still let in.
    const guestSent: string[] = []
    const join = Buffer.from(JSON.stringify(joinFrame(room)))
    connection(ctx, 2, guestSent).onMessage(join, false)
    expect(guestSent.map((text) => JSON.parse(text) as { type: string })[0]?.type).toBe('guest.joined')
    expect(isZeroed(join)).toBe(true)
  })

  it('refused ones too, in every shape ws delivers', () => {
    const ctx = context()
    const wrongKey = Buffer.from(JSON.stringify(joinFrame(newRoom())))
    const fragments = [Buffer.from('{"type":"guest.join",'), Buffer.from('"joinKey":"secret"}')]
    const arrayBuffer = new TextEncoder().encode('{"type":"nonsense"}').buffer
    const binary = Buffer.from('{"type":"relay","data":"AAAA"}')
    const sent: string[] = []
    const conn = connection(ctx, 3, sent)
    conn.onMessage(wrongKey, false)
    conn.onMessage(fragments, false)
    conn.onMessage(arrayBuffer, false)
    conn.onMessage(binary, true)
    expect(sent.every((text) => text.includes('"error"'))).toBe(true)
    for (const bytes of [wrongKey, ...fragments, new Uint8Array(arrayBuffer), binary])
      expect(isZeroed(bytes)).toBe(true)
  })
})
