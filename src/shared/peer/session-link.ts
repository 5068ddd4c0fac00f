import type { IceServer, Role } from '../signaling/protocol'
import { randomBytes, toBase64url } from './base64'
import { SecureChannel, type ChannelDrop, type Plan, type SessionSignal } from './channel'
import type { CryptoBackend } from './crypto-backend'
import { DirectPeer } from './direct-peer'
import { FrameGate } from './frame-gate'
import { splitFrame } from './frame-parts'
import { MAX_PART_ID, type LinkFrame } from './frames'
import { deriveLinkKeys, isLinkSecret, type LinkKeys } from './keys'
import {
  MAX_LINK_FRAME_BYTES,
  type CloseReason,
  type DropReason,
  type LinkMode,
  type LinkState,
  type LinkStats,
  type PeerLink,
} from './link'
import { Listeners, SerialQueue } from './listeners'
import { realSchedule, type Backoff, type Cancel, type Schedule } from './schedule'
import { createSimplePeer } from './simple-peer-link'
import { SignalingClient } from './signaling-client'
import type { CreatePeer, PeerSignal } from './transport'

/** How long a WebRTC attempt may take to open and authenticate before both sides switch to relay. */
export const DIRECT_TIMEOUT_MS = 10_000

/** How long an ended link keeps trying to get back into its room to close it; then the room expires on its own. */
export const ROOM_END_RETRY_MS = 30_000

interface CommonLinkOptions {
  /** The link secret from the link's fragment (256 bits, base64url). */
  secret: string
  roomId: string
  /** The signaling WebSocket, e.g. `ws://192.168.1.20:8787/ws`. */
  signalingUrl: string
  iceServers: readonly IceServer[]
  /** Skip WebRTC and relay every frame through the signaling server (tests, and a setting). */
  forceRelay?: boolean
  now?: () => number
  schedule?: Schedule
  random?: () => number
  backoff?: Backoff
  createPeer?: CreatePeer
  WebSocketImpl?: new (url: string) => WebSocket
  /** WebCrypto where the page has it, otherwise pure JavaScript; tests pick one. */
  crypto?: CryptoBackend
}

export interface HostLinkOptions extends CommonLinkOptions {
  role: 'host'
  hostToken: string
  /** When the server may expire the room (ms since the epoch). */
  expiresAt: number
}

export interface GuestLinkOptions extends CommonLinkOptions {
  role: 'guest'
}

export type SessionLinkOptions = HostLinkOptions | GuestLinkOptions

export interface HostSessionLink extends PeerLink {
  /** Ends the interview: the server closes the room for both sides for good; this link closes with `ended`. */
  endRoom(): void
}

/**
 * Opens one side of a session's link: signaling, then a WebRTC data channel (host offers), with
 * relay through the signaling server when the channel does not open and authenticate within
 * DIRECT_TIMEOUT_MS or drops and cannot be restored. Returns at once; watch `onState`.
 */
export function createSessionLink(options: HostLinkOptions): HostSessionLink
export function createSessionLink(options: SessionLinkOptions): PeerLink
export function createSessionLink(options: SessionLinkOptions): PeerLink {
  return new SessionLink(options)
}

interface Wiring {
  keys: LinkKeys
  client: SignalingClient
  channel: SecureChannel
}

const dropReasonOf = (reason: ChannelDrop): DropReason =>
  reason === 'unauthentic' || reason === 'stale' ? reason : 'malformed'

const encoder = new TextEncoder()

/** A state before its timestamp. */
type LinkStatus =
  | { mode: Exclude<LinkMode, 'closed'>; peerPresent: boolean }
  | { mode: 'closed'; reason: CloseReason; peerPresent: false }

class SessionLink implements HostSessionLink {
  private readonly options: SessionLinkOptions
  private readonly role: Role
  private readonly now: () => number
  private readonly schedule: Schedule
  private readonly createPeer: CreatePeer
  private readonly gate: FrameGate
  private readonly states = new Listeners<[state: LinkState]>()
  /** Opening blobs is async; this keeps them in arrival order. */
  private readonly inbox = new SerialQueue()
  /** Sealing is async; this keeps blobs in send order, so sequence numbers go out in order. */
  private readonly outbox = new SerialQueue()
  private wiring: Wiring | null = null
  private current: LinkState
  private closeReason: CloseReason | null = null
  private peerPresent = false
  /** Direct or relayed at least once: later losses are `reconnecting`, not `connecting`. */
  private everOpen = false
  /** Id of the next frame sent in parts. */
  private nextPartId = 0
  /** Relay is in use for this session (until a new guest page, or a host plan, says otherwise). */
  private relayed = false
  private direct: DirectPeer | null = null
  /** Host: the last attempt's number. Guest: the attempt the host announced. */
  private gen = 0
  private cancelAttempt: Cancel | null = null
  /** A signaling client kept past the end to close the room (endRoomOnReturn). */
  private endingClient: SignalingClient | null = null
  /** Guest: names this page load, so the host tells a reconnect from a new tab. */
  private readonly instance = toBase64url(randomBytes(16))
  /** Host: the page load of the guest in the current session. */
  private guestInstance: string | null = null
  /** Guest: the host page load whose welcome came last. */
  private hostInstance: string | null = null

