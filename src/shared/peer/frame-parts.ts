import { splitJsonText } from '../run-frames'
import { MAX_FRAME_PARTS, MAX_PART_ID, type LinkFrame, type PartFrame } from './frames'
import { MAX_LINK_FRAME_BYTES } from './link'

/** A part frame's JSON around its text (quotes included), with the widest id, index and count. */
const PART_OVERHEAD_BYTES = JSON.stringify({
  type: 'part',
  id: MAX_PART_ID,
  index: MAX_FRAME_PARTS - 1,
  count: MAX_FRAME_PARTS,
  text: '',
} satisfies PartFrame).length

/** About the largest frame the link carries in parts, in bytes of JSON (plain ASCII text). */
export const MAX_CARRIED_BYTES = MAX_FRAME_PARTS * (MAX_LINK_FRAME_BYTES - PART_OVERHEAD_BYTES)

/**
 * The part frames that carry the frame whose JSON is `text`, each within MAX_LINK_FRAME_BYTES; null
 * when it would take more than MAX_FRAME_PARTS.
 */
export function splitFrame(text: string, id: number): PartFrame[] | null {
  const pieces = splitJsonText(text, MAX_LINK_FRAME_BYTES - PART_OVERHEAD_BYTES + 2)
  if (pieces.length > MAX_FRAME_PARTS) return null
  return pieces.map((piece, index) => ({ type: 'part', id, index, count: pieces.length, text: piece }))
}

/** Whether the link can carry `frame`, whole or in parts. */
export function linkCanCarry(frame: LinkFrame): boolean {
  const text = JSON.stringify(frame)
  return text.length * 3 <= MAX_LINK_FRAME_BYTES || splitFrame(text, 0) !== null
}

export type PartResult = { kind: 'pending' } | { kind: 'complete'; text: string } | { kind: 'broken' }

/**
 * Joins the parts of one frame at a time. The link is ordered, so the parts of a frame come one
 * after the other from index 0: any other part means some were lost (the path changed halfway),
 * and the frame is given up rather than joined wrong.
 */
export class PartAssembler {
  private current: { id: number; count: number; texts: string[] } | null = null

  accept(part: PartFrame): PartResult {
    const current = this.current
    if (part.index === 0) {
      this.current = { id: part.id, count: part.count, texts: [part.text] }
      return current === null ? { kind: 'pending' } : { kind: 'broken' }
    }
    if (current?.id !== part.id || current.count !== part.count || current.texts.length !== part.index) {
      this.current = null
      return { kind: 'broken' }
    }
    current.texts.push(part.text)
    if (current.texts.length < current.count) return { kind: 'pending' }
    this.current = null
    return { kind: 'complete', text: current.texts.join('') }
  }

  /** Forgets a frame half received: its other parts went by a path that is gone. */
  reset(): void {
    this.current = null
  }
}
