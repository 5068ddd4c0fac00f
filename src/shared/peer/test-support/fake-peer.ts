import type { CreatePeer, PeerSignal, PeerTransport, PeerTransportOptions } from '../transport'

/**
 * An in-memory stand-in for WebRTC, for tests under Node: the offer, answer and a candidate still
 * travel through the real (encrypted) signaling, and the "data channel" opens only once the answer
 * reaches the offerer. `behaviour` sets how channels created from then on act.
 */
export class FakePeerNetwork {
  /** `open`: channels open. `never`: they never do (UDP blocked). `tamper`: the offerer's auth answer is altered. */
  behaviour: 'open' | 'never' | 'tamper' = 'open'
  readonly transports: FakeTransport[] = []
  private nextId = 1

  readonly createPeer: CreatePeer = (options) => {
    const transport = new FakeTransport(this, this.nextId++, options)
    this.transports.push(transport)
    return transport
  }

  /** The answerer that took the offer numbered `offerId`. */
  answererOf(offerId: number): FakeTransport | undefined {
    return this.transports.find((t) => !t.initiator && t.offerId === offerId && !t.closed)
  }

  /** Every open channel stalls, as when the network path goes away. */
  stallAll(): void {
    for (const transport of this.open()) transport.options.events.stalled(true)
  }

  /** Stalled channels come back, as after a successful ICE restart. */
  recoverAll(): void {
    for (const transport of this.open()) transport.options.events.stalled(false)
  }

  /** Every open channel is lost for good, as when an ICE restart fails. */
  dropAll(): void {
    for (const transport of this.open()) transport.lose()
  }

  /** The channels of the offering side end without a word, as when its process is killed. */
  killOfferers(): void {
    for (const transport of this.open()) if (transport.initiator) transport.closed = true
  }

  open(): FakeTransport[] {
    return this.transports.filter((t) => t.remote !== null && !t.closed)
  }
}

/** Later, in order: like network delivery, never inside the caller's own call. */
const later = (task: () => void) => setTimeout(task, 1)

export class FakeTransport implements PeerTransport {
  readonly initiator: boolean
  remote: FakeTransport | null = null
  closed = false
  /** Answerer: the offer it answered. */
  offerId: number | null = null
  private readonly behaviour: FakePeerNetwork['behaviour']

  constructor(
    private readonly network: FakePeerNetwork,
    readonly id: number,
    readonly options: PeerTransportOptions,
  ) {
    this.initiator = options.initiator
    this.behaviour = network.behaviour
    if (this.initiator) {
      later(() => {
        this.emitSignal({ type: 'offer', sdp: `v=0 fake-offer ${id}` })
        this.emitSignal({
          type: 'candidate',
          candidate: { candidate: `candidate:fake ${id}`, sdpMLineIndex: 0, sdpMid: '0' },
        })
      })
    }
  }

  signal(data: PeerSignal): void {
    if (this.closed) return
    if (data.type === 'offer' && !this.initiator) {
      // A connected channel cannot answer another connection's offer.
      if (this.remote) return
      const offerId = Number(data.sdp.split(' ').at(-1))
      this.offerId = offerId
      later(() => this.emitSignal({ type: 'answer', sdp: `v=0 fake-answer ${offerId}` }))
    } else if (data.type === 'answer' && this.initiator && this.behaviour !== 'never') {
      const answerer = this.network.answererOf(this.id)
      if (!answerer) return
      this.remote = answerer
      answerer.remote = this
      later(() => {
        this.options.events.open()
        answerer.options.events.open()
      })
    }
  }

  send(text: string): boolean {
    const remote = this.remote
    if (!remote || this.closed) return false
    const delivered =
      this.behaviour === 'tamper' && this.initiator && text.includes('"answer"')
        ? JSON.stringify({ auth: 'answer', mac: 'A'.repeat(43) })
        : text
    later(() => {
      if (!remote.closed) remote.options.events.data(delivered)
    })
    return true
  }

  destroy(): void {
    if (this.closed) return
    this.closed = true
    const remote = this.remote
    // The other end sees its channel close.
    if (remote) later(() => remote.lose())
  }

  /** The connection is gone: this end reports it closed. */
  lose(): void {
    if (this.closed) return
    this.closed = true
    this.options.events.close()
  }

  private emitSignal(data: PeerSignal): void {
    if (!this.closed) this.options.events.signal(data)
  }
}
