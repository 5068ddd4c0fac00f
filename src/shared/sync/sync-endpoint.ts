import { fromBase64, toBase64 } from 'lib0/buffer'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { LinkFrame } from '../peer/frames'
import { MAX_LINK_FRAME_BYTES } from '../peer/link'
import { ChunkAssembler, MESSAGE_CHUNK, readChunk, splitMessage } from './chunks'
import type { AwarenessChange } from './presence'
import { decodeStructs, type UpdateStructs } from './update-scope'

/** The part of a peer link the sync layer uses. */
export interface SyncLink {
  send(frame: LinkFrame): void
  onFrame(listener: (frame: LinkFrame) => void): () => void
  onState(listener: (state: { mode: string }) => void): () => void
}

/** JSON around the base64 payload of the larger of the two frame types. */
const FRAME_OVERHEAD_BYTES = JSON.stringify({ type: 'awareness', data: '' }).length

/**
 * Largest sync message per frame, in bytes before base64, so that the frame fits the link's limit
 * (which relay mode sets; the link drops a larger frame). Bigger messages go as chunks.
 */
export const DEFAULT_MAX_SYNC_BYTES = Math.floor((MAX_LINK_FRAME_BYTES - FRAME_OVERHEAD_BYTES) / 4) * 3

/**
 * How often an unchanged presence is sent again: y-protocols drops a peer's state it has not heard
 * of for 30 s, and renews an idle local state only every 15 s.
 */
export const PRESENCE_RENEW_MS = 5_000

/** Why an incoming frame was dropped; counted, never thrown. */
export type DropReason = 'sync-decode' | 'sync-apply' | 'sync-chunk-gap' | 'sync-refused' | 'awareness'

export interface SyncEndpointOptions {
  doc: Y.Doc
  awareness?: awarenessProtocol.Awareness
  link: SyncLink
  /** Transaction origin of remote changes: local listeners tell them apart, and they are not echoed. */
  origin?: unknown
  maxSyncBytes?: number
  onDrop?: (reason: DropReason) => void
  /**
   * Whether to apply a well-formed update from the peer, given with its decoded structs; one it
   * refuses is dropped as `sync-refused`.
   */
  acceptUpdate?: (update: Uint8Array, structs: UpdateStructs) => boolean
  /** Clock for renewing an unchanged presence (Date.now unless a test sets one). */
  now?: () => number
}

export interface SyncEndpoint {
  /** The transaction origin of every change that came from the peer. */
  readonly origin: unknown
  /** True once the peer's state (sync step 2) arrived since the link last opened. */
  readonly synced: boolean
  readonly dropped: number
  onSynced(listener: () => void): () => void
  /** Stops syncing; the document and awareness stay as they are, minus the peer's presence. */
  destroy(): void
}

const OPEN_MODES: ReadonlySet<string> = new Set(['direct', 'relayed'])

/** Whether an awareness update carries a state for `clientId`; throws on malformed data. */
function namesClient(update: Uint8Array, clientId: number): boolean {
  const decoder = decoding.createDecoder(update)
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    if (decoding.readVarUint(decoder) === clientId) return true
    decoding.readVarUint(decoder)
    decoding.readVarString(decoder)
  }
  return false
}

/**
 * Keeps `doc` (and `awareness`) in step with the peer over `link`, with the y-protocols sync
 * messages. Whenever the link (re)opens, or switches between direct and relayed, both sides send
 * their state vector (step 1) and answer the other's with what it lacks (step 2), so edits made
 * while apart merge. Between those, each local update is sent as it happens.
 */
