import { linkCanCarry } from '../../peer/frame-parts'
import { LinkFrameSchema, type LinkFrame } from '../../peer/frames'
import type { CloseReason, LinkMode, LinkState } from '../../peer/link'
import type { SyncLink } from '../sync-endpoint'

export type { LinkMode }

/**
 * Two in-memory link ends for tests of what runs over a link, not of the link. Frames go through
 * JSON and the frame schema as on the wire, wait in one queue until `flush()`, and are refused
 * where the real link refuses them: larger than it carries even in parts (frame-parts.ts). Unlike
 * the real link, such a frame or a send while not open throws, so a test sees it.
 */

export class MemoryLinkEnd implements SyncLink {
  mode: LinkMode = 'connecting'
  closedByOwner = false
  private state: LinkState = { mode: 'connecting', peerPresent: false, since: 0 }
  /** Every frame this end sent, as JSON. */
  readonly sent: string[] = []
  private readonly frameListeners = new Set<(frame: LinkFrame) => void>()
  private readonly stateListeners = new Set<(state: LinkState) => void>()

  constructor(private readonly deliver: (json: string) => void) {}

  send(frame: LinkFrame): void {
    if (this.mode !== 'direct' && this.mode !== 'relayed') throw new Error(`send while ${this.mode}`)
    const json = JSON.stringify(frame)
    if (!linkCanCarry(frame)) throw new Error(`frame of ${json.length} characters`)
    this.sent.push(json)
    this.deliver(json)
  }

  onFrame(listener: (frame: LinkFrame) => void): () => void {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }

  onState(listener: (state: LinkState) => void): () => void {
    this.stateListeners.add(listener)
    listener(this.state)
    return () => this.stateListeners.delete(listener)
  }

  /** `reason` says why a `closed` link closed, as the real link does. */
  setMode(mode: LinkMode, reason: CloseReason = 'closed'): void {
    this.mode = mode
    const since = this.state.since + 1
    this.state =
      mode === 'closed'
        ? { mode, reason, peerPresent: false, since }
        : { mode, peerPresent: mode === 'direct' || mode === 'relayed', since }
    for (const listener of [...this.stateListeners]) listener(this.state)
  }

  /** What the page calls when it is done with the link. */
  close(): void {
    this.closedByOwner = true
    this.mode = 'closed'
  }

  receive(json: string): void {
    const parsed = LinkFrameSchema.safeParse(JSON.parse(json))
    if (!parsed.success) return
    for (const listener of this.frameListeners) listener(parsed.data)
  }
}

export interface MemoryLinkPair {
  a: MemoryLinkEnd
  b: MemoryLinkEnd
  /** Sets both ends' mode, as a real link does when the channel opens, switches or drops. */
  setMode(mode: LinkMode): void
  /** Delivers queued frames (and the ones they cause) until none is left; returns how many. */
  flush(options?: { drop?: (json: string, index: number) => boolean }): number
  /** Frames waiting to be delivered. */
  pending(): number
}

export function memoryLinkPair(): MemoryLinkPair {
  const queue: { to: () => MemoryLinkEnd; json: string }[] = []
  const a: MemoryLinkEnd = new MemoryLinkEnd((json) => queue.push({ to: () => b, json }))
  const b: MemoryLinkEnd = new MemoryLinkEnd((json) => queue.push({ to: () => a, json }))
  return {
    a,
    b,
    setMode(mode) {
      a.setMode(mode)
      b.setMode(mode)
    },
    flush({ drop } = {}) {
      let delivered = 0
      for (let next = queue.shift(); next; next = queue.shift()) {
        const index = delivered++
        const to = next.to()
        // A frame in flight when the link dropped is lost, as on a real channel.
        if (to.mode !== 'direct' && to.mode !== 'relayed') continue
        if (drop?.(next.json, index)) continue
        to.receive(next.json)
      }
      return delivered
    },
    pending: () => queue.length,
  }
}
