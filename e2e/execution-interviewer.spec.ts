import { expect, test } from './fixtures'
import { editorText, joinInContext, typeAtEnd } from './live'
import {
  createSessionOn,
  expectFinished,
  hiddenTestPieces,
  readFrozenProblems,
  readRunMarks,
  readRuns,
  receivedFrames,
  recordDataChannels,
  RUNTIME_LOAD_TIMEOUT_MS,
  setCode,
  shownOutput,
  startRun,
} from './runs'

const SPINS = "print('tick')\nwhile True:\n    pass\n"
/** Right for every visible test; lower-cases the text, so the hidden "case-sensitive" test fails. */
const SOLUTION = [
  'from itertools import groupby',
  '',
  '',
  'def compress_runs(text):',
  '    parts = []',
  '    for char, run in groupby(text.lower()):',
  '        count = len(list(run))',
  "        parts.append(char if count == 1 else f'{char}{count}')",
  "    return ''.join(parts)",
  '',
].join('\n')
const BARRIER = '# the interviewer typed this last'

test("the interviewer watches the candidate's runs live and runs the hidden tests here; SQLite holds every run; no hidden test reaches the candidate", async ({
  browser,
  page: host,
  bridge,
}) => {
  test.setTimeout(240_000)
  const link = await createSessionOn(host, bridge, 'python', 'compress-runs')
  const context = await browser.newContext()
  await recordDataChannels(context)
  const relayedToCandidate: string[] = []
  context.on('page', (page) =>
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"relay"')) relayedToCandidate.push(String(payload))
      }),
    ),
  )
  const candidate = await joinInContext(context, link)
  await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', 'direct')
  await expect(host.getByTestId('session-connection')).toHaveAttribute('data-mode', 'direct')
  await expect(host.getByTestId('live-runs-empty')).toBeVisible()

  // A run streams to the interviewer while it is still going, and its end follows.
  await setCode(candidate, 'cand-editor', SPINS)
  await startRun(candidate, 'cand')
  const entries = host.getByTestId('live-entry')
  const newest = entries.first()
  await expect(newest).toHaveAttribute('data-status', 'running', { timeout: RUNTIME_LOAD_TIMEOUT_MS })
  await expect(newest).toHaveAttribute('data-side', 'candidate')
  await expect(newest).toHaveAttribute('data-kind', 'run')
  await expect
    .poll(() => shownOutput(newest.getByTestId('live-entry-output')), { timeout: RUNTIME_LOAD_TIMEOUT_MS })
    .toEqual({ stdout: 'tick\n', stderr: '' })
  await expect(newest).toHaveAttribute('data-status', 'running')
  await candidate.getByTestId('cand-stop').click()
  await expectFinished(candidate, 'cand', 'stopped')
  await expect(newest).toHaveAttribute('data-status', 'stopped')
  await expect(newest.getByTestId('live-entry-code')).toHaveText(SPINS, { useInnerText: false })

  await setCode(candidate, 'cand-editor', SOLUTION)
  await startRun(candidate, 'cand', 'run-tests')
  await expectFinished(candidate, 'cand', 'ok', RUNTIME_LOAD_TIMEOUT_MS)
  await expect(candidate.getByTestId('cand-tests-summary')).toHaveText('All 3 tests passed')
  await expect(entries).toHaveCount(2)
  await expect(newest).toHaveAttribute('data-kind', 'tests')
  await expect(newest).toHaveAttribute('data-status', 'ok')
  await expect(newest.getByTestId('live-entry-tests-summary')).toHaveText('All 3 tests passed')

  // The hidden tests run in the interviewer's own worker on the candidate's current code.
  await expect(host.getByTestId('session-editor')).toContainText("return ''.join(parts)")
  await startRun(host, 'live', 'run-hidden')
  await expectFinished(host, 'live', 'ok', RUNTIME_LOAD_TIMEOUT_MS)
  await expect(host.getByTestId('live-tests-summary')).toHaveText('4 of 5 hidden tests passed')
  const hiddenResults = host.getByTestId('live-test')
  expect(await hiddenResults.evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).toEqual([
    'pass',
    'pass',
    'fail',
    'pass',
    'pass',
  ])
  await expect(hiddenResults.nth(2).getByTestId('live-test-name')).toHaveText('case-sensitive')
  await expect(hiddenResults.nth(2).getByTestId('live-test-diff')).toContainText('"aAa2"')
  await expect(hiddenResults.nth(2).getByTestId('live-test-diff')).toContainText('"a4"')
  await expect(entries).toHaveCount(3)
  await expect(newest).toHaveAttribute('data-side', 'interviewer')
  await expect(newest).toHaveAttribute('data-kind', 'hidden-tests')
  await expect(newest.getByTestId('live-entry-tests-summary')).toHaveText('4 of 5 hidden tests passed')

  // The link is ordered: once the candidate sees what the interviewer typed last, every frame the
  // host sent before it has arrived.
  await host.getByTestId('session-coedit').check()
  await typeAtEnd(host, 'session-editor', BARRIER)
  await expect(candidate.getByTestId('cand-editor')).toContainText(BARRIER)

  const [problem] = readFrozenProblems(bridge.databasePath)
  if (!problem) throw new Error('the session has no problem')
  const visible = problem.tests.filter((t) => !t.hidden)
  const hidden = problem.tests.filter((t) => t.hidden)
  expect(hidden.map((t) => t.name)).toEqual([
    'empty string',
    'single character',
    'case-sensitive',
    'spaces count too',
    'run of one hundred',
  ])
  const shownToCandidate = [
    problem.title,
    problem.description,
    JSON.stringify(visible),
    ...Object.values(problem.starterCode),
    SPINS,
    SOLUTION,
    BARRIER,
  ].join('\n')
  const piecesByTest = hiddenTestPieces(problem, shownToCandidate)
  // Every hidden test has something left to look for, so the check below cannot pass vacuously.
  expect([...piecesByTest].filter(([, found]) => found.length === 0).map(([name]) => name)).toEqual([])
  const pieces = [...piecesByTest.values()].flat()
  expect(pieces).toEqual(
    expect.arrayContaining(['["aAaa"]', '"aAa2"', '" 2x2 2"', '"b100c"', 'empty string', 'run of one hundred']),
  )

  const received = await receivedFrames(candidate)
  const types = new Set(received.frames.map((f) => f.type))
  expect([...types]).toEqual(expect.arrayContaining(['session.info', 'session.state', 'sync', 'awareness']))
  // The recorder sees real content: the problem with its visible tests, and decoded edits.
  const info = received.raw.find((text) => text.includes('"session.info"')) ?? ''
  expect(info).toContain(JSON.stringify(visible[0]?.args))
  expect(received.document.texts['problem:0']).toBe(`${SOLUTION}${BARRIER}`)
  expect(await editorText(candidate, 'cand-editor')).toBe(`${SOLUTION}${BARRIER}`)
  // Nothing came another way: no frame was relayed through the signaling server.
  expect(relayedToCandidate).toEqual([])

  const page = `${await candidate.content()}\n${await candidate.locator('body').innerText()}`
  for (const piece of pieces) {
    for (const text of [...received.raw, ...received.decoded, received.document.state]) {
      expect(text).not.toContain(piece)
    }
    expect(page).not.toContain(piece)
  }
  await expect(host.getByTestId('live-run-panel')).toContainText('case-sensitive')

  // The recording: every run of both sides, and a `run` mark for each on the timeline.
  await expect.poll(() => readRuns(bridge.databasePath).length).toBe(3)
  const [spun, visibleRun, hiddenRun] = readRuns(bridge.databasePath)
  expect(spun).toMatchObject({
    side: 'candidate',
    kind: 'run',
    language: 'python',
    status: 'stopped',
    code: SPINS,
    stdout: 'tick\n',
    stderr: '',
    tests: null,
    problem: 0,
  })
  expect(visibleRun).toMatchObject({ side: 'candidate', kind: 'tests', status: 'ok', code: SOLUTION })
  expect(visibleRun?.tests?.map((t) => [t.name, t.status])).toEqual(visible.map((t) => [t.name, 'pass']))
  expect(hiddenRun).toMatchObject({ side: 'interviewer', kind: 'hidden-tests', status: 'ok', code: SOLUTION })
  expect(hiddenRun?.tests?.map((t) => t.name)).toEqual(hidden.map((t) => t.name))
  expect(hiddenRun?.tests?.[2]).toMatchObject({ status: 'fail', expected: 'aAa2', actual: 'a4' })
  for (const run of [spun, visibleRun, hiddenRun]) expect(run?.duration_ms).toEqual(expect.any(Number))

  const marks = readRunMarks(bridge.databasePath)
  for (const run of [spun, visibleRun, hiddenRun]) {
    const last = marks.filter((mark) => mark.runId === run?.run_id).at(-1)
    expect(last).toEqual({ runId: run?.run_id, side: run?.side, kind: run?.kind, status: run?.status })
  }
})
