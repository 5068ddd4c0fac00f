/**
 * A WebSocket class for the link under test that records every text frame it sends to and gets
 * from the signaling server, can deliver a frame as if the server had sent it, and can silence a
 * socket as a network that dies without a word would.
 */
export class SocketTap {
  readonly sent: string[] = []
  readonly received: string[] = []
  readonly sockets: WebSocket[] = []
  readonly WebSocketImpl: new (url: string) => WebSocket
  private readonly silenced = new Set<WebSocket>()

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below records into this tap
    const tap = this
    this.WebSocketImpl = class TappedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url)
        tap.sockets.push(this)
        // Added before the page's own handler, so a silenced socket's frames never reach it.
        this.addEventListener('message', (event: MessageEvent) => {
          if (tap.silenced.has(this)) event.stopImmediatePropagation()
          else if (typeof event.data === 'string') tap.received.push(event.data)
        })
      }

      override send(data: string): void {
        if (tap.silenced.has(this)) return
        tap.sent.push(data)
        super.send(data)
      }
    }
  }

  /** From now on nothing goes either way on the newest socket, yet it stays open. */
  silence(): void {
    const socket = this.sockets.at(-1)
    if (socket) this.silenced.add(socket)
  }

  /** Delivers `data` on the newest socket as if the server had sent it. */
  inject(data: string): void {
    this.sockets.at(-1)?.dispatchEvent(new MessageEvent('message', { data }))
  }

  /** Frames received of one type, parsed. */
  receivedOfType(type: string): { type: string; data?: string }[] {
    return this.received
      .map((text) => JSON.parse(text) as { type: string; data?: string })
      .filter((frame) => frame.type === type)
  }

  /** Everything that crossed the socket either way, as one string to search. */
  transcript(): string {
    return [...this.sent, ...this.received].join('\n')
  }
}
