import { candidateOf } from './report-format'
import type { ReportData } from './report-data'

export type ReportFormat = 'md' | 'html' | 'pdf'

/** "Zoë O'Brien" → "zoe-o-brien": safe in a file name on every system. */
function slugOf(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'candidate'
  )
}

/** The session's day in the report's time zone, as YYYY-MM-DD. */
function dayOf(iso: string, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  )
}

/** `duet-report-<candidate>-<date>.<ext>` */
export function reportFileName(data: ReportData, format: ReportFormat): string {
  const day = dayOf(data.session.startedAt ?? data.session.createdAt, data.timeZone)
  return `duet-report-${slugOf(candidateOf(data))}-${day}.${format}`
}
