import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { TestResult } from '../../../shared/exec/test-result'
import type { HostApi } from '../../../shared/host-api'
import type { Session } from '../../../shared/session'
import { problemText, seedProblems } from '../../../shared/sync/doc'
import { createRecorder } from '../session/recorder'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

const TWO_SUM_STARTER = 'def two_sum(nums, target):\n    pass\n'
const TWO_SUM_FINAL =
  'def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n'

let host: RealHost
let wrapper: VueWrapper | undefined
let router: Router | undefined
let session: Session

const find = (id: string): DOMWrapper<HTMLElement> => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}
const all = (id: string): DOMWrapper<HTMLElement>[] => wrapper?.findAll<HTMLElement>(tid(id)) ?? []
const codes = (): string[] =>
  all('review-problem-code').map((editor) => editor.find<HTMLTextAreaElement>('textarea').element.value)

async function idOf(title: string): Promise<number> {
  return (await host.api.problems.list({ text: title })).items.find((p) => p.title === title)?.id ?? 0
}

async function open(api: HostApi = host.api, id = session.id): Promise<void> {
  ;({ wrapper, router } = await mountApp(api, `/sessions/${id}/review`))
  await eventually(() =>
    expect(
      find('review-heading').exists() || find('review-not-found').exists() || find('review-load-error').exists(),
    ).toBe(true),
  )
}

/** Waits for every part of the page to have loaded. */
async function loaded(): Promise<void> {
  await eventually(() => expect(all('loading')).toHaveLength(0))
}

const testResult = (name: string, status: TestResult['status']): TestResult => ({
  name,
  status,
  expected: [0, 1],
  ...(status === 'pass' ? { actual: [0, 1] } : { actual: [1, 0] }),
  stdout: '',
  durationMs: 1,
})

/**
 * Records an interview through the real host API as the live view does: the real recorder for
 * the document and the timeline (on a clock the test moves), runs, notes and an evaluation.
 * Returns each problem's text as the candidate left it.
 */
async function recordInterview(): Promise<string[]> {
  session = await host.api.sessions.setStatus({ id: session.id, status: 'live' })
  const startedAt = Date.parse(session.startedAt ?? '')
  let clock = 0
  const doc = new Y.Doc()
  const recorder = createRecorder({
    sessionId: session.id,
    doc,
    append: (batch) => host.api.recording.append(batch),
    now: () => startedAt + clock,
    startedAt: () => startedAt,
    // Snapshots along the way, so the page rebuilds from one and the updates after it.
    snapshotEveryUpdates: 3,
  })
  const at = async (tMs: number, act: () => void): Promise<void> => {
    clock = tMs
    act()
    await recorder.flush()
  }

  await at(0, () => seedProblems(doc, [TWO_SUM_STARTER, 'def is_balanced(s):\n    pass\n']))
  await at(1_000, () => recorder.event('mode', null, { mode: 'direct' }))
  await at(1_200, () => recorder.event('join', null, { name: 'Ada' }))
  await at(3_000, () => problemText(doc, 0).delete(0, TWO_SUM_STARTER.length))
  for (const [i, line] of TWO_SUM_FINAL.split(/(?<=\n)/).entries()) {
    await at(3_100 + i * 100, () => problemText(doc, 0).insert(problemText(doc, 0).length, line))
  }
  await at(5_000, () => recorder.event('focus-lost', 0))
  await at(8_000, () => recorder.event('focus-gained', 0))
  await at(9_000, () => recorder.event('paste', 0, { chars: 150 }))
  await at(20_000, () => {
    recorder.event('mode', null, { mode: 'reconnecting' })
    recorder.event('leave', null, { mode: 'reconnecting' })
  })
  await at(25_000, () => {
    recorder.event('mode', null, { mode: 'relayed' })
    recorder.event('reconnect', null, { mode: 'relayed' })
  })
  await at(30_000, () => recorder.event('problem', 1, { from: 0, to: 1 }))
  await at(31_000, () => problemText(doc, 1).insert(0, '# stack of openers\n'))
  // No final snapshot, as when the window closed abruptly: the last update is stored on its own.
  await at(32_000, () => problemText(doc, 1).insert(problemText(doc, 1).length, '# todo\n'))

  await host.api.runs.record({
    sessionId: session.id,
    runId: 'candidate-tests',
    problem: 0,
    side: 'candidate',
    kind: 'tests',
    language: 'python',
    code: TWO_SUM_FINAL,
    stdout: 'checking pairs\n',
    stderr: '',
    status: 'ok',
    durationMs: 42,
    testResults: [testResult('example 1', 'pass'), testResult('example 2', 'fail')],
    tMs: 12_000,
  })
  await host.api.runs.record({
    sessionId: session.id,
    runId: 'interviewer-hidden',
    problem: 1,
    side: 'interviewer',
    kind: 'hidden-tests',
    language: 'python',
    code: '# stack of openers\ndef is_balanced(s):\n    pass\n# todo\n',
    stdout: '',
    stderr: 'Traceback: something broke\n',
    status: 'error',
    durationMs: 7,
    testResults: null,
    tMs: 35_000,
  })
  await host.api.notes.add({ sessionId: session.id, text: 'Asked about duplicates first', tMs: 15_000, problem: 0 })
  await host.api.notes.add({ sessionId: session.id, text: 'Camera on, friendly', tMs: 500, problem: null })

  const evaluation = await host.api.evaluations.get({ sessionId: session.id })
  await host.api.evaluations.complete({
    sessionId: session.id,
    problems: [
      { stars: 4, comment: 'Clean hash map' },
      { stars: 2, comment: '' },
    ],
    criteria: evaluation.criteria.map(({ label }) => ({ label, score: 3 })),
    recommendation: 'yes',
    summary: 'Solid fundamentals.',
  })
  session = await host.api.sessions.setStatus({ id: session.id, status: 'ended' })
  return [problemText(doc, 0).toString(), problemText(doc, 1).toString()]
}

