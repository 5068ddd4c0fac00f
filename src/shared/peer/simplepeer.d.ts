/** The parts of simple-peer's prebuilt browser bundle that simple-peer-link.ts uses. */
declare module 'simple-peer/simplepeer.min.js' {
  interface SimplePeerOptions {
    initiator: boolean
    trickle: boolean
    config: { iceServers: { urls: string | string[]; username?: string; credential?: string }[] }
    channelConfig: { ordered: boolean }
    offerOptions: { iceRestart: boolean }
    /** Strings arrive as strings rather than as Buffers. */
    objectMode: boolean
  }

  class SimplePeer {
    constructor(options: SimplePeerOptions)
    readonly destroyed: boolean
    signal(data: object): void
    send(data: string): void
    negotiate(): void
    destroy(): void
    on(event: 'signal', listener: (data: unknown) => void): this
    on(event: 'connect' | 'close', listener: () => void): this
    on(event: 'data', listener: (data: Uint8Array | string) => void): this
    on(event: 'error', listener: (error: Error) => void): this
    on(event: 'iceStateChange', listener: (iceConnectionState: string, iceGatheringState: string) => void): this
  }

  export default SimplePeer
}
