import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { runnerSourceKey } from '../../../browser/run-ui/runner-source'
import { ScriptedRunners, type ScriptedRunner } from '../../../browser/run-ui/testing/scripted-runner'
import type { Session } from '../../../shared/session'
import { applyRecording } from '../session/replay'
import { hostLinkFactoryKey } from '../session/link-types'
import { FakeCandidate } from '../test-support/fake-candidate'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

const TWO_SUM_STARTER = 'def two_sum(nums, target):\n    pass\n'
const BRACKETS_STARTER = 'def is_balanced(s):\n    pass\n'

let host: RealHost
let wrapper: VueWrapper | undefined
let candidate: FakeCandidate
let session: Session
let runners: ScriptedRunners

const find = (id: string): DOMWrapper<HTMLElement> => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}
const editor = (): DOMWrapper<HTMLTextAreaElement> => find('session-editor').find<HTMLTextAreaElement>('textarea')
const mode = (): string | undefined => find('session-connection').attributes('data-mode')

async function open(id = session.id): Promise<void> {
  ;({ wrapper } = await mountApp(host.api, `/sessions/${id}`, {
    [hostLinkFactoryKey]: candidate.factory,
    [runnerSourceKey]: runners,
  }))
  await eventually(() => expect(find('session-connection').exists() || find('session-load-error').exists()).toBe(true))
}

function unmount(): void {
  wrapper?.unmount()
  wrapper = undefined
}

async function idOf(title: string): Promise<number> {
  return (await host.api.problems.list({ text: title })).items.find((p) => p.title === title)?.id ?? 0
}

/** Connects the candidate directly and waits for the session to go live. */
async function connect(name = 'Ada Lovelace'): Promise<void> {
  candidate.setMode('direct')
  candidate.hello(name)
  await eventually(() => {
    candidate.deliver()
    expect(candidate.framesOf('session.state').at(-1)?.state.status).toBe('live')
  })
}

const recorded = async (): Promise<string[]> =>
  (await host.api.recording.load({ sessionId: session.id })).events.filter((e) => e.kind !== 'yjs').map((e) => e.kind)

beforeEach(async () => {
  host = startRealHost()
  candidate = new FakeCandidate()
  runners = new ScriptedRunners()
  session = await host.api.sessions.create({
    language: 'python',
    problems: { mode: 'pick', ids: [await idOf('Two Sum'), await idOf('Balanced Brackets')] },
  })
})

afterEach(() => {
  unmount()
  host.dispose()
  vi.unstubAllGlobals()
})

