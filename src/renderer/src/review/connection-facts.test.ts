import { describe, expect, it } from 'vitest'
import type { Recording, StoredEvent } from '../../../shared/session'
import { connectionFactsOf } from './connection-facts'
import { joinsText, linkSummary, momentText, tabHiddenText } from './labels'

let nextId = 1
const event = (
  tMs: number,
  kind: StoredEvent['kind'],
  data: unknown = '',
  problem: number | null = null,
): StoredEvent => ({
  id: nextId++,
  tMs,
  kind,
  problem,
  data: typeof data === 'string' ? data : JSON.stringify(data),
})
const recordingOf = (...events: StoredEvent[]): Recording => ({ events, snapshots: [] })

describe('connection facts from the recorded events', () => {
  it('tells the link’s kind and its switches, reconnects, joins, leaves, hidden tabs and pastes', () => {
    const facts = connectionFactsOf(
      recordingOf(
        event(0, 'mode', { mode: 'connecting' }),
        event(1_000, 'mode', { mode: 'direct' }),
        event(1_200, 'join', { name: 'Ada' }),
        event(1_300, 'yjs', 'AAA='),
        event(5_000, 'focus-lost', '', 0),
        event(8_000, 'focus-gained', '', 0),
        event(9_000, 'paste', { chars: 150 }, 0),
        event(20_000, 'mode', { mode: 'reconnecting' }),
        event(20_000, 'leave', { mode: 'reconnecting' }),
        event(25_000, 'mode', { mode: 'direct' }),
        event(25_000, 'reconnect', { mode: 'direct' }),
        event(40_000, 'mode', { mode: 'closed' }),
        event(40_000, 'leave', { mode: 'closed' }),
        event(45_000, 'mode', { mode: 'relayed' }),
        event(45_000, 'reconnect', { mode: 'relayed' }),
        event(50_000, 'focus-lost', '', 1),
        event(51_000, 'focus-lost', '', 1),
        event(53_500, 'focus-gained', '', 1),
        event(60_000, 'focus-lost', '', 1),
      ),
    )

    // A reconnect over a direct link again is no switch; the relayed one is.
    expect(facts.linkChanges).toEqual([
      { tMs: 1_000, link: 'direct' },
      { tMs: 45_000, link: 'relayed' },
    ])
    expect(linkSummary(facts.linkChanges)).toBe('Direct (peer-to-peer) from 0:01, relayed from 0:45')
    expect(facts).toMatchObject({ reconnects: 2, joins: 1, leaves: 2, tabHidden: 4, pastes: 1 })
    // 3 s, then 3.5 s from the first of two losses in a row; the last spell never ended.
    expect(facts.tabHiddenMs).toBe(6_500)
    expect(tabHiddenText(facts)).toBe('4 times, 0:06 in all')
    expect(joinsText(facts)).toBe('Joined 1 time, link dropped 2 times')
    expect(facts.moments.map((m) => m.kind)).toEqual([
      'link',
      'join',
      'tab-hidden',
      'tab-shown',
      'paste',
      'leave',
      'reconnect',
      'leave',
      'link',
      'reconnect',
      'tab-hidden',
      'tab-hidden',
      'tab-shown',
      'tab-hidden',
    ])
    const titles = ['Two Sum', 'Balanced Brackets']
    expect(facts.moments.map((m) => momentText(m, titles)).slice(0, 5)).toEqual([
      'Link: direct (peer-to-peer)',
      'Ada joined',
      'The candidate’s tab was hidden (on 1. Two Sum)',
      'The candidate’s tab was back (on 1. Two Sum)',
      'Pasted 150 characters (on 1. Two Sum)',
    ])
  })

  it('says the candidate never connected when no link opened', () => {
    const facts = connectionFactsOf(
      recordingOf(event(0, 'mode', { mode: 'connecting' }), event(9, 'status', { status: 'ended' })),
    )
    expect(facts.linkChanges).toEqual([])
    expect(linkSummary(facts.linkChanges)).toBe('The candidate never connected')
    expect(facts).toMatchObject({
      reconnects: 0,
      joins: 0,
      leaves: 0,
      tabHidden: 0,
      pastes: 0,
      hostRestarts: 0,
      moments: [],
    })
    expect(tabHiddenText(facts)).toBe('Never')
    expect(joinsText(facts)).toBe('The candidate never joined')
  })

  it('counts the times the interviewer’s app stopped mid-session, each where its recording stopped', () => {
    const facts = connectionFactsOf(
      recordingOf(
        event(1_000, 'mode', { mode: 'direct' }),
        event(4_000, 'yjs', 'AAA='),
        event(65_000, 'gap', { fromMs: 4_000, toMs: 65_000, reason: 'host-restart' }),
        event(66_000, 'mode', { mode: 'direct' }),
        event(66_000, 'reconnect', { mode: 'direct' }),
        event(90_000, 'gap', 'not json'),
      ),
    )
    expect(facts.hostRestarts).toBe(2)
    expect(facts.moments).toEqual([
      { tMs: 1_000, kind: 'link', link: 'direct' },
      { tMs: 4_000, kind: 'host-restart', untilMs: 65_000 },
      { tMs: 66_000, kind: 'reconnect' },
      { tMs: 90_000, kind: 'host-restart', untilMs: 90_000 },
    ])
    expect(facts.moments.map((m) => momentText(m, []))[1]).toBe(
      'The interviewer’s app stopped; nothing was recorded until 1:05',
    )
  })

  it('keeps a moment whose data is unreadable, saying less about it', () => {
    const facts = connectionFactsOf(
      recordingOf(event(10, 'join', 'not json'), event(20, 'paste', { chars: -1 }, 0), event(30, 'mode', '{"mode":7}')),
    )
    expect(facts.moments).toEqual([
      { tMs: 10, kind: 'join', name: null },
      { tMs: 20, kind: 'paste', problem: 0, chars: null },
    ])
    expect(facts.moments.map((m) => momentText(m, []))).toEqual([
      'The candidate joined',
      'A large paste (on Problem 1)',
    ])
  })
})
