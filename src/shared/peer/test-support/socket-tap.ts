/**
 * A WebSocket class for the link under test that records every text frame it sends to and gets
 * from the signaling server, and can deliver a frame as if the server had sent it.
 */
export class SocketTap {
  readonly sent: string[] = []
  readonly received: string[] = []
  readonly sockets: WebSocket[] = []
  readonly WebSocketImpl: new (url: string) => WebSocket

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below records into this tap
    const tap = this
    this.WebSocketImpl = class TappedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url)
        tap.sockets.push(this)
        this.addEventListener('message', (event: MessageEvent) => {
          if (typeof event.data === 'string') tap.received.push(event.data)
        })
      }

      override send(data: string): void {
        tap.sent.push(data)
        super.send(data)
      }
    }
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
