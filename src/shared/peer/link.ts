import { MAX_BLOB_CHARS } from '../signaling/protocol'
import type { LinkFrame } from './frames'
import { ENVELOPE_OVERHEAD_BYTES, SEAL_OVERHEAD_BYTES } from './sealed'

/**
 * `direct`: the WebRTC data channel is open and both sides proved the secret. `relayed`: frames go
 * encrypted through the signaling server. `connecting`: not yet open (waiting for the other side,
 * or negotiating). `reconnecting`: it was open and is being restored. `closed`: for good.
 */
export type LinkMode = 'connecting' | 'direct' | 'relayed' | 'reconnecting' | 'closed'

/**
 * Why a link closed: `closed` by this side, `replaced` by another tab or device with the same link,
 * the room `ended` by the host or `expired`, or the server refused the link (`room-not-found`,
 * `bad-key`; a malformed secret also closes with `bad-key`).
 */
export type CloseReason = 'closed' | 'replaced' | 'ended' | 'expired' | 'room-not-found' | 'bad-key'

export type LinkState =
  | {
      mode: Exclude<LinkMode, 'closed'>
      /** The other side is connected (to the signaling server, or directly). */
      peerPresent: boolean
      /** When this mode began, from the link's clock. */
      since: number
    }
  | { mode: 'closed'; reason: CloseReason; peerPresent: false; since: number }

/** Why a frame was dropped. Incoming: the first five; outgoing: the last two. */
export type DropReason =
  'unauthentic' | 'malformed' | 'stale' | 'invalid-frame' | 'host-only' | 'too-large' | 'not-connected'

export interface LinkStats {
  mode: LinkMode
  framesSent: number
  framesReceived: number
  /** Incoming frames or blobs dropped as invalid: see `drops` for why. */
  droppedInvalid: number
  /** Outgoing frames refused: too large, or sent while neither direct nor relayed. */
  droppedOutgoing: number
  drops: Record<DropReason, number>
  /** Times the signaling connection came back after dropping. */
  reconnects: number
  /** Server frames the signaling client could not parse. */
  badServerFrames: number
  /** Error frames from the signaling server, e.g. `rate-limited` (relayed frames were lost). */
  serverErrors: number
}

/** The app's view of the live connection to the other side. */
export interface PeerLink {
  /** Sends when direct or relayed; otherwise (or when too large) the frame is dropped and counted. */
  send(frame: LinkFrame): void
  /** Valid frames from the other side, in order. */
  onFrame(listener: (frame: LinkFrame) => void): () => void
  /** Called at once with the current state, then on every change. */
  onState(listener: (state: LinkState) => void): () => void
  state(): LinkState
  stats(): LinkStats
  close(): void
}

/**
 * Largest frame the link sends, in bytes of UTF-8 JSON. Relay mode is the tightest path: the frame
 * goes inside an envelope, is encrypted and base64-encoded, and the blob must fit MAX_BLOB_CHARS.
 * 47 KiB with the current protocol; the same limit applies in direct mode, so behaviour does not
 * depend on the path.
 */
export const MAX_LINK_FRAME_BYTES = Math.min(
  47 * 1024,
  Math.floor(MAX_BLOB_CHARS / 4) * 3 - SEAL_OVERHEAD_BYTES - ENVELOPE_OVERHEAD_BYTES,
)
