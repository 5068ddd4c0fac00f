import type { OutputChunk } from '../../shared/exec/run'
import { OutputLog, type OutputView } from './output-log'

/**
 * Follows output that grows as a list of chunks (a new array each time, the last chunk growing
 * or new ones added, as a streamed run's output does) into a console view, reading only what is
 * new. A list that changed otherwise is read again from the start.
 */
export class ChunkFollower {
  private log = new OutputLog()
  private seen: OutputChunk[] = []
  private lastLength = 0

  update(chunks: readonly OutputChunk[]): OutputView {
    if (!this.extends(chunks)) {
      this.log = new OutputLog()
      this.seen = []
      this.lastLength = 0
    }
    const from = Math.max(0, this.seen.length - 1)
    for (let i = from; i < chunks.length; i++) {
      const chunk = chunks[i]
      if (!chunk) continue
      const start = i === this.seen.length - 1 ? this.lastLength : 0
      if (chunk.text.length > start) this.log.append({ stream: chunk.stream, text: chunk.text.slice(start) })
    }
    this.seen = [...chunks]
    this.lastLength = chunks.at(-1)?.text.length ?? 0
    return this.log.view()
  }

  /** Whether `chunks` is what was seen, with the last chunk perhaps longer and more after it. */
  private extends(chunks: readonly OutputChunk[]): boolean {
    if (chunks.length < this.seen.length) return false
    for (let i = 0; i < this.seen.length - 1; i++) if (chunks[i] !== this.seen[i]) return false
    const last = this.seen.at(-1)
    const now = chunks[this.seen.length - 1]
    if (!last || !now) return true
    // A cheap look at the start only: output that grows keeps it, and comparing a megabyte per update would not be cheap.
    const head = Math.min(this.lastLength, 64)
    return (
      now.stream === last.stream &&
      now.text.length >= this.lastLength &&
      now.text.slice(0, head) === last.text.slice(0, head)
    )
  }
}
