import { RUN_STATUS_LABELS, formatChars } from '../../../browser/run-ui/format'
import type { MarkerKind, ReplayMarker } from '../../../shared/replay/markers'
import { elapsedText } from '../../../shared/timer'
import { RUN_KIND_LABELS, RUN_SIDE_LABELS } from '../exec/labels'

/** The legend's names for each kind of marker. */
export const MARKER_KIND_LABELS: Readonly<Record<MarkerKind, string>> = {
  run: 'Runs',
  note: 'Notes',
  problem: 'Problem changes',
  paste: 'Large pastes',
  'focus-lost': 'Tab lost focus',
  gap: 'Not recorded',
}

/** Each kind's colour, on the scrubber and in its legend: theme colours, and a purple both themes read. */
export const MARKER_COLORS: Readonly<Record<MarkerKind, string>> = {
  run: 'var(--accent)',
  note: 'var(--warning)',
  problem: 'var(--success)',
  paste: 'var(--danger)',
  'focus-lost': '#8b5cf6',
  gap: 'var(--text-muted)',
}

/** A moment of the session as "mm:ss"; minutes go past 59 rather than adding hours. */
export function replayClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

/** "2. Two Sum", or "Problem 3" when the session has no such problem. */
export function problemName(problem: number, titles: readonly string[]): string {
  const title = titles[problem]
  return title === undefined ? `Problem ${problem + 1}` : `${problem + 1}. ${title}`
}

/** What a marker says: on the scrubber's tooltip and in the lists. */
export function markerText(marker: ReplayMarker, titles: readonly string[]): string {
  switch (marker.kind) {
    case 'run': {
      const who = marker.side === 'candidate' ? 'Candidate' : RUN_SIDE_LABELS[marker.side]
      return `${who}: ${RUN_KIND_LABELS[marker.runKind].toLowerCase()}, ${RUN_STATUS_LABELS[marker.status].toLowerCase()}`
    }
    case 'note':
      return marker.text
    case 'problem':
      return `Moved to ${problemName(marker.to, titles)}`
    case 'paste':
      return marker.chars === null ? 'Large paste' : `Pasted ${formatChars(marker.chars)}`
    case 'focus-lost':
      return marker.awayMs === null ? 'Tab lost focus' : `Tab lost focus for ${elapsedText(marker.awayMs)}`
    case 'gap':
      return `Not recorded for ${elapsedText(marker.untilMs - marker.tMs)}: the interviewer’s app stopped`
  }
}
