import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionState } from '../../src/shared/peer/frames'
import { problemText } from '../../src/shared/sync/doc'
import { INFO, MemoryStorage, ROOM_ID, startPage, type Harness } from './test-support'

const MIN = 60_000
/** The candidate's machine is an hour behind the interviewer's. */
const HOST_AHEAD_MS = 60 * MIN

let pages: Harness[] = []
afterEach(async () => {
  for (const page of pages) await page.dispose()
  pages = []
  vi.unstubAllGlobals()
})

/** The page's clock, moved by hand; the host's runs an hour ahead of it. */
const clock = { local: 1_700_000_000_000 }
const hostNow = (): number => clock.local + HOST_AHEAD_MS

async function joined(storage = new MemoryStorage()): Promise<Harness> {
  const page = await startPage({ storage, now: () => clock.local, hostClock: hostNow })
  pages.push(page)
  await page.mode('direct')
  await page.hostSends({ type: 'session.info', info: INFO })
  if (page.byTestId('cand-join').exists()) {
    await page.byTestId('cand-name').setValue('Sam Lee')
    await page.byTestId('cand-join-button').trigger('submit')
    await page.settle()
  }
  return page
}

const stateFrame = (state: Partial<SessionState> = {}): { type: 'session.state'; state: SessionState } => ({
  type: 'session.state',
  state: { status: 'live', currentProblem: 0, startedAt: hostNow(), timeLimitMs: null, ...state },
})

/** The countdown re-reads the clock a few times a second. */
async function until(page: Harness, assertion: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await page.settle()
    assertion()
  })
}

const clockText = (page: Harness): string => page.byTestId('cand-timer-clock').text()
const notice = (page: Harness): string => page.byTestId('cand-timer-notice').text()

describe('the countdown', () => {
  it('runs on the host’s clock, estimated from the ping round trip', async () => {
    const page = await joined()
    expect(page.pings.length).toBeGreaterThan(0)
    expect(page.session.state.clockOffsetMs).toBe(HOST_AHEAD_MS)
    expect(page.session.hostNow()).toBe(hostNow())
    // Went live five minutes ago on the host's clock, with 45 minutes.
    await page.hostSends(stateFrame({ startedAt: hostNow() - 5 * MIN, timeLimitMs: 45 * MIN }))
    expect(clockText(page)).toBe('40:00')
    expect(page.byTestId('cand-timer').attributes('data-level')).toBe('running')
    expect(page.byTestId('cand-timer-clock').attributes('role')).toBe('timer')

    clock.local += 61_000
    await until(page, () => expect(clockText(page)).toBe('38:59'))
  })

  it('shows no countdown without a time limit', async () => {
    const page = await joined()
    await page.hostSends(stateFrame())
    expect(page.byTestId('cand-timer').exists()).toBe(false)
  })

  it('shows the same time after a reload: it counts from the host’s start, never from the page’s', async () => {
    const storage = new MemoryStorage()
    const state = stateFrame({ startedAt: hostNow() - 5 * MIN, timeLimitMs: 45 * MIN })
    const first = await joined(storage)
    await first.hostSends(state)
    expect(clockText(first)).toBe('40:00')
    await first.dispose()
    pages = []

    clock.local += 2 * MIN
    const again = await joined(storage)
    expect(again.byTestId('cand-session').exists()).toBe(true)
    await again.hostSends(state)
    expect(clockText(again)).toBe('38:00')
  })

  it('warns at ten and two minutes in a polite live region, and at zero keeps the code to work on', async () => {
    const page = await joined()
    await page.hostSends(stateFrame({ timeLimitMs: 10 * MIN + 30_000 }))
    const region = page.byTestId('cand-timer-notice')
    expect(region.attributes('role')).toBe('status')
    expect(region.text()).toBe('')

    clock.local += 31_000
    await until(page, () => expect(notice(page)).toBe('Less than 10 minutes left'))
    expect(page.byTestId('cand-timer').attributes('data-level')).toBe('first-warning')

    clock.local += 8 * MIN
    await until(page, () => expect(notice(page)).toBe('Less than 2 minutes left'))
    expect(page.byTestId('cand-timer').attributes('data-level')).toBe('final-warning')
    expect(page.byTestId('cand-time-up').exists()).toBe(false)

    problemText(page.session.doc, 0).insert(0, '# my idea\n')
    clock.local += 2 * MIN
    await until(page, () => expect(notice(page)).toBe('Time is up'))
    expect(clockText(page)).toBe('0:00')
    expect(page.byTestId('cand-time-up').text()).toContain('Your code is kept')
    expect(page.byTestId('cand-editor').exists()).toBe(true)
    expect(page.byTestId('cand-run').attributes('disabled')).toBeUndefined()
    expect(problemText(page.session.doc, 0).toString()).toBe(`# my idea\n${INFO.problems[0]?.starterCode}`)
  })

  it('says when the interviewer adds time, and the time-up notice goes', async () => {
    const page = await joined()
    const startedAt = hostNow() - 31 * MIN
    await page.hostSends(stateFrame({ startedAt, timeLimitMs: 30 * MIN }))
    expect(page.byTestId('cand-time-up').exists()).toBe(true)
    // +5 minutes counted from now, as the host's extendTime does.
    await page.hostSends(stateFrame({ startedAt, timeLimitMs: 36 * MIN }))
    await until(page, () => expect(notice(page)).toBe('Time extended: 5 minutes left'))
    expect(clockText(page)).toBe('5:00')
    expect(page.byTestId('cand-time-up').exists()).toBe(false)
  })
})

