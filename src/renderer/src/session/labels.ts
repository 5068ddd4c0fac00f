import type { SessionStatus } from '../../../shared/session'
import type { LinkMode } from './link-types'

export const STATUS_LABELS: Record<SessionStatus, string> = { created: 'Not started', live: 'Live', ended: 'Ended' }

export const MODE_LABELS: Record<LinkMode, string> = {
  waiting: 'Waiting for the candidate',
  connecting: 'Connecting…',
  direct: 'Direct (peer-to-peer)',
  relayed: 'Relayed through the server',
  reconnecting: 'Reconnecting…',
  closed: 'Closed',
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso))
}