describe('the live session view', () => {
  it('waits with the link, then shows the candidate, live, with only what the candidate may see', async () => {
    await open()
    expect(mode()).toBe('waiting')
    expect(find('session-presence').attributes('data-online')).toBe('false')
    expect(find('session-link').text()).toBe(`http://127.0.0.1:8787/s/${session.roomId}#${session.secret}`)
    expect(candidate.connections[0]).toMatchObject({ roomId: session.roomId, secret: session.secret })
    expect(candidate.linkOptions[0]).toEqual({ forceRelay: false })
    expect(find('session-problem-title').text()).toBe('Two Sum')
    expect(find('session-progress').text()).toBe('1 of 2')
    expect(wrapper?.find(tid('difficulty-badge')).text()).toBe('junior')
    expect(editor().element.value).toBe(TWO_SUM_STARTER)
    expect(editor().attributes('readonly')).toBeDefined()

    await connect()
    expect(mode()).toBe('direct')
    expect(find('session-presence').text()).toContain('Ada Lovelace')
    expect(find('session-presence').attributes('data-online')).toBe('true')
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('live')

    const [info] = candidate.framesOf('session.info')
    expect(info?.info.problems.map((p) => [p.title, p.starterCode])).toEqual([
      ['Two Sum', TWO_SUM_STARTER],
      ['Balanced Brackets', BRACKETS_STARTER],
    ])
    // Hidden tests and reference solutions stay on this machine.
    const wire = JSON.stringify(candidate.received)
    expect(wire).not.toContain('negatives')
    expect(wire).not.toContain('seen = {}')
    expect(candidate.text(0).toString()).toBe(TWO_SUM_STARTER)

    candidate.type(0, '    return []\n')
    await eventually(() => expect(editor().element.value).toBe(`${TWO_SUM_STARTER}    return []\n`))
  })

  it('lets the interviewer co-edit only after turning it on', async () => {
    await open()
    await connect()
    await editor().setValue('typed while read-only')
    expect(candidate.text(0).toString()).toBe(TWO_SUM_STARTER)

    await find('session-coedit').setValue(true)
    expect(editor().attributes('readonly')).toBeUndefined()
    await editor().setValue(`# hint\n${TWO_SUM_STARTER}`)
    candidate.deliver()
    expect(candidate.text(0).toString()).toBe(`# hint\n${TWO_SUM_STARTER}`)
  })

  it('moves between problems and tells the candidate', async () => {
    await open()
    await connect()
    expect(find('session-prev').attributes('disabled')).toBeDefined()
    await find('session-next').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('2 of 2'))
    expect(find('session-problem-title').text()).toBe('Balanced Brackets')
    expect(editor().element.value).toBe(BRACKETS_STARTER)
    expect(find('session-next').attributes('disabled')).toBeDefined()
    expect((await host.api.sessions.get({ id: session.id })).currentProblem).toBe(1)
    candidate.deliver()
    expect(candidate.framesOf('session.state').at(-1)?.state.currentProblem).toBe(1)

    await find('session-prev').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('1 of 2'))
  })

  it('shows the link mode and presence as they change, ends the session and records it all', async () => {
    await open()
    await connect()
    candidate.type(0, 'x = 1\n')
    candidate.send({ type: 'event', kind: 'focus-lost', problem: 0 })
    candidate.send({ type: 'event', kind: 'focus-gained', problem: 0 })
    candidate.send({ type: 'event', kind: 'paste', problem: 0, chars: 20 })
    candidate.send({ type: 'event', kind: 'paste', problem: 0, chars: 150 })

    candidate.setMode('reconnecting')
    await eventually(() => expect(mode()).toBe('reconnecting'))
    expect(find('session-presence').attributes('data-online')).toBe('false')
    candidate.setMode('relayed')
    await eventually(() => expect(mode()).toBe('relayed'))
    candidate.type(0, 'y = 2\n')
    await eventually(() => expect(editor().element.value).toBe(`${TWO_SUM_STARTER}x = 1\ny = 2\n`))
    await find('session-next').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('2 of 2'))
    candidate.type(1, '# second\n')

    await find('session-end').trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('session-ended').exists()).toBe(true))
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('ended')
    expect(find('session-end').exists()).toBe(false)
    expect(mode()).toBe('closed')
    expect(candidate.framesOf('session.state').at(-1)?.state.status).toBe('ended')
    expect(candidate.framesOf('bye')).toEqual([{ type: 'bye', reason: 'ended' }])
    expect(candidate.linkEnds).toEqual(['ended'])

    expect(await recorded()).toEqual([
      'mode',
      'join',
      'status',
      'focus-lost',
      'focus-gained',
      'paste',
      'mode',
      'leave',
      'mode',
      'reconnect',
      'problem',
      'status',
    ])
    const recording = await host.api.recording.load({ sessionId: session.id })
    const paste = recording.events.find((e) => e.kind === 'paste')
    expect(paste && JSON.parse(paste.data)).toEqual({ chars: 150 })
    const rebuilt = new Y.Doc()
    applyRecording(rebuilt, recording)
    expect(rebuilt.getText('problem:0').toString()).toBe(candidate.text(0).toString())
    expect(rebuilt.getText('problem:1').toString()).toBe(`${BRACKETS_STARTER}# second\n`)
  })

  it('reopens a session from its recording without seeding the starter code again', async () => {
    await open()
    await connect()
    candidate.text(0).delete(0, TWO_SUM_STARTER.length)
    candidate.type(0, 'def two_sum(nums, target):\n    return [0, 1]\n')
    unmount()
    const stored = async (): Promise<number> =>
      (await host.api.recording.load({ sessionId: session.id })).events.filter((e) => e.kind === 'yjs').length
    await eventually(async () => expect(await stored()).toBeGreaterThanOrEqual(3))
    const before = await stored()

    await open()
    expect(editor().element.value).toBe('def two_sum(nums, target):\n    return [0, 1]\n')
    candidate.setMode('direct')
    expect(candidate.text(0).toString()).toBe('def two_sum(nums, target):\n    return [0, 1]\n')
    unmount()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await stored()).toBe(before)
  })

  it('shows an ended session read-only, without a link', async () => {
    await open()
    await connect()
    candidate.type(0, '# done\n')
    await find('session-end').trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('session-ended').exists()).toBe(true))
    unmount()

    await open()
    expect(candidate.connections).toHaveLength(1)
    expect(find('session-link').exists()).toBe(false)
    expect(find('session-coedit').exists()).toBe(false)
    expect(mode()).toBe('closed')
    expect(editor().element.value).toBe(`${TWO_SUM_STARTER}# done\n`)
    expect(editor().attributes('readonly')).toBeDefined()
    expect(find('session-next').attributes('disabled')).toBeDefined()
  })

  it('copies the link, and offers it to copy by hand when the clipboard refuses', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    await open()
    await find('session-copy-link').trigger('click')
    await eventually(() => expect(find('session-copied').text()).toBe('Copied'))
    expect(writeText).toHaveBeenCalledWith(`http://127.0.0.1:8787/s/${session.roomId}#${session.secret}`)
    expect(find('session-link-fallback').exists()).toBe(false)

    writeText.mockRejectedValueOnce(new DOMException('Write permission denied.', 'NotAllowedError'))
    await find('session-copy-link').trigger('click')
    await eventually(() => expect(find('session-link-fallback').exists()).toBe(true))
    expect((find('session-link-fallback').element as HTMLInputElement).value).toBe(find('session-link').text())
    expect(find('session-copied').text()).toBe('')
  })

  it('says when the session does not exist', async () => {
    await open('no-such-session')
    expect(find('session-load-error').text()).toContain('There is no session with id no-such-session')
  })

  it('can force the relay path from the address', async () => {
    ;({ wrapper } = await mountApp(host.api, `/sessions/${session.id}?relay=1`, {
      [hostLinkFactoryKey]: candidate.factory,
      [runnerSourceKey]: runners,
    }))
    await eventually(() => expect(candidate.linkOptions).toEqual([{ forceRelay: true }]))
  })
})

