import * as Y from 'yjs'
import { RecordedEventSchema } from '../session'
import { problemIndexOf } from './doc'

/** The largest Yjs update the recording stores as one event: its base64 must fit an event's data. */
export const MAX_RECORDED_UPDATE_BYTES = Math.floor((RecordedEventSchema.shape.data.unwrap().maxLength ?? 0) / 4) * 3

/**
 * Whether a Yjs update (V1) from the candidate stays inside the session's document (see
 * `staysInProblemTexts`) and is small enough to be recorded; the host refuses any other whole.
 * Never throws.
 */
export function isProblemTextUpdate(update: Uint8Array, problemCount: number): boolean {
  return update.length <= MAX_RECORDED_UPDATE_BYTES && staysInProblemTexts(update, problemCount)
}

/**
 * Whether a Yjs update (V1) holds only plain text in `problem:<index>` for the first `problemCount`
 * problems. Anything else (another name, a map, an embed, formatting, a nested type or a
 * subdocument) no side of ours writes, and once taken it would make every later state exchange
 * carry it, which the other side refuses. Never throws.
 */
export function staysInProblemTexts(update: Uint8Array, problemCount: number): boolean {
  let structs: (Y.Item | Y.GC | Y.Skip)[]
  try {
    structs = Y.decodeUpdate(update).structs
  } catch {
    return false
  }
  return structs.every((struct) => !(struct instanceof Y.Item) || isProblemTextItem(struct, problemCount))
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
