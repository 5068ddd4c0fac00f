import { parseMessage } from '../json'
import type { Role } from '../signaling/protocol'
import { HOST_ONLY_FRAMES, LinkFrameSchema, type LinkFrame, type PartFrame } from './frames'
import { PartAssembler } from './frame-parts'
import type { DropReason, LinkMode, LinkStats } from './link'
import { Listeners } from './listeners'
import type { SignalingClientStats } from './signaling-client'

const INCOMING: readonly DropReason[] = ['unauthentic', 'malformed', 'stale', 'invalid-frame', 'host-only']
const OUTGOING: readonly DropReason[] = ['too-large', 'not-connected']

/**
 * Where link frames are counted and checked: every incoming value must be a valid LinkFrame, and
 * the host takes no host-only frame from the guest. Anything else is dropped and counted, never thrown.
 * A frame sent in parts is joined here, then checked like any other.
 */
export class FrameGate {
  readonly frames = new Listeners<[frame: LinkFrame]>()
  private readonly parts = new PartAssembler()
  private sent = 0
  private received = 0
  private readonly drops: Record<DropReason, number> = {
    unauthentic: 0,
    malformed: 0,
    stale: 0,
    'invalid-frame': 0,
    'host-only': 0,
    'too-large': 0,
    'not-connected': 0,
  }

  constructor(private readonly role: Role) {}

  /** A frame's JSON text, as it came off the data channel. */
  acceptText(text: string): void {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return this.drop('malformed')
    }
    this.accept(value)
  }

  /** A parsed value, as it came out of a relay blob. Too deep to parse safely counts as invalid. */
  accept(value: unknown): void {
    const frame = parseMessage(LinkFrameSchema, value)
    if (frame === null) return this.drop('invalid-frame')
    if (frame.type === 'part') return this.acceptPart(frame)
    this.deliver(frame)
  }

  /** A frame's parts went by a path that is gone: one half received will not be completed. */
  resetParts(): void {
    this.parts.reset()
  }

  private acceptPart(part: PartFrame): void {
    const result = this.parts.accept(part)
    if (result.kind === 'broken') this.drop('invalid-frame')
    if (result.kind !== 'complete') return
    let value: unknown
    try {
      value = JSON.parse(result.text)
    } catch {
      return this.drop('malformed')
    }
    const frame = parseMessage(LinkFrameSchema, value)
    // Parts of parts are never sent.
    if (frame === null || frame.type === 'part') return this.drop('invalid-frame')
    this.deliver(frame)
  }

  private deliver(frame: LinkFrame): void {
    if (this.role === 'host' && HOST_ONLY_FRAMES.has(frame.type)) return this.drop('host-only')
    this.received++
    this.frames.emit(frame)
  }

  countSent(): void {
    this.sent++
  }

  drop(reason: DropReason): void {
    this.drops[reason]++
  }

  stats(mode: LinkMode, signaling: SignalingClientStats | undefined): LinkStats {
    const sum = (reasons: readonly DropReason[]) => reasons.reduce((n, reason) => n + this.drops[reason], 0)
    return {
      mode,
      framesSent: this.sent,
      framesReceived: this.received,
      droppedInvalid: sum(INCOMING),
      droppedOutgoing: sum(OUTGOING),
      drops: { ...this.drops },
      reconnects: signaling?.reconnects ?? 0,
      badServerFrames: signaling?.badFrames ?? 0,
      serverErrors: signaling?.errors ?? 0,
    }
  }
}
