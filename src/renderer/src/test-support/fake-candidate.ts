import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { LinkFrame } from '../../../shared/peer/frames'
import type { SessionConnection } from '../../../shared/session'
import { problemText } from '../../../shared/sync/doc'
import { CANDIDATE_COLOR, PRESENCE_USER_FIELD } from '../../../shared/sync/presence'
import { connectSync, type SyncEndpoint } from '../../../shared/sync/sync-endpoint'
import { memoryLinkPair, type LinkMode, type MemoryLinkPair } from '../../../shared/sync/testing/memory-link'
import type { HostLink, HostLinkFactory, HostLinkOptions } from '../session/link-types'

/**
 * The candidate's side of a session for component tests: its own Y.Doc and awareness, synced
 * over an in-memory link (frames go through JSON and the frame schema, as on the wire) with the
 * host link the live view opens through `factory`. Frames wait until `deliver()`.
 */
export class FakeCandidate {
  readonly doc = new Y.Doc()
  readonly awareness = new Awareness(this.doc)
  /** Every frame the candidate received, in order. */
  readonly received: LinkFrame[] = []
  readonly connections: SessionConnection[] = []
  /** How each link the view opened was left: `closed`, or `ended` for the room. */
  readonly linkEnds: ('closed' | 'ended')[] = []
  /** The options each link was opened with. */
  readonly linkOptions: HostLinkOptions[] = []
  private pair: MemoryLinkPair | null = null
  private sync: SyncEndpoint | null = null

  readonly factory: HostLinkFactory = async (connection, options) => {
    this.connections.push(connection)
    this.linkOptions.push(options)
    this.sync?.destroy()
    const pair = memoryLinkPair()
    this.pair = pair
    this.sync = connectSync({ doc: this.doc, awareness: this.awareness, link: pair.b })
    pair.b.onFrame((frame) => this.received.push(frame))
    const end = pair.a
    const link: HostLink = {
      send: (frame) => end.send(frame),
      onFrame: (listener) => end.onFrame(listener),
      onState: (listener) => end.onState(listener),
      close: () => {
        this.linkEnds.push('closed')
        pair.setMode('closed')
      },
      // Frames sent before the room closes still arrive, as on the relay path, where the
      // server sees them before the close on the same socket.
      endRoom: () => {
        this.linkEnds.push('ended')
        pair.flush()
        pair.setMode('closed')
      },
    }
    return link
  }

  /** Both ends switch mode, as a real link does when the channel opens, moves or drops. */
  setMode(mode: LinkMode): void {
    this.current().setMode(mode)
    this.deliver()
  }

  /** Delivers every waiting frame, and the frames they cause. */
  deliver(): void {
    this.current().flush()
  }

  send(frame: LinkFrame): void {
    this.current().b.send(frame)
    this.deliver()
  }

  hello(name: string): void {
    this.awareness.setLocalStateField(PRESENCE_USER_FIELD, { name, color: CANDIDATE_COLOR })
    this.send({ type: 'candidate.hello', name })
  }

  text(index: number): Y.Text {
    return problemText(this.doc, index)
  }

  /** Types at the end of a problem's text, then lets the frames go. */
  type(index: number, text: string): void {
    this.text(index).insert(this.text(index).length, text)
    this.deliver()
  }

  framesOf<T extends LinkFrame['type']>(type: T): Extract<LinkFrame, { type: T }>[] {
    return this.received.filter((f): f is Extract<LinkFrame, { type: T }> => f.type === type)
  }

  private current(): MemoryLinkPair {
    if (!this.pair) throw new Error('The live view has not opened a link yet.')
    return this.pair
  }
}
