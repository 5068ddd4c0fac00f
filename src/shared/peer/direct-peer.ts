import type { IceServer, Role } from '../signaling/protocol'
import { MutualAuth } from './auth'
import type { MacKey } from './crypto-backend'
import { SerialQueue } from './listeners'
import type { Schedule } from './schedule'
import type { CreatePeer, PeerSignal, PeerTransport } from './transport'

export interface DirectPeerEvents {
  signal(peer: DirectPeer, data: PeerSignal): void
  /** Both sides proved the auth key: link frames may flow. */
  authenticated(peer: DirectPeer): void
  /** A message after authentication: the text of a link frame. */
  message(peer: DirectPeer, text: string): void
  stalled(peer: DirectPeer): void
  /** Gone for good; `authFailed` when the other side did not prove the key. */
  closed(peer: DirectPeer, authFailed: boolean): void
}

export interface DirectPeerOptions {
  /** Which negotiation this is; the host numbers them, both sides tag signals with it. */
  gen: number
  role: Role
  authKey: MacKey
  iceServers: readonly IceServer[]
  createPeer: CreatePeer
  schedule: Schedule
  events: DirectPeerEvents
}

/** One WebRTC data channel attempt: usable for link frames only after the mutual HMAC challenge. */
export class DirectPeer {
  readonly gen: number
  authenticated = false
  stalled = false
  private done = false
  private challengeSent = false
  private readonly auth: MutualAuth
  private readonly inbox = new SerialQueue()
  private readonly transport: PeerTransport
  private readonly events: DirectPeerEvents

  constructor(options: DirectPeerOptions) {
    this.gen = options.gen
    this.events = options.events
    this.auth = new MutualAuth(options.role, options.authKey)
    this.transport = options.createPeer({
      initiator: options.role === 'host',
      iceServers: options.iceServers,
      schedule: options.schedule,
      events: {
        signal: (data) => {
          if (!this.done) this.events.signal(this, data)
        },
        open: () => {
          if (!this.done) this.sendChallenge()
        },
        // Once authenticated, a frame needs no async step: it is handed on at once, unless earlier
        // data still waits in the queue and must not be overtaken.
        data: (text) => {
          if (this.authenticated && this.inbox.idle) this.deliver(text)
          else this.inbox.run(() => this.onData(text))
        },
        stalled: (stalled) => {
          if (this.done) return
          this.stalled = stalled
          this.events.stalled(this)
        },
        close: () => this.end(false),
      },
    })
  }

  signal(data: PeerSignal): void {
    if (!this.done) this.transport.signal(data)
  }

  send(text: string): boolean {
    return this.authenticated && !this.done && this.transport.send(text)
  }

  /** Closes the attempt; no event follows. */
  destroy(): void {
    this.done = true
    this.transport.destroy()
  }

  private sendChallenge(): void {
    if (this.challengeSent) return
    this.challengeSent = true
    this.transport.send(this.auth.challenge)
  }

  private async onData(text: string): Promise<void> {
    if (this.authenticated) return this.deliver(text)
    if (this.done) return
    // Data can arrive before the transport reports the channel open: the challenge still goes first.
    this.sendChallenge()
    const step = await this.auth.step(text)
    if (this.done) return
    if (step.kind === 'send') {
      this.transport.send(step.text)
    } else if (step.kind === 'verified') {
      this.authenticated = true
      this.events.authenticated(this)
    } else {
      this.transport.destroy()
      this.end(true)
    }
  }

  private deliver(text: string): void {
    if (!this.done) this.events.message(this, text)
  }

  private end(authFailed: boolean): void {
    if (this.done) return
    this.done = true
    this.events.closed(this, authFailed)
  }
}