describe('runs in the live view', () => {
  const python = (): ScriptedRunner => runners.get('python')
  const entries = (): DOMWrapper<HTMLElement>[] => wrapper?.findAll<HTMLElement>(tid('live-entry')) ?? []
  const storedRuns = () => host.api.runs.list({ sessionId: session.id })

  it('loads the session language’s runtime as the view opens', async () => {
    await open()
    expect(runners.preloaded).toEqual(['python'])
    expect(find('live-runs-empty').exists()).toBe(true)
    expect(find('live-runs-count').text()).toBe('0')
  })

  it('streams the candidate’s runs as they happen, the newest open', async () => {
    await open()
    await connect()
    candidate.send({
      type: 'run.started',
      runId: 'run-1',
      problem: 0,
      kind: 'run',
      language: 'python',
      code: 'print(1)',
      agoMs: 0,
    })
    await eventually(() => expect(entries()).toHaveLength(1))
    expect(entries()[0]?.attributes()).toMatchObject({ 'data-side': 'candidate', 'data-kind': 'run' })
    expect(entries()[0]?.attributes('data-status')).toBe('running')
    expect(find('live-entry-status').text()).toBe('Running…')

    candidate.send({ type: 'run.output', runId: 'run-1', stream: 'stdout', text: '1\n' })
    candidate.send({ type: 'run.output', runId: 'run-1', stream: 'stderr', text: 'Traceback\n' })
    await eventually(() => expect(find('live-entry-output-text').text()).toContain('Traceback'))
    expect(
      find('live-entry-output-text')
        .findAll('.chunk')
        .map((c) => c.attributes('data-stream')),
    ).toEqual(['stdout', 'stderr'])
    candidate.send({ type: 'run.finished', runId: 'run-1', result: { status: 'error', durationMs: 7, tests: null } })
    await eventually(() => expect(entries()[0]?.attributes('data-status')).toBe('error'))
    expect(find('live-entry-outcome').text()).toBe('Error after 7 ms')

    candidate.send({
      type: 'run.started',
      runId: 'run-2',
      problem: 0,
      kind: 'tests',
      language: 'python',
      code: 'def two_sum(nums, target):\n    return [0, 1]\n',
      agoMs: 0,
    })
    candidate.send({
      type: 'run.finished',
      runId: 'run-2',
      result: {
        status: 'ok',
        durationMs: 3,
        tests: [{ name: 'small', status: 'pass', expected: [0, 1], actual: [0, 1], stdout: '', durationMs: 1 }],
      },
    })
    await eventually(() => expect(find('live-runs-count').text()).toBe('2'))
    // Newest first, and only the newest open.
    expect(entries().map((e) => [e.attributes('data-kind'), e.attributes('data-open')])).toEqual([
      ['tests', 'true'],
      ['run', 'false'],
    ])
    expect(find('live-entry-tests-summary').text()).toBe('All 1 tests passed')
    expect(find('live-entry-code').text()).toContain('return [0, 1]')

    await entries()[1]?.find(tid('live-entry-toggle')).trigger('click')
    expect(entries()[1]?.attributes('data-open')).toBe('true')
    expect(entries()[1]?.find(tid('live-entry-output-text')).text()).toContain('Traceback')
    await entries()[0]?.find(tid('live-entry-toggle')).trigger('click')
    expect(entries()[0]?.attributes('data-open')).toBe('false')
    expect(entries()[0]?.find(tid('live-entry-toggle')).attributes('aria-expanded')).toBe('false')
  })

  it('runs the current code here and stores the run as the interviewer’s', async () => {
    await open()
    await connect()
    candidate.type(0, 'print("hello")\n')
    await eventually(() => expect(editor().element.value).toContain('print("hello")'))
    await find('live-run').trigger('click')
    expect(python().requests).toEqual([
      {
        language: 'python',
        code: `${TWO_SUM_STARTER}print("hello")\n`,
        timeoutMs: 10_000,
        outputLimitBytes: 1_000_000,
      },
    ])
    expect(find('live-status').attributes('data-status')).toBe('running')
    expect(find('live-run').attributes('disabled')).toBeDefined()
    python().print('hello\n')
    python().finish({ status: 'ok', durationMs: 2 })
    await eventually(() => expect(find('live-status').text()).toBe('Finished in 2 ms'))
    expect(find('live-output-text').text()).toBe('hello')

    await eventually(() => expect(entries()).toHaveLength(1))
    expect(entries()[0]?.attributes()).toMatchObject({ 'data-side': 'interviewer', 'data-kind': 'run' })
    await eventually(async () => expect(await storedRuns()).toHaveLength(1))
    expect((await storedRuns())[0]).toMatchObject({
      side: 'interviewer',
      kind: 'run',
      problem: 0,
      code: `${TWO_SUM_STARTER}print("hello")\n`,
      stdout: 'hello\n',
      status: 'ok',
    })
    // The interviewer's runs stay on this machine.
    candidate.deliver()
    expect(candidate.received.filter((f) => f.type.startsWith('run.'))).toEqual([])
  })

  it('runs the visible tests, and the hidden tests only here, on the candidate’s code', async () => {
    await open()
    await connect()
    await find('live-run-tests').trigger('click')
    expect(python().requests[0]).toMatchObject({
      entryFunction: 'two_sum',
      timeoutMs: 10_000,
      tests: [{ name: 'small', args: [[2, 7, 11, 15], 9], expected: [0, 1] }],
    })
    python().finish({
      tests: [{ name: 'small', status: 'fail', expected: [0, 1], actual: null, stdout: '', durationMs: 1 }],
    })
    await eventually(() => expect(find('live-tests-summary').text()).toBe('0 of 1 tests passed'))

    expect(find('live-run-hidden').text()).toBe("Run hidden tests on the candidate's code (1)")
    await find('live-run-hidden').trigger('click')
    expect(python().requests[1]?.tests).toEqual([{ name: 'negatives', args: [[-3, 4, 3, 90], 0], expected: [0, 2] }])
    expect(python().requests[1]?.code).toBe(TWO_SUM_STARTER)
    python().finish({
      tests: [{ name: 'negatives', status: 'pass', expected: [0, 2], actual: [0, 2], stdout: '', durationMs: 1 }],
    })
    await eventually(() => expect(find('live-tests-summary').text()).toBe('All 1 hidden tests passed'))
    await eventually(async () => expect((await storedRuns()).map((r) => r.kind)).toEqual(['tests', 'hidden-tests']))
    candidate.deliver()
    expect(JSON.stringify(candidate.received)).not.toContain('negatives')
  })

  it('stops its run, and runs with Ctrl+Enter in the editor', async () => {
    await open()
    await editor().trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(python().requests).toHaveLength(1)
    expect(find('live-stop').attributes('disabled')).toBeUndefined()
    await find('live-stop').trigger('click')
    expect(python().stops).toBe(1)
    await eventually(() => expect(find('live-status').attributes('data-status')).toBe('stopped'))
    expect(find('live-stop').attributes('disabled')).toBeDefined()
  })

  it('shows the runtime loading, and asks for input() in its console', async () => {
    runners = new ScriptedRunners({ status: { state: 'loading', progress: 0.5, error: null } })
    await open()
    expect(find('live-runtime').text()).toBe('Loading Python… 50%')
    python().setStatus({ state: 'ready', progress: 1, error: null })
    await eventually(() => expect(find('live-runtime').exists()).toBe(false))

    await find('live-run').trigger('click')
    const answer = python().ask('n? ')
    await eventually(() => expect(find('live-input').exists()).toBe(true))
    await find('live-input').setValue('42')
    await find('live-input-line').trigger('submit')
    await expect(answer).resolves.toBe('42')
    python().finish()
    await eventually(() => expect(find('live-output-text').text()).toBe('n? 42'))
  })

  it('offers no hidden-test run for a problem without hidden tests', async () => {
    await open()
    await connect()
    await find('session-next').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('2 of 2'))
    expect(find('live-run-hidden').attributes('disabled')).toBeDefined()
    expect(find('live-run-tests').attributes('disabled')).toBeUndefined()
  })
})

