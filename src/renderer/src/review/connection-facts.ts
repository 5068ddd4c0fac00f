import { z } from 'zod'
import { eventJson, PasteDataSchema } from '../../../shared/replay/event-data'
import { GapDataSchema } from '../../../shared/replay/gap'
import type { Recording, StoredEvent } from '../../../shared/session'

/** How the open link carried the session: straight between the two machines, or via the server. */
export type LinkKind = 'direct' | 'relayed'

/** One moment of the connection's story, in session time. */
export type ConnectionMoment =
  | { tMs: number; kind: 'link'; link: LinkKind }
  | { tMs: number; kind: 'join'; name: string | null }
  | { tMs: number; kind: 'leave' }
  | { tMs: number; kind: 'reconnect' }
  | { tMs: number; kind: 'tab-hidden'; problem: number | null }
  | { tMs: number; kind: 'tab-shown'; problem: number | null }
  | { tMs: number; kind: 'paste'; problem: number | null; chars: number | null }
  /** The interviewer's app stopped mid-session at `tMs` and the session reopened at `untilMs`. */
  | { tMs: number; kind: 'host-restart'; untilMs: number }

export interface ConnectionFacts {
  /** The first time the link opened, then each time it switched between direct and relayed. */
  linkChanges: { tMs: number; link: LinkKind }[]
  reconnects: number
  joins: number
  leaves: number
  tabHidden: number
  /** Time the candidate's tab was hidden, counting only the spells that ended before the recording did. */
  tabHiddenMs: number
  pastes: number
  /** Times the interviewer's app stopped mid-session and opened it again (a crash, a kill). */
  hostRestarts: number
  /** Everything above, in time order. */
  moments: ConnectionMoment[]
}

// The JSON the live view stores with these events (see session/live-session.ts). Read leniently:
// a moment whose data is unreadable still counts, it just says less.
const ModeDataSchema = z.object({ mode: z.string() })
const JoinDataSchema = z.object({ name: z.string() })

function linkKindOf(event: StoredEvent): LinkKind | null {
  const mode = eventJson(event, ModeDataSchema)?.mode
  return mode === 'direct' || mode === 'relayed' ? mode : null
}

function momentOf(event: StoredEvent): ConnectionMoment | null {
  const { tMs, problem } = event
  switch (event.kind) {
    case 'mode': {
      const link = linkKindOf(event)
      return link === null ? null : { tMs, kind: 'link', link }
    }
    case 'join':
      return { tMs, kind: 'join', name: eventJson(event, JoinDataSchema)?.name ?? null }
    case 'leave':
      return { tMs, kind: 'leave' }
    case 'reconnect':
      return { tMs, kind: 'reconnect' }
    case 'focus-lost':
      return { tMs, kind: 'tab-hidden', problem }
    case 'focus-gained':
      return { tMs, kind: 'tab-shown', problem }
    case 'paste':
      return { tMs, kind: 'paste', problem, chars: eventJson(event, PasteDataSchema)?.chars ?? null }
    case 'gap': {
      const gap = eventJson(event, GapDataSchema)
      return { tMs: gap?.fromMs ?? tMs, kind: 'host-restart', untilMs: gap?.toMs ?? tMs }
    }
    default:
      return null
  }
}

/** What the recorded events say about the link and the candidate's page. */
export function connectionFactsOf(recording: Recording): ConnectionFacts {
  const moments: ConnectionMoment[] = []
  const linkChanges: ConnectionFacts['linkChanges'] = []
  const counts = { reconnect: 0, join: 0, leave: 0, 'tab-hidden': 0, paste: 0, 'host-restart': 0 }
  let tabHiddenMs = 0
  let hiddenSince: number | null = null

  for (const event of recording.events) {
    if (event.kind === 'yjs') continue
    const moment = momentOf(event)
    if (moment === null) continue
    if (moment.kind === 'link') {
      // Reopening over the same kind of link is a reconnect, not a switch.
      if (linkChanges.at(-1)?.link === moment.link) continue
      linkChanges.push({ tMs: moment.tMs, link: moment.link })
    } else if (moment.kind === 'tab-hidden') {
      hiddenSince ??= moment.tMs
      counts['tab-hidden']++
    } else if (moment.kind === 'tab-shown') {
      if (hiddenSince === null) continue
      tabHiddenMs += Math.max(0, moment.tMs - hiddenSince)
      hiddenSince = null
    } else {
      counts[moment.kind]++
    }
    moments.push(moment)
  }

  return {
    linkChanges,
    reconnects: counts.reconnect,
    joins: counts.join,
    leaves: counts.leave,
    tabHidden: counts['tab-hidden'],
    tabHiddenMs,
    pastes: counts.paste,
    hostRestarts: counts['host-restart'],
    // Stored order is recorded order; a stable sort keeps it for moments stamped alike.
    moments: moments.sort((a, b) => a.tMs - b.tMs),
  }
}