  constructor(options: SessionLinkOptions) {
    this.options = options
    this.role = options.role
    this.now = options.now ?? Date.now
    this.schedule = options.schedule ?? realSchedule
    this.createPeer = options.createPeer ?? createSimplePeer
    this.gate = new FrameGate(options.role)
    this.current = { mode: 'connecting', peerPresent: false, since: this.now() }
    if (!isLinkSecret(options.secret)) {
      this.finish('bad-key')
      return
    }
    void deriveLinkKeys(options.secret, options.crypto).then((keys) => this.start(keys))
  }

  // ---- PeerLink ----

  send(frame: LinkFrame): void {
    const text = JSON.stringify(frame)
    if (text.length * 3 <= MAX_LINK_FRAME_BYTES || encoder.encode(text).length <= MAX_LINK_FRAME_BYTES) {
      return this.sendFrame(frame, text)
    }
    const parts = splitFrame(text, this.nextPartId)
    if (parts === null) return this.gate.drop('too-large')
    this.nextPartId = this.nextPartId === MAX_PART_ID ? 0 : this.nextPartId + 1
    for (const part of parts) this.sendFrame(part, JSON.stringify(part))
  }

  private sendFrame(frame: LinkFrame, text: string): void {
    if (this.direct?.authenticated) {
      // Also while stalled: the channel keeps the frame and delivers it if ICE comes back.
      if (this.direct.send(text)) this.gate.countSent()
      else this.gate.drop('not-connected')
      return
    }
    const wiring = this.wiring
    if (this.current.mode !== 'relayed' || !wiring) return this.gate.drop('not-connected')
    this.outbox.run(async () => {
      const blob = await wiring.channel.sealRelay(frame)
      if (blob && wiring.client.sendRelay(blob)) this.gate.countSent()
      else this.gate.drop('not-connected')
    })
  }

  onFrame(listener: (frame: LinkFrame) => void): () => void {
    return this.gate.frames.add(listener)
  }

  onState(listener: (state: LinkState) => void): () => void {
    const remove = this.states.add(listener)
    listener(this.current)
    return remove
  }

  state(): LinkState {
    return this.current
  }

  stats(): LinkStats {
    return this.gate.stats(this.current.mode, this.wiring?.client.stats())
  }

  close(): void {
    this.finish('closed')
  }

  endRoom(): void {
    const client = this.wiring?.client
    if (this.role === 'host' && client && !client.endRoom()) this.endRoomOnReturn(client)
    this.finish('ended')
  }

  /**
   * The host's socket is between connections, so `room.close` could not go: it goes once the socket
   * is back in the room, and a candidate there, or coming back, sees the end rather than waiting.
   */
  private endRoomOnReturn(client: SignalingClient): void {
    this.endingClient = client
    const cancel = this.schedule(() => client.close(), ROOM_END_RETRY_MS)
    const done = (): void => {
      cancel()
      client.close()
    }
    client.joined.add(() => {
      if (!client.endRoom()) done()
    })
    client.roomClosed.add(done)
    client.refused.add(done)
    client.replaced.add(done)
  }

  // ---- signaling ----

