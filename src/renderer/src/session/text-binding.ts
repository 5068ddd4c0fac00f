import type * as Y from 'yjs'

/**
 * Turns `ytext` into `next` with one delete and one insert around the common prefix and suffix,
 * as a typed change would: a textarea reports only its new value, and replacing the whole text
 * would clobber the other side's concurrent edits.
 */
export function applyTextChange(ytext: Y.Text, next: string, origin: unknown = null): void {
  const current = ytext.toString()
  if (current === next) return
  let start = 0
  while (start < current.length && start < next.length && current[start] === next[start]) start++
  let currentEnd = current.length
  let nextEnd = next.length
  while (currentEnd > start && nextEnd > start && current[currentEnd - 1] === next[nextEnd - 1]) {
    currentEnd--
    nextEnd--
  }
  const apply = (): void => {
    if (currentEnd > start) ytext.delete(start, currentEnd - start)
    if (nextEnd > start) ytext.insert(start, next.slice(start, nextEnd))
  }
  if (ytext.doc) ytext.doc.transact(apply, origin)
  else apply()
}
