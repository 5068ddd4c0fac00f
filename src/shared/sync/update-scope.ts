import * as Y from 'yjs'
import { RecordedEventSchema } from '../session'
import { problemIndexOf } from './doc'

/** The largest Yjs update the recording stores as one event: its base64 must fit an event's data. */
export const MAX_RECORDED_UPDATE_BYTES = Math.floor((RecordedEventSchema.shape.data.unwrap().maxLength ?? 0) / 4) * 3

/** The structs of a Yjs update (V1), as `Y.decodeUpdate` gives them. */
export type UpdateStructs = readonly (Y.Item | Y.GC | Y.Skip)[]

/** An update's structs, or null when it is malformed. Never throws. */
export function decodeStructs(update: Uint8Array): UpdateStructs | null {
  try {
    return Y.decodeUpdate(update).structs
  } catch {
    return null
  }
}

/**
 * Whether a Yjs update (V1) from the candidate stays inside the session's document (see
 * `staysInProblemTexts`) and is small enough to be recorded; the host refuses any other whole.
 * `structs` saves decoding it again when the caller already has. Never throws.
 */
export function isProblemTextUpdate(update: Uint8Array, problemCount: number, structs?: UpdateStructs): boolean {
  return update.length <= MAX_RECORDED_UPDATE_BYTES && staysInProblemTexts(update, problemCount, structs)
}

/**
 * Whether a Yjs update (V1) holds only plain text in `problem:<index>` for the first `problemCount`
 * problems. Anything else (another name, a map, an embed, formatting, a nested type or a
 * subdocument) no side of ours writes, and once taken it would make every later state exchange
 * carry it, which the other side refuses. `structs` saves decoding it again. Never throws.
 */
export function staysInProblemTexts(update: Uint8Array, problemCount: number, structs?: UpdateStructs): boolean {
  const decoded = structs ?? decodeStructs(update)
  return (
    decoded !== null &&
    decoded.every((struct) => !(struct instanceof Y.Item) || isProblemTextItem(struct, problemCount))
  )
}

function isProblemTextItem(item: Y.Item, problemCount: number): boolean {
  if (!(item.content instanceof Y.ContentString || item.content instanceof Y.ContentDeleted)) return false
  if (item.parentSub !== null) return false
  // In a decoded update the parent is a root name, another item's id, or absent when the item's
  // neighbours place it (in a text the host already has, or one this same update names).
  const parent: unknown = item.parent
  if (parent === null) return true
  if (typeof parent !== 'string') return false
  const index = problemIndexOf(parent)
  return index !== null && index < problemCount
}
