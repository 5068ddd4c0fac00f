import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CloseRoomResult } from '../../../shared/peer/close-room'
import type { Session, SessionConnection } from '../../../shared/session'
import { roomCloserKey } from '../session/room-closer'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router
let closedRooms: SessionConnection[]
let closeResult: CloseRoomResult

const find = (id: string): DOMWrapper<HTMLElement> => wrapper.find<HTMLElement>(tid(id))
const rows = (): DOMWrapper<HTMLElement>[] => wrapper.findAll<HTMLElement>(tid('session-row'))
const candidates = (): string[] => rows().map((r) => r.find('.candidate').text())
const rowOf = (name: string): DOMWrapper<HTMLElement> => {
  const row = rows().find((r) => r.find('.candidate').text() === name)
  if (!row) throw new Error(`no row for ${name}`)
  return row
}

async function create(candidateName: string): Promise<Session> {
  const session = await host.api.sessions.create({
    candidateName,
    language: 'python',
    problems: { mode: 'random', difficulty: 'junior', count: 1 },
  })
  // Creation times are milliseconds apart: keep the newest-first order certain.
  await new Promise((resolve) => setTimeout(resolve, 5))
  return session
}

async function open(): Promise<void> {
  // The real closer talks to a signaling server (close-room.test.ts); here the list's use of it is under test.
  const closeRoom = async (connection: SessionConnection): Promise<CloseRoomResult> => {
    closedRooms.push(connection)
    return closeResult
  }
  ;({ wrapper, router } = await mountApp(host.api, '/sessions', { [roomCloserKey]: closeRoom }))
  await eventually(() => expect(rows().length > 0 || find('sessions-empty').exists()).toBe(true))
}

beforeEach(() => {
  host = startRealHost()
  closedRooms = []
  closeResult = 'closed'
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
  vi.unstubAllGlobals()
})

