import type { OutputChunk, OutputStream } from '../../shared/exec/run'

/** Output is kept in blocks of at most this many characters, so a new write re-renders only the last one. */
export const BLOCK_CHARS = 8192
/** The console shows at most about this much of the end of the output; a browser lays out less that way. */
export const DISPLAY_LIMIT_CHARS = 200_000
/** …and at most this many blocks, for output that switches streams at every write. */
export const DISPLAY_LIMIT_BLOCKS = 2000

export interface OutputBlock {
  readonly id: number
  readonly stream: OutputStream
  readonly text: string
  /** The first block of a stretch of one stream: where a screen reader is told which stream it is. */
  readonly opens: boolean
}

/** What a console shows: the last blocks, and how many characters before them it leaves out. */
export interface OutputView {
  readonly blocks: readonly OutputBlock[]
  readonly hiddenChars: number
}

export const EMPTY_OUTPUT: OutputView = { blocks: [], hiddenChars: 0 }

/**
 * A run's output: every chunk in order, in fixed-size blocks rather than one entry per write (a
 * print loop makes hundreds of thousands of writes). Clearing hides what is there from the
 * console but keeps it for the run's record.
 */
export class OutputLog {
  private readonly blocks: OutputBlock[] = []
  private nextId = 0
  /** Index of the first block the console shows, after a clear. */
  private shownFrom = 0
  private sealed = false
  private totalChars = 0
  /** Characters before `shownFrom`. */
  private clearedChars = 0

  append({ stream, text }: OutputChunk): void {
    this.totalChars += text.length
    let rest = text
    while (rest.length > 0) {
      const last = this.blocks.at(-1)
      const fits = last && !this.sealed && last.stream === stream ? head(rest, BLOCK_CHARS - last.text.length) : ''
      if (last && fits) {
        this.blocks[this.blocks.length - 1] = { ...last, text: last.text + fits }
        rest = rest.slice(fits.length)
      } else {
        const piece = head(rest, BLOCK_CHARS)
        const opens = this.sealed || last?.stream !== stream
        this.blocks.push({ id: this.nextId++, stream, text: piece, opens })
        this.sealed = false
        rest = rest.slice(piece.length)
      }
    }
  }

  /** Hides everything so far from the console; the next write starts a fresh block. */
  clearDisplay(): void {
    this.shownFrom = this.blocks.length
    this.clearedChars = this.totalChars
    this.sealed = true
  }

  /** The end of the shown output, at most about `limit` characters, in whole blocks. */
  view(limit = DISPLAY_LIMIT_CHARS, maxBlocks = DISPLAY_LIMIT_BLOCKS): OutputView {
    let start = this.blocks.length
    let shown = 0
    while (start > this.shownFrom && this.blocks.length - start < maxBlocks) {
      const block = this.blocks[start - 1]
      if (!block || (shown > 0 && shown + block.text.length > limit)) break
      shown += block.text.length
      start--
    }
    return { blocks: this.blocks.slice(start), hiddenChars: this.totalChars - this.clearedChars - shown }
  }

  /** All of the output, cleared or not, with neighbouring writes to the same stream joined. */
  chunks(): OutputChunk[] {
    return joinChunks(this.blocks)
  }
}

/** The first `length` characters, one fewer rather than half of a surrogate pair (an emoji split across blocks). */
function head(text: string, length: number): string {
  if (length >= text.length) return text
  if (length <= 0) return ''
  const code = text.charCodeAt(length - 1)
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, length - 1) : text.slice(0, length)
}

/** Joins neighbouring chunks of the same stream: what a run's record keeps. */
export function joinChunks(chunks: Iterable<OutputChunk>): OutputChunk[] {
  const joined: OutputChunk[] = []
  for (const { stream, text } of chunks) {
    const last = joined.at(-1)
    if (last && last.stream === stream) last.text += text
    else if (text.length > 0) joined.push({ stream, text })
  }
  return joined
}

/** A log holding `chunks`: for output that arrives as a list (a run the other side reported). */
export function logOf(chunks: Iterable<OutputChunk>): OutputLog {
  const log = new OutputLog()
  for (const chunk of chunks) log.append(chunk)
  return log
}
