import { expect, test } from './fixtures'
import { editorText, joinInContext, typeAtEnd } from './live'
import { createSessionOn, expectFinished, isCrossOriginIsolated, panelOutput, runTo, setCode, startRun } from './runs'

test("JavaScript on the candidate page: console streams, an uncaught error, a rejection and a syntax error at editor lines, await, a runaway loop stopped, visible tests, a burst then a hang stopped on the interviewer's page with all its output", async ({
  browser,
  page: host,
  bridge,
}) => {
  test.setTimeout(120_000)
  const link = await createSessionOn(host, bridge, 'javascript', 'compress-runs')
  const candidate = await joinInContext(await browser.newContext(), link)
  // JavaScript programs read no input: there is no stdin box.
  await expect(candidate.getByTestId('cand-stdin')).toHaveCount(0)

  await setCode(
    candidate,
    'cand-editor',
    "console.log('to stdout', 6 * 7)\nconsole.error('to stderr')\nconsole.log({ a: [1, 'two'] })\n",
  )
  await runTo(candidate, 'cand', 'ok')
  await expect
    .poll(() => panelOutput(candidate, 'cand'))
    .toEqual({ stdout: "to stdout 42\n{ a: [ 1, 'two' ] }\n", stderr: 'to stderr\n' })
  const streams = await candidate
    .getByTestId('cand-output-text')
    .locator('.chunk')
    .evaluateAll((chunks) => chunks.map((chunk) => chunk.getAttribute('data-stream')))
  expect(streams).toEqual(['stdout', 'stderr', 'stdout'])

  const throwing = "function explode() {\n  throw new Error('kaboom')\n}\nconsole.log('before')\nexplode()\n"
  await setCode(candidate, 'cand-editor', throwing)
  await runTo(candidate, 'cand', 'error')
  const uncaught = await panelOutput(candidate, 'cand')
  expect(uncaught.stdout).toBe('before\n')
  expect(uncaught.stderr).toContain('Uncaught Error: kaboom')
  expect(uncaught.stderr).toMatch(/at explode \(solution\.js:2:\d+\)/)
  expect(uncaught.stderr).toMatch(/solution\.js:5:\d+/)
  expect((await editorText(candidate, 'cand-editor')).split('\n')[1]).toBe("  throw new Error('kaboom')")

  // A rejection nobody handles is reported where it was thrown; the code after the call ran.
  const rejecting =
    "async function load() {\n  await null\n  throw new Error('not found')\n}\nload()\nconsole.log('carries on')\n"
  await setCode(candidate, 'cand-editor', rejecting)
  await runTo(candidate, 'cand', 'error')
  const rejected = await panelOutput(candidate, 'cand')
  expect(rejected.stdout).toBe('carries on\n')
  expect(rejected.stderr).toContain('Uncaught (in promise) Error: not found')
  expect(rejected.stderr).toMatch(/at load \(solution\.js:3:\d+\)/)

  // Top-level await: the run lasts until the awaited timer has fired.
  await setCode(
    candidate,
    'cand-editor',
    "const later = (ms) => new Promise((resolve) => setTimeout(() => resolve('after ' + ms + ' ms'), ms))\nconsole.log('start')\nconsole.log(await later(50))\n",
  )
  await runTo(candidate, 'cand', 'ok')
  await expect.poll(() => panelOutput(candidate, 'cand')).toEqual({ stdout: 'start\nafter 50 ms\n', stderr: '' })

  const broken = "console.log('never runs')\nconst total = 1\nconst = 2\n"
  await setCode(candidate, 'cand-editor', broken)
  await runTo(candidate, 'cand', 'error')
  const syntax = await panelOutput(candidate, 'cand')
  expect(syntax.stdout).toBe('')
  expect(syntax.stderr).toMatch(/^solution\.js:3:\d+\nconst = 2\n/)
  expect(syntax.stderr).toContain('SyntaxError')
  expect((await editorText(candidate, 'cand-editor')).split('\n')[2]).toBe('const = 2')

  const runaway = "console.log('spinning')\nwhile (true) {}\n"
  await setCode(candidate, 'cand-editor', runaway)
  await startRun(candidate, 'cand')
  await expect.poll(async () => (await panelOutput(candidate, 'cand')).stdout).toBe('spinning\n')
  await expect(candidate.getByTestId('cand-status')).toHaveAttribute('data-status', 'running')
  await typeAtEnd(candidate, 'cand-editor', '// typed while it spins')
  await expect(candidate.getByTestId('cand-editor')).toContainText('// typed while it spins')
  await candidate.getByTestId('cand-stop').click()
  await expectFinished(candidate, 'cand', 'stopped')
  await expect(candidate.getByTestId('cand-message')).toHaveText('The run was stopped.')
  expect(await editorText(candidate, 'cand-editor')).toBe(`${runaway}// typed while it spins`)

  await setCode(
    candidate,
    'cand-editor',
    'function compress_runs(text) {\n  return text.replace(/(.)\\1+/g, (run, char) => char + run.length)\n}\n',
  )
  await startRun(candidate, 'cand', 'run-tests')
  await expectFinished(candidate, 'cand', 'ok')
  await expect(candidate.getByTestId('cand-tests-summary')).toHaveText('All 3 tests passed')
  expect(
    await candidate
      .getByTestId('cand-test')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-status'))),
  ).toEqual(['pass', 'pass', 'pass'])

  // The interviewer runs the candidate's code on a cross-origin isolated page. A burst of output
  // and then a loop that never yields: the worker held back most of the burst and can never post
  // it, so Stop reads it from the memory the page shares with the worker.
  const burst = "for (let i = 0; i < 200; i++) console.log('line ' + i)\nwhile (true) {}\n"
  await setCode(candidate, 'cand-editor', burst)
  await expect(host.getByTestId('session-editor')).toContainText('while (true) {}')
  expect(await isCrossOriginIsolated(host)).toBe(true)
  await startRun(host, 'live')
  await expect.poll(async () => (await panelOutput(host, 'live')).stdout).toMatch(/^line 0\n/)
  await expect(host.getByTestId('live-status')).toHaveAttribute('data-status', 'running')
  await host.getByTestId('live-stop').click()
  await expectFinished(host, 'live', 'stopped')
  const everyLine = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('')
  await expect.poll(async () => (await panelOutput(host, 'live')).stdout).toBe(everyLine)
})
