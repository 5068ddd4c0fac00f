import { SIGNALING_ERROR_MESSAGES } from '../../../src/shared/signaling/protocol'

/** Every way the page can end up with nothing to join; the code goes in `data-code`. */
export type EndCode =
  | 'incomplete-link'
  | 'room-not-found'
  | 'bad-key'
  | 'expired'
  | 'room-full'
  | 'ended'
  | 'replaced'
  | 'unsupported'
  | 'closed'

export interface EndPage {
  title: string
  message: string
}

export const END_PAGES: Readonly<Record<EndCode, EndPage>> = {
  'incomplete-link': {
    title: 'This link is incomplete',
    message: 'This link is incomplete — ask your interviewer for the full link.',
  },
  'room-not-found': { title: 'Interview not found', message: SIGNALING_ERROR_MESSAGES['room-not-found'] },
  'bad-key': { title: 'This link does not match', message: SIGNALING_ERROR_MESSAGES['bad-key'] },
  expired: { title: 'This link has expired', message: SIGNALING_ERROR_MESSAGES.expired },
  'room-full': { title: 'The server is busy', message: SIGNALING_ERROR_MESSAGES['room-full'] },
  ended: { title: 'Thank you!', message: 'The interview has ended. You can close this tab.' },
  replaced: {
    title: 'Open somewhere else',
    message: 'This interview is open in another tab or device. Continue there, or reload this page to move it here.',
  },
  unsupported: {
    title: 'This browser cannot connect',
    message:
      'The secure connection to your interviewer could not start in this browser. Open the link in a current ' +
      'Chrome, Edge, Firefox or Safari; if it still fails, ask your interviewer for an https:// link.',
  },
  closed: {
    title: 'Disconnected',
    message: 'The connection to your interviewer was closed. Reload the page to try again.',
  },
}

/** The closing reasons a link reports that have a page of their own. */
const LINK_REASONS: ReadonlySet<string> = new Set<EndCode>([
  'room-not-found',
  'bad-key',
  'expired',
  'room-full',
  'ended',
  'replaced',
])

const isLinkReason = (reason: string | undefined): reason is EndCode => reason !== undefined && LINK_REASONS.has(reason)

/** The end page for a link's closing reason; reasons the page does not know get the generic one. */
export function endCodeOf(reason: string | undefined): EndCode {
  return isLinkReason(reason) ? reason : 'closed'
}
