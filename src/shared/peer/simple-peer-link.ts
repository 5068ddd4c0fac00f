import SimplePeer from 'simple-peer/simplepeer.min.js'
import type { Cancel } from './schedule'
import { PeerSignalSchema, type CreatePeer } from './transport'

/** An ICE restart that has not reconnected within this time has failed: the transport closes. */
export const ICE_RESTART_TIMEOUT_MS = 5_000

const decoder = new TextDecoder()

/** The WebRTC transport, on simple-peer's prebuilt bundle (no Node polyfills needed). */
export const createSimplePeer: CreatePeer = ({ initiator, iceServers, events, schedule }) => {
  const peer = new SimplePeer({
    initiator,
    trickle: true,
    // Replaces simple-peer's default public STUN servers: only what the settings list is contacted.
    config: { iceServers: iceServers.map((server) => ({ ...server })) },
    // Ordered, and reliable because neither maxRetransmits nor maxPacketLifeTime is set.
    channelConfig: { ordered: true },
    // The link renegotiates only to recover a dropped path, so every later offer restarts ICE.
    offerOptions: { iceRestart: true },
    // Frames stay the strings they were sent as, rather than round-tripping through a Buffer.
    objectMode: true,
  })
  let cancelRestart: Cancel | null = null
  let destroyed = false

  const endRestart = () => {
    cancelRestart?.()
    cancelRestart = null
  }

  peer.on('signal', (data) => {
    const parsed = PeerSignalSchema.safeParse(data)
    if (parsed.success) events.signal(parsed.data)
  })
  peer.on('connect', () => events.open())
  peer.on('data', (data) => events.data(typeof data === 'string' ? data : decoder.decode(data)))
  peer.on('iceStateChange', (state) => {
    if (state === 'disconnected' && !cancelRestart) {
      events.stalled(true)
      // The offerer restarts ICE; the answerer takes part through the offer it receives.
      if (initiator) peer.negotiate()
      cancelRestart = schedule(() => peer.destroy(), ICE_RESTART_TIMEOUT_MS)
    } else if ((state === 'connected' || state === 'completed') && cancelRestart) {
      endRestart()
      events.stalled(false)
    }
  })
  // Every error is followed by 'close', where it is handled.
  peer.on('error', () => {})
  peer.on('close', () => {
    endRestart()
    if (!destroyed) events.close()
  })

  return {
    signal(data) {
      if (!peer.destroyed) peer.signal(data)
    },
    send(text) {
      try {
        peer.send(text)
        return true
      } catch {
        return false
      }
    },
    destroy() {
      destroyed = true
      endRestart()
      peer.destroy()
    },
  }
}