describe('the thank-you page', () => {
  let startedAt = 0

  async function interview(): Promise<Harness> {
    const page = await joined()
    startedAt = hostNow()
    await page.hostSends(stateFrame({ startedAt, timeLimitMs: 45 * MIN }))
    problemText(page.session.doc, 0).insert(problemText(page.session.doc, 0).length, '    return [0, 1]\n')
    await page.byTestId('cand-run').trigger('click')
    page.runners.get('python').finish()
    await page.settle()
    return page
  }

  it('thanks the candidate by name with the time, the problems and the runs, and their last code', async () => {
    const page = await interview()
    await page.hostSends(stateFrame({ currentProblem: 1, startedAt, timeLimitMs: 45 * MIN }))
    await page.byTestId('cand-run').trigger('click')
    page.runners.get('python').finish()
    clock.local += 42 * MIN
    await page.hostSends(stateFrame({ status: 'ended', currentProblem: 1, startedAt, timeLimitMs: 45 * MIN }))

    expect(page.byTestId('cand-thanks-title').text()).toBe('Thank you, Sam Lee!')
    expect(page.byTestId('cand-thanks-duration').text()).toBe('42 minutes')
    expect(page.byTestId('cand-thanks-problems').text()).toBe('2 of 2')
    expect(page.byTestId('cand-thanks-runs').text()).toBe('2 runs')
    const problems = page.wrapper.findAll('[data-testid="cand-thanks-problem"]')
    expect(problems.map((p) => p.find('h2').text())).toEqual(['1. Two sum', '2. LRU cache'])
    expect(problems.map((p) => p.find('[data-testid="cand-thanks-code"]').text())).toEqual([
      `${INFO.problems[0]?.starterCode}    return [0, 1]`,
      INFO.problems[1]?.starterCode.trimEnd(),
    ])
  })

  it('leaves nothing to edit or run, and forgets this browser’s copy', async () => {
    const page = await interview()
    const runsBefore = page.received.filter((f) => f.type === 'run.started').length
    await page.hostSends({ type: 'bye', reason: 'ended' })
    expect(page.byTestId('cand-thanks').exists()).toBe(true)
    expect(page.byTestId('cand-editor').exists()).toBe(false)
    expect(page.byTestId('cand-run').exists()).toBe(false)
    expect(page.byTestId('cand-run-panel').exists()).toBe(false)
    expect(page.pair.b.closedByOwner).toBe(true)
    expect(page.received.filter((f) => f.type === 'run.started')).toHaveLength(runsBefore)
    expect(page.cleared()).toBe(true)
    expect(page.storage.items.size).toBe(0)
  })

  it('lists only the problems attempted: shown, or changed from the starter code', async () => {
    const page = await interview()
    await page.hostSends({ type: 'bye', reason: 'ended' })
    expect(page.byTestId('cand-thanks-problems').text()).toBe('1 of 2')
    expect(page.byTestId('cand-thanks-runs').text()).toBe('1 run')
    expect(page.wrapper.findAll('[data-testid="cand-thanks-problem"]')).toHaveLength(1)
  })

  it('counts runs made before a reload', async () => {
    const storage = new MemoryStorage()
    storage.setItem(`duet:name:${ROOM_ID}`, 'Sam Lee')
    storage.setItem(`duet:runs:${ROOM_ID}`, '3')
    const page = await joined(storage)
    await page.hostSends(stateFrame())
    await page.byTestId('cand-run').trigger('click')
    expect(storage.getItem(`duet:runs:${ROOM_ID}`)).toBe('4')
    page.runners.get('python').finish()
    await page.hostSends({ type: 'bye', reason: 'ended' })
    expect(page.byTestId('cand-thanks-runs').text()).toBe('4 runs')
  })

  it('copies a problem’s code, or selects it to copy by hand when the browser refuses', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const page = await interview()
    await page.hostSends({ type: 'bye', reason: 'ended' })
    const code = `${INFO.problems[0]?.starterCode}    return [0, 1]\n`

    await page.byTestId('cand-thanks-copy').trigger('click')
    await page.settle()
    expect(writeText).toHaveBeenCalledWith(code)
    expect(page.byTestId('cand-thanks-copy-state').text()).toBe('Copied')

    writeText.mockRejectedValueOnce(new DOMException('Write permission denied.', 'NotAllowedError'))
    await page.byTestId('cand-thanks-copy').trigger('click')
    await page.settle()
    expect(page.byTestId('cand-thanks-copy-state').text()).toContain('press Ctrl+C')
    expect(window.getSelection()?.toString()).toBe(code)
  })
})