describe('the timer, notes and the way to the evaluation', () => {
  const MIN = 60_000
  const T0 = new Date('2026-11-23T10:00:00.000Z').getTime()

  /**
   * Moves every clock here (the host services' and the view's) to `ms` after T0. Only Date is
   * faked, and it stands still between moves: a wait that never passes ends at the test timeout.
   */
  const at = (ms: number): void => void vi.setSystemTime(T0 + ms)

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(0)
    session = await host.api.sessions.create({
      language: 'python',
      problems: { mode: 'pick', ids: [await idOf('Two Sum'), await idOf('Balanced Brackets')] },
      timeLimitMinutes: 30,
    })
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  const clock = (): string => find('session-timer-clock').text()
  const timerLevel = (): string | undefined => find('session-timer').attributes('data-level')
  const notes = (): DOMWrapper<HTMLElement>[] => wrapper?.findAll<HTMLElement>(tid('note')) ?? []

  /** Everything the candidate received, with the Yjs and awareness payloads decoded too. */
  function wireText(): string {
    const decoded = candidate.received.map((frame) =>
      frame.type === 'sync' || frame.type === 'awareness' ? Buffer.from(frame.data, 'base64').toString('utf8') : '',
    )
    return JSON.stringify(candidate.received) + decoded.join('\n')
  }

  it('shows the limit before the start, then counts down from the host’s start with warnings', async () => {
    await open()
    expect(timerLevel()).toBe('waiting')
    expect(clock()).toBe('30:00')
    expect(find('session-timer').text()).toContain('starts when the candidate joins')

    await connect()
    await eventually(() => expect(timerLevel()).toBe('running'))
    expect(clock()).toBe('30:00')
    expect(find('session-timer-notice').attributes('role')).toBe('status')
    expect(find('session-timer-notice').text()).toBe('')
    expect(candidate.framesOf('session.state').at(-1)?.state).toMatchObject({ startedAt: T0, timeLimitMs: 30 * MIN })

    at(20 * MIN + 1000)
    await eventually(() => expect(find('session-timer-notice').text()).toBe('Less than 10 minutes left'))
    expect(timerLevel()).toBe('first-warning')
    expect(clock()).toBe('9:59')

    at(28 * MIN)
    await eventually(() => expect(find('session-timer-notice').text()).toBe('Less than 2 minutes left'))
    expect(timerLevel()).toBe('final-warning')
    expect(find('time-up').exists()).toBe(false)
  })

  it('at zero asks to extend or end; more time counts from now and reaches the candidate', async () => {
    await open()
    await connect()
    at(31 * MIN + 15_000)
    await eventually(() => expect(find('time-up').exists()).toBe(true))
    expect(find('session-timer-notice').text()).toBe('Time is up')
    expect(find('time-up-over').text()).toBe('1:15')
    expect(find('session-editor').exists()).toBe(true)

    await find('time-extend-5').trigger('click')
    await eventually(() => expect(find('time-up').exists()).toBe(false))
    const limit = 36 * MIN + 15_000
    expect((await host.api.sessions.get({ id: session.id })).timeLimitMs).toBe(limit)
    candidate.deliver()
    expect(candidate.framesOf('session.state').at(-1)?.state).toMatchObject({ status: 'live', timeLimitMs: limit })
    expect(find('session-timer-notice').text()).toBe('Time extended: 5 minutes left')
    expect(clock()).toBe('5:00')
    // The recording is written in batches.
    await eventually(async () => {
      const recording = await host.api.recording.load({ sessionId: session.id })
      const timer = recording.events.find((e) => e.kind === 'timer')
      expect(timer && JSON.parse(timer.data)).toEqual({ addedMs: 6 * MIN + 15_000, timeLimitMs: limit })
    })

    at(37 * MIN)
    await eventually(() => expect(find('time-up').exists()).toBe(true))
    await find('time-up-end').trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('session-ended').exists()).toBe(true))
    expect(find('session-timer').exists()).toBe(false)
    expect(find('time-up').exists()).toBe(false)
  })

  it('answers the candidate’s clock pings with this machine’s time', async () => {
    await open()
    await connect()
    candidate.send({ type: 'ping', t: 42.5 })
    expect(candidate.framesOf('pong')).toEqual([{ type: 'pong', t: 42.5, at: T0 }])
  })

  it('stamps each private note with the session time and problem, lists them newest last, and never sends them', async () => {
    await open()
    await eventually(() => expect(find('notes-empty').exists()).toBe(true))
    await connect()

    at(3 * MIN + 5_000)
    await find('note-draft').setValue('Asked about duplicates first — good instinct')
    expect(find('note-draft-stamp').text()).toBe('Stamped 3:05 · 1. Two Sum')
    // The stamp is when the note was started, not when it was added.
    at(4 * MIN)
    await find('note-add').trigger('submit')
    await eventually(() => expect(notes()).toHaveLength(1))
    expect(find('note-draft').element).toHaveProperty('value', '')
    expect(find('note-add').attributes('disabled')).toBeDefined()

    await find('session-next').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('2 of 2'))
    at(12 * MIN + 30_000)
    await find('note-draft').setValue('Stuck on the empty string')
    await find('note-draft').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await eventually(() => expect(notes()).toHaveLength(2))

    expect(notes().map((n) => [n.find(tid('note-stamp')).text(), n.find(tid('note-text')).text()])).toEqual([
      ['3:05 · 1. Two Sum', 'Asked about duplicates first — good instinct'],
      ['12:30 · 2. Balanced Brackets', 'Stuck on the empty string'],
    ])
    expect((await host.api.notes.list({ sessionId: session.id })).map((n) => [n.tMs, n.problem, n.text])).toEqual([
      [3 * MIN + 5_000, 0, 'Asked about duplicates first — good instinct'],
      [12 * MIN + 30_000, 1, 'Stuck on the empty string'],
    ])

    // Private: no note text in any frame the host sent, Yjs and awareness payloads included.
    candidate.setMode('reconnecting')
    candidate.setMode('direct')
    candidate.deliver()
    expect(candidate.received.length).toBeGreaterThan(0)
    for (const text of ['duplicates', 'good instinct', 'empty string']) expect(wireText()).not.toContain(text)

    unmount()
    await open()
    await eventually(() => expect(notes()).toHaveLength(2))
  })

  it('keeps a note that could not be saved, with the reason', async () => {
    await open()
    await eventually(() => expect(find('notes-empty').exists()).toBe(true))
    const add = vi
      .spyOn(host.api.notes, 'add')
      .mockRejectedValueOnce(new Error('The database is locked by another program.'))
    await find('note-draft').setValue('Strong on complexity')
    await find('note-add').trigger('submit')
    await eventually(() => expect(find('note-save-error').exists()).toBe(true))
    expect(find('note-save-error').text()).toContain('The database is locked by another program.')
    expect(find('note-draft').element).toHaveProperty('value', 'Strong on complexity')

    await find('note-add').trigger('submit')
    await eventually(() => expect(notes()).toHaveLength(1))
    expect(find('note-save-error').exists()).toBe(false)
    expect(add).toHaveBeenCalledTimes(2)
  })

  it('offers the evaluation once the session has ended', async () => {
    await open()
    await connect()
    expect(find('session-evaluate').exists()).toBe(false)
    await find('session-end').trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('session-evaluate').exists()).toBe(true))
    expect(find('notes-panel').exists()).toBe(true)
    await find('session-evaluate').trigger('click')
    await eventually(() => expect(find('evaluation-heading').exists()).toBe(true))
    expect(find('evaluation-problem').exists()).toBe(true)
  })
})
