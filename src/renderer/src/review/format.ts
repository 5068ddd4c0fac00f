import type { Session } from '../../../shared/session'
import { durationText } from '../../../shared/timer'
import { formatDateTime } from '../session/labels'

const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

/** When the interview took place: its start, or when it was created if it never started. */
export function sessionDateText(session: Pick<Session, 'createdAt' | 'startedAt'>): string {
  return formatDateTime(session.startedAt ?? session.createdAt)
}

/** "42 minutes (10:02 AM → 10:44 AM)"; the dates too when it ran past midnight. */
export function sessionDurationText(session: Pick<Session, 'status' | 'startedAt' | 'endedAt'>): string {
  const { startedAt, endedAt } = session
  if (startedAt === null) return session.status === 'ended' ? 'Ended before it started' : 'Not started yet'
  const start = new Date(startedAt)
  if (endedAt === null) return `Started ${timeOfDay.format(start)}, still running`
  const end = new Date(endedAt)
  const sameDay = start.toDateString() === end.toDateString()
  const span = sameDay
    ? `${timeOfDay.format(start)} → ${timeOfDay.format(end)}`
    : `${formatDateTime(startedAt)} → ${formatDateTime(endedAt)}`
  return `${durationText(end.getTime() - start.getTime())} (${span})`
}