export function connectSync(options: SyncEndpointOptions): SyncEndpoint {
  const { doc, awareness, link } = options
  const origin = options.origin ?? Symbol('sync-remote')
  const maxSyncBytes = options.maxSyncBytes ?? DEFAULT_MAX_SYNC_BYTES
  const assembler = new ChunkAssembler()
  const syncedListeners = new Set<() => void>()
  /** Awareness clients the peer told us about, removed when the link goes down. */
  const remoteClients = new Set<number>()
  let mode = 'connecting'
  let synced = false
  /** A step 1 asked for lost data; another is not sent before its step 2 arrives. */
  let resyncRequested = false
  let dropped = 0
  let chunkId = 0
  /** Our presence as last sent since the link (re)opened, and when. */
  let sentPresence: { json: string; at: number } | null = null
  const now = options.now ?? Date.now

  const isOpen = (): boolean => OPEN_MODES.has(mode)

  function drop(reason: DropReason): void {
    dropped++
    options.onDrop?.(reason)
  }

  function sendSync(message: Uint8Array): void {
    if (!isOpen()) return
    // A chunk's header (type, id, index, count, length) takes at most 5 varints of 5 bytes.
    const parts = message.length > maxSyncBytes ? splitMessage(message, chunkId++, maxSyncBytes - 25) : [message]
    for (const part of parts) link.send({ type: 'sync', data: toBase64(part) })
  }

  function sendStep1(): void {
    const encoder = encoding.createEncoder()
    syncProtocol.writeSyncStep1(encoder, doc)
    sendSync(encoding.toUint8Array(encoder))
  }

  function sendLocalAwareness(): void {
    if (!awareness || !isOpen()) return
    // y-protocols reports every time the local state is set, changed or not, and y-monaco sets the
    // selection on each cursor move: while typing, its relative positions mostly stay the same.
    // An unchanged state goes out only to renew it, so a keystroke sends one frame, not two.
    const json = JSON.stringify(awareness.getLocalState())
    const at = now()
    if (sentPresence?.json === json && at - sentPresence.at < PRESENCE_RENEW_MS) return
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])
    // Presence is a name, a colour and a cursor: one that does not fit a frame is not worth chunking.
    if (update.length > maxSyncBytes) return
    link.send({ type: 'awareness', data: toBase64(update) })
    sentPresence = { json, at }
  }

  /** Frames were lost while the link stayed open: the peer's step 2 fills the hole. */
  function requestResync(): void {
    if (resyncRequested) return
    resyncRequested = true
    sendStep1()
  }

  /**
   * Sends our presence with a new clock: the peer dropped our state when the link went down and
   * ignores a state whose clock it has already seen.
   */
  function announcePresence(): void {
    const state = awareness?.getLocalState()
    if (awareness && state) awareness.setLocalState(state)
  }

  function markSynced(): void {
    resyncRequested = false
    if (synced) return
    synced = true
    for (const listener of syncedListeners) listener()
  }

  /** Applies a Yjs update from the peer; a malformed one is refused before it touches the doc. */
  function applyRemoteUpdate(update: Uint8Array): boolean {
    const structs = decodeStructs(update)
    if (structs === null) {
      drop('sync-decode')
      return false
    }
    if (options.acceptUpdate && !options.acceptUpdate(update, structs)) {
      drop('sync-refused')
      return false
    }
    try {
      Y.applyUpdate(doc, update, origin)
    } catch {
      drop('sync-apply')
      return false
    }
    return true
  }

  function handleSyncMessage(message: Uint8Array, fromChunks: boolean): void {
    let type: number
    let payload: Uint8Array
    let decoder: decoding.Decoder
    try {
      decoder = decoding.createDecoder(message)
      type = decoding.readVarUint(decoder)
      if (type === MESSAGE_CHUNK) {
        if (fromChunks) throw new Error('nested chunk')
        const result = assembler.accept(readChunk(decoder))
        if (result.kind === 'gap') {
          drop('sync-chunk-gap')
          requestResync()
        } else if (result.kind === 'complete') {
          handleSyncMessage(result.message, true)
        }
        return
      }
      payload = decoding.readVarUint8Array(decoder)
    } catch {
      drop('sync-decode')
      return
    }
    switch (type) {
      case syncProtocol.messageYjsSyncStep1: {
        const encoder = encoding.createEncoder()
        try {
          syncProtocol.writeSyncStep2(encoder, doc, payload)
        } catch {
          drop('sync-decode')
          return
        }
        sendSync(encoding.toUint8Array(encoder))
        // Our own step 1 may have gone out before the peer listened: ask again until its step 2 comes.
        if (!synced) sendStep1()
        return
      }
      case syncProtocol.messageYjsSyncStep2:
        if (applyRemoteUpdate(payload)) markSynced()
        return
      case syncProtocol.messageYjsUpdate:
        // An update that builds on one we never got waits in the store until the gap is filled.
        if (applyRemoteUpdate(payload) && (doc.store.pendingStructs !== null || doc.store.pendingDs !== null)) {
          requestResync()
        }
        return
      default:
        drop('sync-decode')
    }
  }

  function handleAwareness(data: Uint8Array): void {
    if (!awareness) return
    try {
      // y-protocols would let the peer replace our own state: each side speaks only for itself.
      if (namesClient(data, awareness.clientID)) {
        drop('awareness')
        return
      }
      awarenessProtocol.applyAwarenessUpdate(awareness, data, origin)
    } catch {
      drop('awareness')
    }
  }

  function decodeBase64(data: string): Uint8Array | null {
    try {
      return fromBase64(data)
    } catch {
      return null
    }
  }

  const offFrame = link.onFrame((frame) => {
    if (frame.type !== 'sync' && frame.type !== 'awareness') return
    const bytes = decodeBase64(frame.data)
    if (bytes === null) {
      drop(frame.type === 'sync' ? 'sync-decode' : 'awareness')
      return
    }
    if (frame.type === 'sync') handleSyncMessage(bytes, false)
    else handleAwareness(bytes)
  })

  function forgetPeerPresence(): void {
    if (!awareness || remoteClients.size === 0) return
    awarenessProtocol.removeAwarenessStates(awareness, [...remoteClients], origin)
    remoteClients.clear()
  }

  const offState = link.onState((state) => {
    if (state.mode === mode) return
    mode = state.mode
    synced = false
    resyncRequested = false
    sentPresence = null
    assembler.reset()
    if (isOpen()) {
      sendStep1()
      announcePresence()
    } else {
      forgetPeerPresence()
    }
  })

  const onDocUpdate = (update: Uint8Array, updateOrigin: unknown): void => {
    // While the link is down nothing is sent: the step 1/step 2 exchange on reopening carries it.
    if (updateOrigin === origin || !isOpen()) return
    const encoder = encoding.createEncoder()
    syncProtocol.writeUpdate(encoder, update)
    sendSync(encoding.toUint8Array(encoder))
  }
  doc.on('update', onDocUpdate)

  const onAwarenessUpdate = (change: AwarenessChange, changeOrigin: unknown): void => {
    if (!awareness) return
    const clients = [...change.added, ...change.updated, ...change.removed]
    if (changeOrigin === origin) {
      for (const id of [...change.added, ...change.updated]) if (id !== awareness.clientID) remoteClients.add(id)
      for (const id of change.removed) remoteClients.delete(id)
    }
    // Each side speaks only for itself: our own state goes out; the peer's word about it never
    // gets this far (handleAwareness drops it).
    if (clients.includes(awareness.clientID)) sendLocalAwareness()
  }
  awareness?.on('update', onAwarenessUpdate)

  return {
    origin,
    get synced() {
      return synced
    },
    get dropped() {
      return dropped
    },
    onSynced(listener) {
      syncedListeners.add(listener)
      return () => syncedListeners.delete(listener)
    },
    destroy() {
      offFrame()
      offState()
      doc.off('update', onDocUpdate)
      awareness?.off('update', onAwarenessUpdate)
      forgetPeerPresence()
      syncedListeners.clear()
    },
  }
}
