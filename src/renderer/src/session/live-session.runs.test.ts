import { beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../shared/exec/run'
import type { TestResult } from '../../../shared/exec/test-result'
import type { LinkFrame } from '../../../shared/peer/frames'
import { runFinishedFrame } from '../../../shared/run-frames'
import type { Session } from '../../../shared/session'
import { eventually } from '../test-support/mount-app'
import { useLiveViews } from '../test-support/live-view'
import type { LiveSession } from './live-session'
import { runMarks } from './replay'

const TWO_SUM_STARTER = 'def two_sum(nums, target):\n    pass\n'

const env = useLiveViews()
let session: Session
let clock = 0

async function open(): Promise<LiveSession> {
  const view = await env.open(session.id, { now: () => clock })
  await eventually(() => expect(view.state.runsLoading).toBe(false))
  return view
}

/** Opens the link, says hello and waits for the session to go live; session time is then 0. */
async function connect(view: LiveSession): Promise<void> {
  env.candidate.setMode('direct')
  env.candidate.hello('Ada Lovelace')
  await eventually(() => expect(view.state.session.startedAt).not.toBeNull())
  clock = Date.parse(view.state.session.startedAt ?? '')
}

const started = (runId: string, extra: Partial<Extract<LinkFrame, { type: 'run.started' }>> = {}): LinkFrame => ({
  type: 'run.started',
  runId,
  problem: 0,
  kind: 'run',
  language: 'python',
  code: 'print("hi")\n',
  agoMs: 0,
  ...extra,
})
const out = (runId: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LinkFrame => ({
  type: 'run.output',
  runId,
  stream,
  text,
})
const finished = (runId: string, result: RunResult): LinkFrame => ({ type: 'run.finished', runId, result })

const storedRuns = () => env.host.api.runs.list({ sessionId: session.id })
const marks = async () => runMarks(await env.host.api.recording.load({ sessionId: session.id }))

beforeEach(async () => {
  const ids = (await env.host.api.problems.list({})).items
  const pick = (title: string): number => ids.find((p) => p.title === title)?.id ?? 0
  session = await env.host.api.sessions.create({
    language: 'python',
    problems: { mode: 'pick', ids: [pick('Two Sum'), pick('Balanced Brackets')] },
  })
  clock = Date.now()
})

describe('runs in the live session', () => {
  it('streams a candidate run into state.runs and stores it when it ends', async () => {
    const view = await open()
    await connect(view)
    clock += 7_000
    env.candidate.send(started('r1', { agoMs: 500 }))
    expect(view.state.runs).toEqual([
      {
        key: 'r1',
        side: 'candidate',
        kind: 'run',
        problem: 0,
        language: 'python',
        code: 'print("hi")\n',
        output: [],
        status: 'running',
        durationMs: null,
        tests: null,
        message: null,
        tMs: 6_500,
      },
    ])
    env.candidate.send(out('r1', 'h'))
    env.candidate.send(out('r1', 'i\n'))
    env.candidate.send(out('r1', 'Traceback\n', 'stderr'))
    expect(view.state.runs[0]?.output).toEqual([
      { stream: 'stdout', text: 'hi\n' },
      { stream: 'stderr', text: 'Traceback\n' },
    ])
    expect(await storedRuns()).toEqual([])

    const tests = [
      { name: 'small', status: 'fail' as const, expected: [0, 1], actual: null, stdout: '', durationMs: 1 },
    ]
    env.candidate.send(finished('r1', { status: 'error', durationMs: 12, tests, message: 'It failed.' }))
    expect(view.state.runs[0]).toMatchObject({ status: 'error', durationMs: 12, tests, message: 'It failed.' })
    await eventually(async () => expect(await storedRuns()).toHaveLength(1))
    expect((await storedRuns())[0]).toMatchObject({
      runId: 'r1',
      side: 'candidate',
      kind: 'run',
      code: 'print("hi")\n',
      stdout: 'hi\n',
      stderr: 'Traceback\n',
      status: 'error',
      durationMs: 12,
      testResults: tests,
      message: 'It failed.',
      tMs: 6_500,
    })
    expect(await marks()).toEqual([
      { runId: 'r1', side: 'candidate', kind: 'run', status: 'error', tMs: 6_500, problem: 0 },
    ])
    expect(view.state.droppedFrames).toBe(0)
  })

  it('records its own copy of the problem text when the code did not fit the frame', async () => {
    const view = await open()
    await connect(view)
    env.candidate.type(0, '# long code\n')
    env.candidate.send(started('big', { code: null, kind: 'tests' }))
    env.candidate.send(finished('big', { status: 'ok', durationMs: 1, tests: [] }))
    expect(view.state.runs[0]?.code).toBe(`${TWO_SUM_STARTER}# long code\n`)
    await eventually(async () => expect((await storedRuns())[0]?.code).toBe(`${TWO_SUM_STARTER}# long code\n`))
  })

  it('drops and counts frames the candidate must not send, and run frames that fit no run', async () => {
    const view = await open()
    await connect(view)
    const sessionBefore = view.state.session
    env.candidate.send({
      type: 'session.state',
      state: { status: 'ended', currentProblem: 1, startedAt: 0, timeLimitMs: 1 },
    })
    env.candidate.send({
      type: 'session.info',
      info: { title: 'Spoof', interviewerName: 'Mallory', language: 'javascript', problems: [] },
    })
    env.candidate.send({ type: 'bye', reason: 'ended' })
    env.candidate.send(out('nobody', 'x'))
    env.candidate.send(finished('nobody', { status: 'ok', durationMs: 1, tests: null }))
    env.candidate.send(started('far', { problem: 2 }))
    env.candidate.send(started('r1'))
    env.candidate.send(started('r1'))
    env.candidate.send(finished('r1', { status: 'ok', durationMs: 1, tests: null }))
    env.candidate.send(out('r1', 'after the end'))
    expect(view.state.droppedFrames).toBe(8)
    for (const runId of ['s1', 's2', 's3', 's4', 's5']) env.candidate.send(started(runId))
    expect(view.state.droppedFrames).toBe(9)
    expect(view.state.session).toBe(sessionBefore)
    expect(view.state.mode).toBe('direct')
    expect(view.state.runs.map((r) => [r.key, r.status])).toEqual([
      ['r1', 'ok'],
      ['s1', 'running'],
      ['s2', 'running'],
      ['s3', 'running'],
      ['s4', 'running'],
    ])
    expect(view.state.runs[0]?.output).toEqual([])
  })

  it('caps a run’s output at the output limit', async () => {
    const view = await open()
    await connect(view)
    env.candidate.send(started('flood'))
    const piece = 'y'.repeat(16_000)
    for (let i = 0; i < 70; i++) env.candidate.send(out('flood', piece))
    env.candidate.send(finished('flood', { status: 'output-limit', durationMs: 30, tests: null, message: 'Too much.' }))
    const text = view.state.runs[0]?.output.map((c) => c.text).join('') ?? ''
    expect(text.length).toBe(1_000_000)
    await eventually(async () => expect((await storedRuns())[0]?.stdout.length).toBe(1_000_000))
  })

  it('stores a run cut off by a dropped link as stopped, and replaces it when its end arrives later', async () => {
    const view = await open()
    await connect(view)
    env.candidate.send(started('r1'))
    env.candidate.send(out('r1', 'before\n'))
    env.candidate.setMode('reconnecting')
    const message = 'The connection to the candidate was lost before this run finished.'
    expect(view.state.runs[0]).toMatchObject({ status: 'stopped', message, durationMs: null })
    await eventually(async () =>
      expect((await storedRuns())[0]).toMatchObject({ status: 'stopped', message, stdout: 'before\n' }),
    )

    env.candidate.setMode('relayed')
    env.candidate.send(out('r1', 'after\n'))
    expect(view.state.runs[0]).toMatchObject({ status: 'running', message: null })
    env.candidate.send(finished('r1', { status: 'ok', durationMs: 20, tests: null }))
    await eventually(async () =>
      expect(await storedRuns()).toMatchObject([
        { runId: 'r1', status: 'ok', stdout: 'before\nafter\n', message: null },
      ]),
    )
    expect((await marks()).map((m) => m.status)).toEqual(['ok'])
    expect(view.state.runs).toHaveLength(1)
  })

  it('stores a run still going when the session ends as stopped', async () => {
    const view = await open()
    await connect(view)
    env.candidate.send(started('r1'))
    await view.end()
    expect(await storedRuns()).toMatchObject([
      { runId: 'r1', status: 'stopped', durationMs: null, message: 'The session ended before this run finished.' },
    ])
  })

  it('stores the interviewer’s runs and never sends them, or any hidden test, to the candidate', async () => {
    const view = await open()
    await connect(view)
    clock += 3_000
    const tMs = view.sessionMs()
    expect(tMs).toBe(3_000)
    const tests = [
      { name: 'negatives', status: 'pass' as const, expected: [0, 2], actual: [0, 2], stdout: '', durationMs: 1 },
    ]
    const stored = view.recordInterviewerRun({
      runId: 'mine-1',
      kind: 'hidden-tests',
      problem: 0,
      language: 'python',
      code: env.candidate.text(0).toString(),
      output: [
        { stream: 'stdout', text: 'a' },
        { stream: 'stdout', text: 'b' },
      ],
      result: { status: 'ok', durationMs: 2, tests },
      tMs,
    })
    expect(view.state.runs).toMatchObject([
      {
        key: 'mine-1',
        side: 'interviewer',
        kind: 'hidden-tests',
        status: 'ok',
        output: [{ stream: 'stdout', text: 'ab' }],
        tMs,
      },
    ])
    await stored
    expect(await storedRuns()).toMatchObject([
      { runId: 'mine-1', side: 'interviewer', kind: 'hidden-tests', stdout: 'ab', tMs },
    ])
    env.candidate.deliver()
    const wire = JSON.stringify(env.candidate.received)
    expect(wire).not.toContain('negatives')
    expect(env.candidate.received.filter((f) => f.type.startsWith('run.'))).toEqual([])

    await expect(
      view.recordInterviewerRun({
        runId: 'mine-2',
        kind: 'run',
        problem: 9,
        language: 'python',
        code: '',
        output: [],
        result: { status: 'ok', durationMs: 1, tests: null },
        tMs,
      }),
    ).rejects.toThrow('This run cannot be stored.')
    expect(view.state.recordingTrouble).toContain('runs:')
  })

  it('shows the runs stored earlier when the view opens again, and takes up a run it left unfinished', async () => {
    const first = await open()
    await connect(first)
    env.candidate.send(started('old'))
    env.candidate.send(finished('old', { status: 'ok', durationMs: 1, tests: null }))
    env.candidate.send(started('cut'))
    env.candidate.send(out('cut', 'one\n'))
    await first.close()
    const closedMessage = 'The session view was closed before this run finished.'
    expect(await storedRuns()).toMatchObject([
      { runId: 'old', status: 'ok' },
      { runId: 'cut', status: 'stopped', message: closedMessage },
    ])

    const again = await open()
    expect(again.state.runs.map((r) => [r.key, r.status, r.message])).toEqual([
      ['old', 'ok', null],
      ['cut', 'stopped', closedMessage],
    ])
    env.candidate.setMode('direct')
    // The candidate's page kept the rest of the run while no view was open.
    env.candidate.send(out('cut', 'two\n'))
    env.candidate.send(finished('cut', { status: 'ok', durationMs: 5, tests: null }))
    env.candidate.send(started('new'))
    expect(again.state.runs.map((r) => [r.key, r.status])).toEqual([
      ['old', 'ok'],
      ['cut', 'ok'],
      ['new', 'running'],
    ])
    expect(again.state.runs[1]?.output).toEqual([{ stream: 'stdout', text: 'one\ntwo\n' }])
    await eventually(async () =>
      expect((await storedRuns()).map((r) => [r.runId, r.status, r.stdout])).toEqual([
        ['old', 'ok', ''],
        ['cut', 'ok', 'one\ntwo\n'],
      ]),
    )
    expect(again.state.droppedFrames).toBe(0)
  })

  it('after reopening, refuses a candidate start under an id that has ended, and stores nothing of it', async () => {
    const first = await open()
    await connect(first)
    env.candidate.send(started('done'))
    env.candidate.send(out('done', 'kept\n'))
    env.candidate.send(finished('done', { status: 'ok', durationMs: 4, tests: null }))
    await first.recordInterviewerRun({
      runId: 'mine',
      kind: 'run',
      problem: 0,
      language: 'python',
      code: 'print(2)\n',
      output: [],
      result: { status: 'ok', durationMs: 1, tests: null },
      tMs: 0,
    })
    await first.close()
    const before = await storedRuns()
    expect(before.map((r) => [r.runId, r.status, r.stdout])).toEqual([
      ['done', 'ok', 'kept\n'],
      ['mine', 'ok', ''],
    ])

    const again = await open()
    env.candidate.setMode('direct')
    for (const runId of ['done', 'mine']) {
      env.candidate.send(started(runId, { code: 'print("other")\n' }))
      env.candidate.send(out(runId, 'overwritten\n'))
      env.candidate.send(finished(runId, { status: 'error', durationMs: 9, tests: null }))
    }
    expect(again.state.droppedFrames).toBe(6)
    expect(again.state.runs.map((r) => [r.key, r.side, r.status])).toEqual([
      ['done', 'candidate', 'ok'],
      ['mine', 'interviewer', 'ok'],
    ])
    await again.close()
    expect(await storedRuns()).toEqual(before)
    expect((await marks()).map((m) => m.runId)).toEqual(['done', 'mine'])
  })

  it('stores a run whose tests printed 64 KB each, 80 of them, from either side, trimmed rather than refused', async () => {
    const tests: TestResult[] = Array.from({ length: 80 }, (_, i) => ({
      name: `case ${i}`,
      status: 'pass',
      expected: i,
      actual: i,
      stdout: `${i}:`.padEnd(64 * 1024, 'o'),
      durationMs: 1,
    }))
    const result: RunResult = { status: 'ok', durationMs: 50, tests }
    const view = await open()
    await connect(view)
    await view.recordInterviewerRun({
      runId: 'mine',
      kind: 'hidden-tests',
      problem: 0,
      language: 'python',
      code: 'print(1)\n',
      output: [],
      result,
      tMs: 0,
    })
    env.candidate.send(started('theirs', { kind: 'tests' }))
    env.candidate.send(runFinishedFrame('theirs', result))
    await eventually(async () => expect(await storedRuns()).toHaveLength(2))
    const [mine, theirs] = await storedRuns()
    expect(mine?.runId).toBe('mine')
    expect(mine?.testResults).toHaveLength(80)
    for (const [i, t] of (mine?.testResults ?? []).entries()) {
      expect(t).toEqual({ ...tests[i], stdout: `${i}:`.padEnd(4096, 'o') + '…[trimmed to be stored]' })
    }
    // The candidate's results were trimmed to fit the link, and that fits the store.
    expect(theirs?.runId).toBe('theirs')
    expect(theirs?.testResults).toHaveLength(80)
    expect(theirs?.testResults?.[7]?.stdout).toMatch(/^7:o+…\[trimmed to fit the link\]$/)
    expect(view.state.recordingTrouble).toBeNull()
  })
})
