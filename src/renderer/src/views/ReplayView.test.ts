import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Session } from '../../../shared/session'
import { problemText, seedProblems } from '../../../shared/sync/doc'
import { createRecorder } from '../session/recorder'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper | undefined
let router: Router
let session: Session
let starters: string[]

const find = (id: string): DOMWrapper<HTMLElement> => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}
const all = (id: string): DOMWrapper<HTMLElement>[] => wrapper?.findAll<HTMLElement>(tid(id)) ?? []
const code = (): string => (find('replay-code').element as HTMLTextAreaElement).value
const time = (): string => find('replay-time').text()
/** Text as it reads: HTML collapses runs of white space. */
const texts = (id: string): string[] => all(id).map((item) => item.text().replace(/\s+/g, ' '))
const selectedTab = (): string | undefined =>
  wrapper
    ?.findAll('[role="tab"]')
    .find((tab) => tab.attributes('aria-selected') === 'true')
    ?.attributes('data-testid')

async function open(query = ''): Promise<void> {
  ;({ wrapper, router } = await mountApp(host.api, `/sessions/${session.id}/replay${query}`))
  await eventually(() =>
    expect(
      ['replay-time', 'replay-empty', 'replay-not-found', 'replay-load-error'].some((id) => find(id).exists()),
    ).toBe(true),
  )
}

async function key(id: string, key: string, options: KeyboardEventInit = {}): Promise<void> {
  find(id).element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }))
  await eventually(() => undefined)
}

/**
 * A 40-second session recorded through the real recorder into the real host: typing in the first
 * problem, a note, a run, an idle stretch, a move to the second problem, a paste and the tab
 * hidden for 6 s.
 */
async function recordSession(): Promise<void> {
  let clock = Date.parse(session.startedAt ?? '')
  const start = clock
  const doc = new Y.Doc()
  const recorder = createRecorder({
    sessionId: session.id,
    doc,
    append: (batch) => host.api.recording.append(batch),
    now: () => clock,
    startedAt: () => start,
  })
  const at = async (ms: number, act: () => unknown): Promise<void> => {
    clock = start + ms
    await act()
    await recorder.flush()
  }
  await at(0, () => seedProblems(doc, starters))
  for (const [ms, chars] of [
    [1000, 'a'],
    [1500, 'b'],
    [2000, 'c'],
  ] as const) {
    await at(ms, () => problemText(doc, 0).insert(problemText(doc, 0).length, chars))
  }
  await at(2500, () => host.api.notes.add({ sessionId: session.id, text: 'Typed abc quickly', tMs: 2500, problem: 0 }))
  await at(3000, () =>
    host.api.runs.record({
      sessionId: session.id,
      problem: 0,
      side: 'candidate',
      kind: 'tests',
      language: 'python',
      code: problemText(doc, 0).toString(),
      stdout: '',
      stderr: '',
      status: 'error',
      durationMs: 40,
      testResults: null,
      tMs: 3000,
    }),
  )
  await at(20_000, () => problemText(doc, 0).insert(0, '# later\n'))
  await at(21_000, () => recorder.event('problem', 1, { from: 0, to: 1 }))
  await at(22_000, () => problemText(doc, 1).insert(0, 'xyz'))
  await at(23_000, () => {
    problemText(doc, 1).insert(3, '#'.repeat(150))
    recorder.event('paste', 1, { chars: 150 })
  })
  await at(24_000, () => recorder.event('focus-lost', 1))
  await at(30_000, () => recorder.event('focus-gained', 1))
  await at(40_000, () => recorder.event('status', null, { status: 'ended' }))
  await recorder.stop()
  doc.destroy()
}

beforeEach(async () => {
  host = startRealHost()
  const { items } = await host.api.problems.list({})
  const ids = ['Two Sum', 'Balanced Brackets'].map((title) => items.find((p) => p.title === title)?.id ?? 0)
  session = await host.api.sessions.create({
    candidateName: 'Ada Lovelace',
    language: 'python',
    problems: { mode: 'pick', ids },
  })
  starters = session.problems.map((p) => p.starterCode.python)
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  host.dispose()
})

async function startSession(): Promise<void> {
  session = await host.api.sessions.setStatus({ id: session.id, status: 'live' })
  await recordSession()
  session = await host.api.sessions.setStatus({ id: session.id, status: 'ended' })
}