  private start(keys: LinkKeys): void {
    if (this.closeReason) return
    const { options } = this
    const client = new SignalingClient({
      url: options.signalingUrl,
      identity:
        options.role === 'host'
          ? {
              role: 'host',
              roomId: options.roomId,
              hostToken: options.hostToken,
              joinKeyHash: keys.joinKeyHash,
              expiresAt: options.expiresAt,
            }
          : { role: 'guest', roomId: options.roomId, joinKey: keys.joinKey },
      WebSocketImpl: options.WebSocketImpl,
      schedule: this.schedule,
      random: options.random,
      backoff: options.backoff,
    })
    const wiring: Wiring = { keys, client, channel: new SecureChannel(this.role, keys) }
    this.wiring = wiring
    client.joined.add(({ peerPresent }) => this.onPresence(peerPresent))
    client.peerJoined.add(() => this.onPresence(true))
    client.peerLeft.add(() => this.onPresence(false))
    client.disconnected.add(() => this.onPresence(false))
    client.replaced.add(() => this.finish('replaced'))
    client.roomClosed.add((reason) => this.finish(reason))
    client.refused.add((code) => this.finish(code))
    client.signal.add((blob) => this.inbox.run(() => this.onSignalBlob(wiring, blob)))
    client.relay.add((blob) => this.inbox.run(() => this.onRelayBlob(wiring, blob)))
    client.start()
  }

  /**
   * The other side arrived, came back or went, or our socket dropped. Any of these ends the
   * encrypted session: the guest starts the next one with a hello when both are there. A direct
   * channel that is up stays up (it does not need the server); an attempt still negotiating does
   * not survive without signaling.
   */
  private onPresence(present: boolean): void {
    const wiring = this.wiring
    if (!wiring || this.closeReason) return
    this.peerPresent = present
    wiring.channel.reset()
    if (!this.direct?.authenticated) this.stopAttempt()
    if (present && this.role === 'guest') {
      this.outbox.run(async () => {
        wiring.client.sendSignal(await wiring.channel.hello(this.instance))
      })
    }
    this.update()
  }

  private async onSignalBlob(wiring: Wiring, blob: string): Promise<void> {
    const incoming = await wiring.channel.openSignal(blob)
    if (this.closeReason) return
    switch (incoming.kind) {
      case 'dropped':
        return this.gate.drop(dropReasonOf(incoming.reason))
      case 'hello':
        return this.onHello(wiring, incoming.instance)
      case 'welcome':
        return this.onWelcome(incoming.plan, incoming.instance)
      case 'signal':
        return incoming.body.k === 'relay'
          ? this.useRelay(false)
          : this.onPeerSignal(wiring, incoming.body.gen, incoming.body.data)
    }
  }

  private async onRelayBlob(wiring: Wiring, blob: string): Promise<void> {
    const incoming = await wiring.channel.openRelay(blob)
    if (this.closeReason) return
    if (incoming.kind === 'dropped') return this.gate.drop(dropReasonOf(incoming.reason))
    this.gate.accept(incoming.value)
  }

  private sendSessionSignal(body: SessionSignal): void {
    const wiring = this.wiring
    if (!wiring) return
    this.outbox.run(async () => {
      const blob = await wiring.channel.sealSignal(body)
      if (blob) wiring.client.sendSignal(blob)
    })
  }

  // ---- choosing direct or relay ----

  /** Host: a guest page started a session; decide how it connects and answer. */
  private onHello(wiring: Wiring, instance: string): void {
    const sameGuest = instance === this.guestInstance
    this.guestInstance = instance
    let plan: Plan
    if (this.options.forceRelay || (sameGuest && this.relayed)) {
      plan = { mode: 'relay' }
    } else if (sameGuest && this.direct?.authenticated) {
      plan = { mode: 'direct', gen: this.direct.gen }
    } else {
      this.relayed = false
      plan = { mode: 'direct', gen: this.gen + 1 }
    }
    this.outbox.run(async () => {
      const blob = await wiring.channel.welcome(plan, this.instance)
      if (blob) wiring.client.sendSignal(blob)
    })
    // After the welcome is queued, so the offer, or the frames a 'relayed' listener sends, follow it.
    if (plan.mode === 'relay') this.useRelay(false)
    else if (plan.gen !== this.direct?.gen) this.startDirect(wiring, plan.gen)
    this.update()
  }

  /** Guest: the host's plan for this session. */
  private onWelcome(plan: Plan, hostInstance: string | null): void {
    // A host started again numbers its attempts from 1 again: a channel to the one before is dead
    // even while it looks open, and would take the new host's offer for its own.
    if (hostInstance !== this.hostInstance) {
      this.hostInstance = hostInstance
      this.dropDirect()
    }
    this.relayed = false
    if (plan.mode === 'relay' || this.options.forceRelay) return this.useRelay(plan.mode === 'direct')
    if (!(this.direct?.authenticated && this.direct.gen === plan.gen)) {
      this.dropDirect()
      this.gen = plan.gen
      this.startAttemptTimer()
    }
    this.update()
  }

