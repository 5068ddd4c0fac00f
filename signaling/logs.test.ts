import { afterEach, expect, it } from 'vitest'
import { z } from 'zod'
import { MAX_FRAME_BYTES } from '../src/shared/signaling/protocol'
import { roomTag } from './log'
import {
  blob,
  HOUR,
  joinFrame,
  newRoom,
  openRoom,
  registerFrame,
  startTestServer,
  TestClient,
  type TestServer,
} from './test-support'

let ts: TestServer
const clients: TestClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await ts.server.close()
})

const LogLineSchema = z
  .object({
    t: z.iso.datetime(),
    event: z.string().min(1),
    room: z
      .string()
      .regex(/^[0-9a-f]{12}$/)
      .optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()]))

it('logs one JSON line per event with a room tag, and never a room id, token, key or payload', async () => {
  const credential = 'turn-password-0123456789'
  ts = await startTestServer(
    { frameBurst: 20 },
    { iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'duet', credential }] },
  )
  const { room, host, guest } = await openRoom(ts)
  clients.push(host, guest)
  const payloads = [blob(64), blob(900)]
  host.send({ type: 'signal', data: payloads[0] ?? '' })
  await guest.take('signal')
  guest.send({ type: 'relay', data: payloads[1] ?? '', seq: 3 })
  await host.take('relay')

  const intruder = await TestClient.connect(ts.wsUrl)
  clients.push(intruder)
  intruder.send(joinFrame(room, newRoom().joinKey))
  await intruder.error()
  intruder.send(registerFrame({ ...room, hostToken: newRoom().hostToken }, ts.clock.now() + HOUR))
  await intruder.error()
  intruder.sendRaw(JSON.stringify({ ...joinFrame(room), roomId: 'short', v: 2 }))
  await intruder.error()
  intruder.sendRaw(`{"type":"relay","data":"${'A'.repeat(MAX_FRAME_BYTES)}"}`)
  await intruder.error()

  const second = await TestClient.connect(ts.wsUrl)
  clients.push(second)
  second.send(joinFrame(room))
  await guest.take('guest.replaced')
  host.send({ type: 'room.close' })
  await second.take('room.closed')
  await ts.server.close()

  const lines = ts.logs.map((line) => LogLineSchema.parse(JSON.parse(line)))
  const events = lines.map((line) => line.event)
  for (const event of [
    'server.started',
    'room.registered',
    'guest.joined',
    'refused',
    'room.ended',
    'server.stopped',
  ]) {
    expect(events).toContain(event)
  }
  expect(lines.filter((line) => line.event === 'guest.joined').map((line) => line.room)).toEqual([
    roomTag(room.roomId),
    roomTag(room.roomId),
  ])
  expect(lines.filter((line) => line.event === 'refused').map((line) => line.code)).toEqual([
    'bad-key',
    'bad-key',
    'bad-frame',
    'too-large',
  ])

  const text = ts.logs.join('\n')
  const secrets = [room.roomId, room.hostToken, room.joinKey, room.joinKeyHash, credential, ...payloads]
  for (const secret of secrets) expect(text).not.toContain(secret)
  // Nor a piece long enough to matter: any 16-character run of a secret.
  for (const secret of secrets) {
    for (let i = 0; i + 16 <= secret.length; i += 8) expect(text).not.toContain(secret.slice(i, i + 16))
  }
})
