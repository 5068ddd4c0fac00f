import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * A sync message too big for one link frame travels as consecutive chunk messages. Message type
 * numbers 0–2 belong to y-protocols/sync; this one is ours and far from theirs.
 */
export const MESSAGE_CHUNK = 100

/** A reassembled message may not exceed this, whatever the chunks claim. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

interface Chunk {
  id: number
  index: number
  total: number
  part: Uint8Array
}

/** Splits `message` into chunk messages of at most `partBytes` payload each. */
export function splitMessage(message: Uint8Array, id: number, partBytes: number): Uint8Array[] {
  const total = Math.ceil(message.length / partBytes)
  const chunks: Uint8Array[] = []
  for (let index = 0; index < total; index++) {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_CHUNK)
    encoding.writeVarUint(encoder, id)
    encoding.writeVarUint(encoder, index)
    encoding.writeVarUint(encoder, total)
    encoding.writeVarUint8Array(encoder, message.subarray(index * partBytes, (index + 1) * partBytes))
    chunks.push(encoding.toUint8Array(encoder))
  }
  return chunks
}

/** Reads a chunk's fields after its message type; throws on malformed data. */
export function readChunk(decoder: decoding.Decoder): Chunk {
  const id = decoding.readVarUint(decoder)
  const index = decoding.readVarUint(decoder)
  const total = decoding.readVarUint(decoder)
  const part = decoding.readVarUint8Array(decoder)
  if (total < 2 || index >= total || part.length === 0) throw new Error('bad chunk header')
  return { id, index, total, part }
}

export type ChunkResult = { kind: 'partial' } | { kind: 'complete'; message: Uint8Array } | { kind: 'gap' }

/**
 * Joins the chunks of one message. The link is ordered and a sender writes a message's chunks
 * back to back, so anything else (a missing chunk, another message's chunk) means frames were
 * lost: the partial message is dropped and the caller asks the peer for a resync.
 */
export class ChunkAssembler {
  private current: { id: number; total: number; parts: Uint8Array[]; bytes: number } | null = null

  accept(chunk: Chunk): ChunkResult {
    const current = this.current
    if (chunk.index === 0) {
      const interrupted = current !== null
      this.current = { id: chunk.id, total: chunk.total, parts: [chunk.part], bytes: chunk.part.length }
      return interrupted ? { kind: 'gap' } : { kind: 'partial' }
    }
    if (!current || current.id !== chunk.id || current.total !== chunk.total || current.parts.length !== chunk.index) {
      this.current = null
      return { kind: 'gap' }
    }
    current.parts.push(chunk.part)
    current.bytes += chunk.part.length
    if (current.bytes > MAX_MESSAGE_BYTES) {
      this.current = null
      return { kind: 'gap' }
    }
    if (current.parts.length < current.total) return { kind: 'partial' }
    this.current = null
    const message = new Uint8Array(current.bytes)
    let offset = 0
    for (const part of current.parts) {
      message.set(part, offset)
      offset += part.length
    }
    return { kind: 'complete', message }
  }

  reset(): void {
    this.current = null
  }
}
