import { elapsedText } from '../../../shared/timer'
import type { ConnectionFacts, ConnectionMoment, LinkKind } from './connection-facts'

export const LINK_LABELS: Readonly<Record<LinkKind, string>> = {
  direct: 'Direct (peer-to-peer)',
  relayed: 'Relayed through the server',
}

/** "Direct (peer-to-peer) throughout", "Direct (peer-to-peer) from 0:04, relayed from 12:30". */
export function linkSummary(changes: ConnectionFacts['linkChanges']): string {
  const [first, ...rest] = changes
  if (!first) return 'The candidate never connected'
  if (rest.length === 0) return `${LINK_LABELS[first.link]} throughout`
  return changes.map((c, i) => `${i === 0 ? LINK_LABELS[c.link] : c.link} from ${elapsedText(c.tMs)}`).join(', ')
}

/** "1 time", "3 times" */
export function timesText(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'time' : 'times'}`
}

/** "Joined 2 times, link dropped 1 time" */
export function joinsText({ joins, leaves }: Pick<ConnectionFacts, 'joins' | 'leaves'>): string {
  if (joins === 0 && leaves === 0) return 'The candidate never joined'
  const dropped = leaves === 0 ? 'link never dropped' : `link dropped ${timesText(leaves)}`
  return `Joined ${timesText(joins)}, ${dropped}`
}

/** "2 times, 1:05 in all": how often the candidate's tab was hidden, and for how long. */
export function tabHiddenText({ tabHidden, tabHiddenMs }: Pick<ConnectionFacts, 'tabHidden' | 'tabHiddenMs'>): string {
  if (tabHidden === 0) return 'Never'
  const times = timesText(tabHidden)
  return tabHiddenMs > 0 ? `${times}, ${elapsedText(tabHiddenMs)} in all` : times
}

/** "2. Two Sum", or a plain number when the title is not known. */
export function problemLabel(problem: number, titles: readonly string[]): string {
  const title = titles[problem]
  return title === undefined ? `Problem ${problem + 1}` : `${problem + 1}. ${title}`
}

/** One line of the connection timeline. */
export function momentText(moment: ConnectionMoment, titles: readonly string[]): string {
  const on = (problem: number | null): string => (problem === null ? '' : ` (on ${problemLabel(problem, titles)})`)
  switch (moment.kind) {
    case 'link':
      return `Link: ${LINK_LABELS[moment.link].toLowerCase()}`
    case 'join':
      return moment.name ? `${moment.name} joined` : 'The candidate joined'
    case 'leave':
      return 'The candidate’s link dropped'
    case 'reconnect':
      return 'The candidate reconnected'
    case 'tab-hidden':
      return `The candidate’s tab was hidden${on(moment.problem)}`
    case 'tab-shown':
      return `The candidate’s tab was back${on(moment.problem)}`
    case 'paste':
      return `${moment.chars === null ? 'A large paste' : `Pasted ${moment.chars.toLocaleString('en')} characters`}${on(moment.problem)}`
    case 'host-restart':
      return `The interviewer’s app stopped; nothing was recorded until ${elapsedText(moment.untilMs)}`
  }
}