describe('the sessions list', () => {
  it('says there are none yet and offers a new one', async () => {
    await open()
    expect(find('sessions-empty').text()).toContain('No sessions yet')
    await find('session-new').trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('session-new'))
  })

  it('puts live sessions first, then scheduled, then ended, newest first within each, with filters', async () => {
    const ended = await create('Ended Earlier')
    await host.api.sessions.setStatus({ id: ended.id, status: 'ended' })
    await create('Scheduled Older')
    const live = await create('Live Now')
    await host.api.sessions.setStatus({ id: live.id, status: 'live' })
    await create('Scheduled Newer')
    await open()

    expect(candidates()).toEqual(['Live Now', 'Scheduled Newer', 'Scheduled Older', 'Ended Earlier'])
    expect(rowOf('Live Now').find(tid('session-status')).text()).toBe('Live')
    expect(rowOf('Scheduled Newer').text()).toContain('Two Sum')
    expect(rowOf('Ended Earlier').find(tid('session-evaluation-state')).text()).toBe('Not evaluated')
    expect(find('sessions-filter-all').text()).toBe('All 4')
    expect(find('sessions-filter-created').text()).toBe('Scheduled 2')

    await find('sessions-filter-created').trigger('click')
    expect(candidates()).toEqual(['Scheduled Newer', 'Scheduled Older'])
    expect(find('sessions-filter-created').attributes('aria-pressed')).toBe('true')
    await find('sessions-filter-ended').trigger('click')
    expect(candidates()).toEqual(['Ended Earlier'])
    await find('sessions-filter-live').trigger('click')
    expect(candidates()).toEqual(['Live Now'])

    // Actions follow the status: open everywhere; copy and end until it ends; then evaluate.
    const liveRow = rowOf('Live Now')
    expect(liveRow.find(tid('session-open')).exists()).toBe(true)
    expect(liveRow.find(tid('session-row-copy')).exists()).toBe(true)
    expect(liveRow.find(tid('session-row-evaluate')).exists()).toBe(false)
    await host.api.sessions.setStatus({ id: live.id, status: 'ended' })
    await eventually(() => expect(find('sessions-filter-empty').text()).toBe('No session is live right now.'))
  })

  it('copies a session’s link, and offers it by hand when the clipboard refuses', async () => {
    const session = await create('Ada Lovelace')
    const writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    await open()

    await rowOf('Ada Lovelace').find(tid('session-row-copy')).trigger('click')
    await eventually(() => expect(rowOf('Ada Lovelace').find(tid('session-row-copy')).text()).toBe('Copied'))
    const link = `http://127.0.0.1:8787/s/${session.roomId}#${session.secret}`
    expect(writeText).toHaveBeenCalledWith(link)

    writeText.mockRejectedValueOnce(new DOMException('Write permission denied.', 'NotAllowedError'))
    await rowOf('Ada Lovelace').find(tid('session-row-copy')).trigger('click')
    await eventually(() => expect(find('sessions-link-fallback').exists()).toBe(true))
    expect((find('sessions-link-fallback-input').element as HTMLInputElement).value).toBe(link)
  })

  it('says why a link cannot be copied when the signaling server is not running', async () => {
    host.dispose()
    host = startRealHost({ signaling: null })
    await create('Ada Lovelace')
    await open()
    await rowOf('Ada Lovelace').find(tid('session-row-copy')).trigger('click')
    await eventually(() => expect(find('sessions-action-error').exists()).toBe(true))
    expect(find('sessions-action-error').text()).toMatch(/^Could not get the link: The signaling server is not running/)
  })

  it('ends a session only after confirming, then offers its evaluation', async () => {
    const session = await create('Ada Lovelace')
    await open()

    await rowOf('Ada Lovelace').find(tid('session-row-end')).trigger('click')
    expect(find('confirm-dialog').text()).toContain('End the session with Ada Lovelace?')
    await find('confirm-no').trigger('click')
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('created')
    expect(closedRooms).toEqual([])

    await rowOf('Ada Lovelace').find(tid('session-row-end')).trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(rowOf('Ada Lovelace').find(tid('session-status')).text()).toBe('Ended'))
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('ended')
    expect(rowOf('Ada Lovelace').find(tid('session-row-end')).exists()).toBe(false)
    // The room closes too, so a candidate still on the page is sent to the thank-you page.
    expect(closedRooms.map((c) => c.roomId)).toEqual([session.roomId])
    expect(closedRooms[0]?.hostToken).toMatch(/./)
    expect(find('sessions-action-error').exists()).toBe(false)

    const evaluate = rowOf('Ada Lovelace').find(tid('session-row-evaluate'))
    expect(evaluate.text()).toBe('Evaluate')
    await evaluate.trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('session-evaluate'))
    expect(router.currentRoute.value.params.id).toBe(session.id)
  })

  it('offers the review of ended sessions only', async () => {
    const ended = await create('Ended Person')
    await host.api.sessions.setStatus({ id: ended.id, status: 'ended' })
    await create('Scheduled Person')
    await open()

    expect(rowOf('Scheduled Person').find(tid('session-row-review')).exists()).toBe(false)
    const review = rowOf('Ended Person').find(tid('session-row-review'))
    expect(review.text()).toBe('Review')
    await review.trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('session-review'))
    expect(router.currentRoute.value.params.id).toBe(ended.id)
  })

  it('says so when the candidate’s page could not be told', async () => {
    closeResult = 'unreachable'
    const session = await create('Ada Lovelace')
    await open()
    await rowOf('Ada Lovelace').find(tid('session-row-end')).trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('sessions-action-error').exists()).toBe(true))
    expect(find('sessions-action-error').text()).toBe(
      'Ended, but the signaling server did not answer, so Ada Lovelace’s page was not told the interview is over.',
    )
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('ended')
  })

  it('ends a session with no signaling server running, with no room to close', async () => {
    host.dispose()
    host = startRealHost({ signaling: null })
    const session = await create('Ada Lovelace')
    await open()
    await rowOf('Ada Lovelace').find(tid('session-row-end')).trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(rowOf('Ada Lovelace').find(tid('session-status')).text()).toBe('Ended'))
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('ended')
    expect(closedRooms).toEqual([])
  })

  it('shows how far each ended session’s evaluation is', async () => {
    const drafted = await create('Draft Person')
    const done = await create('Done Person')
    for (const s of [drafted, done]) await host.api.sessions.setStatus({ id: s.id, status: 'ended' })
    await host.api.evaluations.get({ sessionId: drafted.id })
    const evaluation = await host.api.evaluations.get({ sessionId: done.id })
    await host.api.evaluations.complete({
      sessionId: done.id,
      problems: evaluation.problems.map(() => ({ stars: 4, comment: '' })),
      criteria: evaluation.criteria.map(({ label }) => ({ label, score: 3 })),
      recommendation: 'yes',
      summary: '',
    })
    await open()

    expect(rowOf('Draft Person').find(tid('session-evaluation-state')).text()).toBe('Evaluation in progress')
    expect(rowOf('Draft Person').find(tid('session-row-evaluate')).text()).toBe('Continue evaluation')
    expect(rowOf('Done Person').find(tid('session-evaluation-state')).text()).toBe('Evaluated')
    expect(rowOf('Done Person').find(tid('session-row-evaluate')).text()).toBe('View evaluation')
  })
})