describe('the replay view', () => {
  it('opens at the start with the recorded code, the markers, their legend and the runs and notes', async () => {
    await startSession()
    await open()
    expect(find('replay-heading').text()).toBe('Replay: Ada Lovelace')
    expect(time()).toBe('00:00 / 00:40')
    expect(code()).toBe(starters[0])
    expect(selectedTab()).toBe('replay-tab-0')
    expect(all('replay-marker-run')).toHaveLength(1)
    expect(all('replay-marker-note')).toHaveLength(1)
    expect(all('replay-marker-problem')).toHaveLength(1)
    expect(all('replay-marker-paste')).toHaveLength(1)
    expect(all('replay-marker-focus-lost')).toHaveLength(1)
    expect(find('replay-legend').text()).toBe(
      'Runs (1) Notes (1) Problem changes (1) Large pastes (1) Tab lost focus (1)',
    )
    expect(texts('replay-runs-item')).toEqual(['00:03 Candidate: tests, error 1. Two Sum'])
    expect(texts('replay-notes-item')).toEqual(['00:02 Typed abc quickly 1. Two Sum'])
    expect(find('replay-marker-focus-lost').attributes('title')).toBe('00:24 Tab lost focus for 0:06')
    expect(find('replay-marker-paste').attributes('title')).toBe('00:23 Pasted 150 characters')
  })

  it('opens at the moment in the link, and jumps to a run or a note when it is clicked', async () => {
    await startSession()
    await open('?t=1500')
    expect(time()).toBe('00:01 / 00:40')
    expect(code()).toBe(`${starters[0]}ab`)

    await find('replay-runs-item').trigger('click')
    expect(time()).toBe('00:03 / 00:40')
    expect(code()).toBe(`${starters[0]}abc`)
    expect(find('replay-runs-item').attributes('aria-current')).toBe('true')

    await all('replay-notes-item')[0]?.trigger('click')
    expect(time()).toBe('00:02 / 00:40')
    expect(find('replay-notes-item').attributes('aria-current')).toBe('true')
    expect(find('replay-runs-item').attributes('aria-current')).toBeUndefined()

    // Another view links to a moment while this one is open.
    await router.push(`/sessions/${session.id}/replay?t=22000`)
    await eventually(() => expect(time()).toBe('00:22 / 00:40'))
    expect(code()).toBe(`xyz${starters[1]}`)
  })

  it('follows the recorded problem, and lets the viewer look at another one', async () => {
    await startSession()
    await open()
    await key('replay-scrubber', 'End')
    expect(time()).toBe('00:40 / 00:40')
    expect(selectedTab()).toBe('replay-tab-1')
    expect(code()).toBe(`xyz${'#'.repeat(150)}${starters[1]}`)

    await find('replay-tab-0').trigger('click')
    expect(selectedTab()).toBe('replay-tab-0')
    expect(code()).toBe(`# later\n${starters[0]}abc`)

    // Back before the move to the second problem: the view follows the recording again.
    await key('replay-scrubber', 'PageDown')
    expect(time()).toBe('00:00 / 00:40')
    await find('replay-next-marker').trigger('click')
    await find('replay-next-marker').trigger('click')
    await find('replay-next-marker').trigger('click')
    expect(time()).toBe('00:21 / 00:40')
    expect(selectedTab()).toBe('replay-tab-1')
    expect(code()).toBe(starters[1])
    await find('replay-previous-marker').trigger('click')
    expect(time()).toBe('00:03 / 00:40')
    expect(selectedTab()).toBe('replay-tab-0')
  })

  it('moves the playhead from the keyboard', async () => {
    await startSession()
    await open()
    const slider = find('replay-scrubber')
    expect(slider.attributes()).toMatchObject({
      role: 'slider',
      'aria-valuemin': '0',
      'aria-valuemax': '40000',
      'aria-valuenow': '0',
      'aria-valuetext': '00:00 of 00:40',
    })
    await key('replay-scrubber', 'ArrowRight')
    expect(time()).toBe('00:05 / 00:40')
    await key('replay-scrubber', 'ArrowLeft', { shiftKey: true })
    expect(slider.attributes('aria-valuenow')).toBe('4000')
    await key('replay-scrubber', 'PageUp')
    expect(time()).toBe('00:40 / 00:40')
    await key('replay-scrubber', 'Home')
    expect(time()).toBe('00:00 / 00:40')
  })

  it('plays and pauses with Space, at the chosen speed, skipping idle gaps, to the end', async () => {
    await startSession()
    await open()
    expect(find('replay-speed-1').attributes('aria-pressed')).toBe('true')
    await find('replay-speed-32').trigger('click')
    expect(find('replay-speed-32').attributes('aria-pressed')).toBe('true')
    expect(find('replay-speed-1').attributes('aria-pressed')).toBe('false')
    expect((find('replay-skip-idle').element as HTMLInputElement).checked).toBe(true)
    expect(all('replay-gap')).toHaveLength(3)

    await key('replay-scrubber', ' ')
    expect(find('replay-play').attributes('aria-label')).toBe('Pause')
    await eventually(() => expect(time()).toBe('00:40 / 00:40'))
    expect(find('replay-play').attributes('aria-label')).toBe('Play')
    expect(code()).toBe(`xyz${'#'.repeat(150)}${starters[1]}`)

    // Playing from the end starts over; Space pauses it again.
    await find('replay-speed-1').trigger('click')
    await find('replay-skip-idle').setValue(false)
    expect(all('replay-gap')).toHaveLength(0)
    await find('replay-play').trigger('click')
    expect(find('replay-play').attributes('aria-label')).toBe('Pause')
    expect(Number(find('replay-scrubber').attributes('aria-valuenow'))).toBeLessThan(40_000)
    await key('replay-code', ' ')
    expect(find('replay-play').attributes('aria-label')).toBe('Play')
  })

  it('says so when nothing was recorded', async () => {
    await open()
    expect(find('replay-empty').text()).toContain('Nothing was recorded in this session')
    expect(find('replay-scrubber').exists()).toBe(false)
  })

  it('says so when the session does not exist', async () => {
    session = { ...session, id: 'no-such-session' }
    await open()
    expect(find('replay-not-found').text()).toContain('There is no session with id no-such-session.')
  })
})