beforeEach(async () => {
  host = startRealHost()
  session = await host.api.sessions.create({
    candidateName: 'Ada Lovelace',
    title: 'Backend screen',
    language: 'python',
    problems: { mode: 'pick', ids: [await idOf('Two Sum'), await idOf('Balanced Brackets')] },
    timeLimitMinutes: 45,
  })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  host.dispose()
})

describe('the session review', () => {
  it('shows a recorded interview: facts, final code, runs, notes, evaluation and connection', async () => {
    const finalTexts = await recordInterview()
    expect(finalTexts).toEqual([TWO_SUM_FINAL, '# stack of openers\ndef is_balanced(s):\n    pass\n# todo\n'])
    // The page has to rebuild from a snapshot and the updates stored after it.
    const recording = await host.api.recording.load({ sessionId: session.id })
    const newest = Math.max(...recording.snapshots.map((s) => s.lastEventId))
    expect(recording.events.filter((e) => e.kind === 'yjs' && e.id > newest)).toHaveLength(1)
    await open()
    await loaded()

    expect(find('review-heading').text()).toBe('Ada Lovelace')
    expect(find('review-title').text()).toBe('Backend screen')
    expect(find('review-language').text()).toBe('Python')
    expect(find('review-facts').find(tid('session-status')).text()).toBe('Ended')
    expect(find('review-duration').text()).toMatch(/→/)
    expect(find('review-duration').text()).toContain('limit 45 minutes')

    // Problems: statement, difficulty and the code exactly as the recording left it, read-only.
    expect(all('review-problem-title').map((t) => t.text())).toEqual(['1. Two Sum', '2. Balanced Brackets'])
    expect(all('difficulty-badge').map((b) => b.text())).toEqual(['junior', 'middle'])
    expect(all('review-problem-statement')[0]?.text()).not.toBe('')
    expect(codes()).toEqual(finalTexts)
    expect(find('review-problem-code').find('textarea').attributes('readonly')).toBeDefined()
    expect(find('review-code-from-starter').exists()).toBe(false)

    // Runs, in the order they started, filterable by problem.
    expect(all('review-run').map((r) => r.attributes('data-kind'))).toEqual(['tests', 'hidden-tests'])
    const [candidateRun] = all('review-run')
    expect(candidateRun?.find(tid('review-run-outcome')).text()).toBe('Finished in 42 ms')
    expect(candidateRun?.find(tid('review-run-passed')).text()).toBe('1/2 passed')
    expect(candidateRun?.find(tid('review-run-replay')).attributes('href')).toBe(
      `/sessions/${session.id}/replay?t=12000`,
    )
    await candidateRun?.find(tid('review-run-toggle')).trigger('click')
    expect(find('review-run-tests-summary').text()).toBe('1 of 2 tests passed')
    expect(all('review-run-test').map((t) => t.attributes('data-status'))).toEqual(['pass', 'fail'])
    expect(find('review-run-output-text').text()).toContain('checking pairs')
    expect(find('review-run-code').text()).toBe(TWO_SUM_FINAL.trim())

    await find('review-runs-filter-1').trigger('click')
    expect(all('review-run').map((r) => r.attributes('data-kind'))).toEqual(['hidden-tests'])
    expect(find('review-run-outcome').text()).toBe('Error after 7 ms')
    await find('review-run-toggle').trigger('click')
    expect(find('review-run-output-text').text()).toContain('Traceback: something broke')
    await find('review-runs-filter-all').trigger('click')
    expect(all('review-run')).toHaveLength(2)
    // A problem's run count shows its runs only.
    const [firstProblemRuns] = all('review-problem-runs')
    expect(firstProblemRuns?.text()).toBe('1 run')
    await firstProblemRuns?.trigger('click')
    expect(all('review-run').map((r) => r.attributes('data-kind'))).toEqual(['tests'])
    expect(find('review-runs-filter-0').attributes('aria-pressed')).toBe('true')

    // Notes by session time, each a way into the replay.
    expect(all('review-note-text').map((n) => n.text())).toEqual([
      'Camera on, friendly',
      'Asked about duplicates first',
    ])
    expect(all('review-note-problem').map((n) => n.text())).toEqual(['No problem on screen', '1. Two Sum'])
    expect(all('review-note-replay').map((n) => [n.text(), n.attributes('href')])).toEqual([
      ['▶ 0:00', `/sessions/${session.id}/replay?t=500`],
      ['▶ 0:15', `/sessions/${session.id}/replay?t=15000`],
    ])

    // The evaluation, complete, with a way to edit it.
    expect(find('review-evaluation-state').attributes('data-state')).toBe('complete')
    expect(find('review-recommendation').text()).toBe('Yes')
    expect(all('review-stars').map((s) => s.attributes('data-stars'))).toEqual(['4', '2'])
    expect(find('review-problem-comment').text()).toBe('Clean hash map')
    expect(all('review-criterion').map((c) => c.attributes('data-score'))).toEqual(['3', '3', '3', '3'])
    expect(find('review-evaluation-summary').text()).toBe('Solid fundamentals.')
    expect(find('review-evaluation-edit').attributes('href')).toBe(`/sessions/${session.id}/evaluate`)

    // Connection facts from the recorded events.
    expect(find('review-link').text()).toBe('Direct (peer-to-peer) from 0:01, relayed from 0:25')
    expect(find('review-reconnects').text()).toBe('1')
    expect(find('review-joins').text()).toBe('Joined 1 time, link dropped 1 time')
    expect(find('review-tab-hidden').text()).toBe('1 time, 0:03 in all')
    expect(find('review-pastes').text()).toBe('1')
    expect(all('review-moment').map((m) => m.attributes('data-kind'))).toEqual([
      'link',
      'join',
      'tab-hidden',
      'tab-shown',
      'paste',
      'leave',
      'link',
      'reconnect',
    ])

    // The actions: the replay from the start.
    expect(find('review-actions').find(tid('review-replay')).attributes('href')).toBe(`/sessions/${session.id}/replay`)
    expect(find('review-live-notice').exists()).toBe(false)
  })

  it('shows each part loading while the recording is still on its way', async () => {
    await recordInterview()
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const slowRecording: HostApi = {
      ...host.api,
      recording: {
        ...host.api.recording,
        load: async (input) => {
          await held
          return host.api.recording.load(input)
        },
      },
    }
    await open(slowRecording)
    await eventually(() => expect(all('review-run')).toHaveLength(2))

    expect(find('review-problems').find(tid('loading')).text()).toContain('Rebuilding the final code')
    expect(find('review-connection').find(tid('loading')).exists()).toBe(true)
    expect(find('review-problem-code').exists()).toBe(false)

    release()
    await loaded()
    expect(codes()[0]).toBe(TWO_SUM_FINAL)
    expect(find('review-link').text()).toContain('relayed from 0:25')
  })

  it('says which part could not be loaded, shows the rest, and tries again', async () => {
    await recordInterview()
    let failures = 1
    const flakyRuns: HostApi = {
      ...host.api,
      runs: {
        ...host.api.runs,
        list: async (input) => {
          if (failures-- > 0) throw new Error('The database is busy.')
          return host.api.runs.list(input)
        },
      },
    }
    await open(flakyRuns)
    await loaded()

    expect(find('review-runs-error').text()).toContain('Could not load the runs: The database is busy.')
    expect(codes()[0]).toBe(TWO_SUM_FINAL)
    expect(all('review-note')).toHaveLength(2)
    await find('review-runs-error').find('button').trigger('click')
    await eventually(() => expect(all('review-run')).toHaveLength(2))
    expect(find('review-runs-error').exists()).toBe(false)
  })

  it('shows a session nothing was recorded for, without starting its evaluation', async () => {
    await host.api.sessions.setStatus({ id: session.id, status: 'ended' })
    await open()
    await loaded()

    expect(find('review-code-from-starter').exists()).toBe(true)
    expect(codes()[0]).toBe(TWO_SUM_STARTER)
    expect(find('review-runs-empty').exists()).toBe(true)
    expect(find('review-notes-empty').exists()).toBe(true)
    expect(find('review-link').text()).toBe('The candidate never connected')
    expect(find('review-joins').text()).toBe('The candidate never joined')
    expect(find('review-tab-hidden').text()).toBe('Never')
    expect(find('review-duration').text()).toBe('Ended before it started · limit 45 minutes')
    expect(find('review-evaluation-none').text()).toContain('Not evaluated yet.')
    expect(find('review-evaluation-edit').text()).toBe('Evaluate')
    expect(await host.api.evaluations.list()).toEqual([])
  })

  it('says when a session is still live, with a link to the live view', async () => {
    await host.api.sessions.setStatus({ id: session.id, status: 'live' })
    await host.api.notes.add({ sessionId: session.id, text: 'So far so good', tMs: 1_000, problem: 0 })
    await open()
    await loaded()

    expect(find('review-live-notice').text()).toContain('This session is still live')
    expect(find('review-open-live').attributes('href')).toBe(`/sessions/${session.id}`)
    expect(find('review-duration').text()).toMatch(/^Started .*, still running/)
    expect(find('review-note-text').text()).toBe('So far so good')
  })

  it('offers the report, the bundle and deletion, and goes back to the history once deleted', async () => {
    await host.api.sessions.setStatus({ id: session.id, status: 'ended' })
    await open()
    await loaded()
    const actions = find('review-actions')
    expect(actions.find(tid('bundle-export')).exists()).toBe(true)
    expect(find('report-export').find(tid('report-export-html')).exists()).toBe(true)

    await actions.find(tid('session-delete')).trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(router?.currentRoute.value.path).toBe('/history'))
    await eventually(() => expect(find('history-deleted').exists()).toBe(true))
    expect(find('history-deleted').text()).toBe(`The interview with ${session.candidateName} was deleted.`)
    await expect(host.api.sessions.get({ id: session.id })).rejects.toThrow(/no session/)
  })

  it('does not delete a live session', async () => {
    await host.api.sessions.setStatus({ id: session.id, status: 'live' })
    await open()
    await loaded()
    expect(find('session-delete').attributes('disabled')).toBeDefined()
  })

  it('says there is no such session for an unknown id', async () => {
    await open(host.api, 'no-such-session')
    expect(find('review-not-found').text()).toContain('There is no session with id no-such-session.')
    expect(find('review-not-found').find('a').attributes('href')).toBe('/sessions')
    expect(find('review-actions').exists()).toBe(false)
  })
})