  private onPeerSignal(wiring: Wiring, gen: number, data: PeerSignal): void {
    if (this.role === 'host') {
      if (this.direct?.gen === gen) this.direct.signal(data)
      return
    }
    if (this.relayed || gen < this.gen) return
    if (gen > this.gen) {
      // The host renegotiates after a drop: a fresh attempt with its own time limit.
      this.gen = gen
      this.startAttemptTimer()
    }
    if (this.direct?.gen !== gen) {
      this.dropDirect()
      this.direct = this.newDirectPeer(wiring, gen)
    }
    this.direct.signal(data)
  }

  /** Host: a new WebRTC attempt, as offerer. */
  private startDirect(wiring: Wiring, gen: number): void {
    this.dropDirect()
    this.gen = gen
    this.direct = this.newDirectPeer(wiring, gen)
    this.startAttemptTimer()
  }

  private newDirectPeer(wiring: Wiring, gen: number): DirectPeer {
    return new DirectPeer({
      gen,
      role: this.role,
      authKey: wiring.keys.auth,
      iceServers: this.options.iceServers,
      createPeer: this.createPeer,
      schedule: this.schedule,
      events: {
        signal: (peer, data) => {
          if (peer === this.direct) this.sendSessionSignal({ k: 'peer', gen: peer.gen, data })
        },
        authenticated: (peer) => {
          if (peer !== this.direct) return
          this.clearAttemptTimer()
          this.update()
        },
        message: (peer, text) => {
          if (peer === this.direct) this.gate.acceptText(text)
        },
        stalled: (peer) => {
          if (peer === this.direct) this.update()
        },
        closed: (peer, authFailed) => this.onDirectClosed(peer, authFailed),
      },
    })
  }

  private onDirectClosed(peer: DirectPeer, authFailed: boolean): void {
    if (peer !== this.direct || this.closeReason) return
    this.direct = null
    if (authFailed) this.gate.drop('unauthentic')
    if (!peer.authenticated) return this.useRelay(true)
    // Up, then lost, and the ICE restart did not bring it back: one fresh negotiation, then relay.
    if (this.role === 'host') {
      if (this.wiring?.channel.ready) this.startDirect(this.wiring, this.gen + 1)
    } else {
      this.startAttemptTimer()
    }
    this.update()
  }

  private startAttemptTimer(): void {
    this.clearAttemptTimer()
    this.cancelAttempt = this.schedule(() => {
      this.cancelAttempt = null
      if (!this.direct?.authenticated) this.useRelay(true)
    }, DIRECT_TIMEOUT_MS)
  }

  private clearAttemptTimer(): void {
    this.cancelAttempt?.()
    this.cancelAttempt = null
  }

  /** Drops a WebRTC attempt in progress (never an authenticated channel) and its time limit. */
  private stopAttempt(): void {
    this.clearAttemptTimer()
    if (!this.direct?.authenticated) this.dropDirect()
  }

  private dropDirect(): void {
    this.direct?.destroy()
    this.direct = null
  }

  /** Relay for the rest of this session; `notify` tells the other side, which switches too. */
  private useRelay(notify: boolean): void {
    this.relayed = true
    this.clearAttemptTimer()
    this.dropDirect()
    if (notify) this.sendSessionSignal({ k: 'relay' })
    this.update()
  }

  // ---- state ----

  private finish(reason: CloseReason): void {
    if (this.closeReason) return
    this.closeReason = reason
    this.clearAttemptTimer()
    this.dropDirect()
    if (this.wiring && this.wiring.client !== this.endingClient) this.wiring.client.close()
    this.update()
  }

  private nextState(): LinkStatus {
    if (this.closeReason) return { mode: 'closed', reason: this.closeReason, peerPresent: false }
    if (this.direct?.authenticated) return { mode: this.direct.stalled ? 'reconnecting' : 'direct', peerPresent: true }
    const wiring = this.wiring
    const present = this.peerPresent && wiring !== null && wiring.client.isJoined
    if (this.relayed && present && wiring.channel.ready) return { mode: 'relayed', peerPresent: true }
    return { mode: this.everOpen ? 'reconnecting' : 'connecting', peerPresent: present }
  }

  private update(): void {
    const next = this.nextState()
    const current = this.current
    if (next.mode === current.mode && next.peerPresent === current.peerPresent) return
    if (next.mode === 'direct' || next.mode === 'relayed') this.everOpen = true
    if (next.mode !== current.mode) this.gate.resetParts()
    this.current = { ...next, since: next.mode === current.mode ? current.since : this.now() }
    this.states.emit(this.current)
  }
}
