import { z } from 'zod'
import type { IceServer } from '../signaling/protocol'
import type { Schedule } from './schedule'

/** The SDP and ICE messages a WebRTC peer exchanges through signaling (simple-peer's shapes). */
export const PeerSignalSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), sdp: z.string().min(1).max(32_000) }),
  z.object({ type: z.literal('answer'), sdp: z.string().min(1).max(32_000) }),
  z.object({
    type: z.literal('candidate'),
    candidate: z.object({
      candidate: z.string().max(2_000),
      sdpMLineIndex: z.number().int().nonnegative().nullable().optional(),
      sdpMid: z.string().max(256).nullable().optional(),
    }),
  }),
])
export type PeerSignal = z.infer<typeof PeerSignalSchema>

export interface PeerTransportEvents {
  /** A message for the other peer, to be sent through (encrypted) signaling. */
  signal(data: PeerSignal): void
  /** The data channel is open. */
  open(): void
  /** A text message from the data channel (ordered, reliable). */
  data(text: string): void
  /** The connection is interrupted and being restarted (true), or back (false). */
  stalled(stalled: boolean): void
  /** The connection is gone for good: failed, closed by the other side, or a restart timed out. */
  close(): void
}

export interface PeerTransportOptions {
  /** The side that makes the offer (the host). */
  initiator: boolean
  iceServers: readonly IceServer[]
  events: PeerTransportEvents
  schedule: Schedule
}

/** A WebRTC data channel to one peer; the only seam between the link and the WebRTC library. */
export interface PeerTransport {
  signal(data: PeerSignal): void
  /** False when the channel cannot take the message now. */
  send(text: string): boolean
  /** Closes the connection; no event follows. */
  destroy(): void
}

export type CreatePeer = (options: PeerTransportOptions) => PeerTransport
