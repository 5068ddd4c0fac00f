import { HARNESS_MARKER } from './harness'

/**
 * Keeps the test harness's report line out of the output the user sees while a test run streams.
 * The harness prints the report last, so a marker line is held back until the run ends or more
 * output follows it (then it was the user's own print and is let through, in order).
 */
export class ReportLineFilter {
  /** Text that starts with the marker and has not reached its newline yet. */
  private open: string[] | null = null
  /** A finished marker line that nothing has followed so far. */
  private candidate: string | null = null
  /** The end of the last push, when it could be the start of a marker. */
  private tail = ''

  /** Returns what may be shown now. */
  push(text: string): string {
    let input = this.tail + text
    this.tail = ''
    let shown = ''
    while (input !== '') {
      if (this.open) {
        const newline = input.indexOf('\n')
        if (newline === -1) {
          this.open.push(input)
          return shown
        }
        this.open.push(input.slice(0, newline + 1))
        this.candidate = this.open.join('')
        this.open = null
        input = input.slice(newline + 1)
        continue
      }
      if (this.candidate !== null) {
        shown += this.candidate
        this.candidate = null
      }
      const marker = input.indexOf(HARNESS_MARKER)
      if (marker === -1) {
        const keep = partialMarkerLength(input)
        this.tail = input.slice(input.length - keep)
        return shown + input.slice(0, input.length - keep)
      }
      shown += input.slice(0, marker)
      this.open = []
      input = input.slice(marker)
    }
    return shown
  }

  /** At the end of the run: the last marker line (the report, if any) and text still held back. */
  finish(): { report: string | null; rest: string } {
    const report = this.open ? this.open.join('') : this.candidate
    const rest = this.tail
    this.open = null
    this.candidate = null
    this.tail = ''
    return { report, rest }
  }
}

/** How many characters at the end of `text` could begin the marker. */
function partialMarkerLength(text: string): number {
  for (let length = Math.min(HARNESS_MARKER.length - 1, text.length); length > 0; length--) {
    if (HARNESS_MARKER.startsWith(text.slice(text.length - length))) return length
  }
  return 0
}
