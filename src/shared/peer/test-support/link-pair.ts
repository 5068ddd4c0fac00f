import type { LinkFrame } from '../frames'
import { newHostToken, newRoomId, newSecret } from '../keys'
import type { LinkMode, LinkState, PeerLink } from '../link'
import { realSchedule, type Schedule } from '../schedule'
import {
  createSessionLink,
  DIRECT_TIMEOUT_MS,
  type GuestLinkOptions,
  type HostLinkOptions,
  type HostSessionLink,
} from '../session-link'
import type { CreatePeer } from '../transport'
import { SocketTap } from './socket-tap'
import { waitFor } from './wait'

/** Real time, but the link's timers run `factor` times faster: a 10 s attempt limit takes 10 s / factor. */
export function fastSchedule(factor: number): Schedule {
  return (task, ms) => realSchedule(task, ms / factor)
}

/** With `fastSchedule(SPEED)`, how long the direct attempt limit really takes. */
export const SPEED = 50
export const DIRECT_TIMEOUT_REAL_MS = DIRECT_TIMEOUT_MS / SPEED

/** A link with everything it did recorded. */
export interface Watched<L extends PeerLink = PeerLink> {
  link: L
  tap: SocketTap
  frames: LinkFrame[]
  states: LinkState[]
  /** The modes it went through, without repeats (a state also changes when only presence does). */
  modes(): LinkMode[]
  mode(): LinkMode
}

export function watch<L extends PeerLink>(link: L, tap: SocketTap): Watched<L> {
  const frames: LinkFrame[] = []
  const states: LinkState[] = []
  link.onFrame((frame) => frames.push(frame))
  link.onState((state) => states.push(state))
  return {
    link,
    tap,
    frames,
    states,
    modes: () => states.map((s) => s.mode).filter((mode, i, all) => mode !== all[i - 1]),
    mode: () => link.state().mode,
  }
}

export interface RoomMaterial {
  roomId: string
  secret: string
  hostToken: string
}

export const newMaterial = (): RoomMaterial => ({ roomId: newRoomId(), secret: newSecret(), hostToken: newHostToken() })

export interface LinkSetup {
  wsUrl: string
  material: RoomMaterial
  forceRelay?: boolean
  createPeer?: CreatePeer
  now?: () => number
}

const common = (setup: LinkSetup, tap: SocketTap) => ({
  roomId: setup.material.roomId,
  signalingUrl: setup.wsUrl,
  iceServers: [],
  forceRelay: setup.forceRelay,
  createPeer: setup.createPeer,
  now: setup.now,
  WebSocketImpl: tap.WebSocketImpl,
  schedule: fastSchedule(SPEED),
  backoff: { baseMs: 20, maxMs: 200 },
})

export function openHost(setup: LinkSetup, extra: Partial<HostLinkOptions> = {}): Watched<HostSessionLink> {
  const tap = new SocketTap()
  const link = createSessionLink({
    ...common(setup, tap),
    role: 'host',
    secret: setup.material.secret,
    hostToken: setup.material.hostToken,
    expiresAt: Date.now() + 3_600_000,
    ...extra,
  })
  return watch(link, tap)
}

export function openGuest(
  setup: LinkSetup,
  secret = setup.material.secret,
  extra: Partial<GuestLinkOptions> = {},
): Watched {
  const tap = new SocketTap()
  return watch(createSessionLink({ ...common(setup, tap), role: 'guest', secret, ...extra }), tap)
}

/** Waits until the host's room exists on the server, so a guest can join it. */
export async function registered(host: Watched): Promise<void> {
  await waitFor(() => host.tap.received.some((text) => text.includes('"host.registered"')), 'host registered')
}

export async function waitForModes(what: string, pairs: [Watched, LinkMode][], timeoutMs?: number): Promise<void> {
  await waitFor(() => pairs.every(([w, mode]) => w.mode() === mode), what, timeoutMs)
}
