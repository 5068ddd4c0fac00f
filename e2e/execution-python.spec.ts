import { expect, test } from './fixtures'
import { editorText, joinInContext, typeAtEnd } from './live'
import {
  createSessionOn,
  expectFinished,
  isCrossOriginIsolated,
  panelOutput,
  RUNTIME_LOAD_TIMEOUT_MS,
  runnerCounts,
  runTo,
  setCode,
  startRun,
  watchRunners,
} from './runs'

// The candidate opens the link as given: plain http on the LAN address, which is not a secure
// context, so not cross-origin isolated. input() reads the stdin box and Stop replaces the worker.

test('Python on the candidate page: print, a print without newline, input() from the stdin box, errors at editor lines, visible tests', async ({
  browser,
  page: host,
  bridge,
}) => {
  test.setTimeout(240_000)
  const link = await createSessionOn(host, bridge, 'python', 'compress-runs')
  const candidate = await joinInContext(await browser.newContext(), link)
  expect(await isCrossOriginIsolated(candidate)).toBe(false)
  await expect(candidate.getByTestId('cand-stdin')).toBeVisible()

  await setCode(candidate, 'cand-editor', "print('Hello from Python')\nprint(6 * 7)\n")
  await runTo(candidate, 'cand', 'ok', { timeout: RUNTIME_LOAD_TIMEOUT_MS })
  await expect.poll(() => panelOutput(candidate, 'cand')).toEqual({ stdout: 'Hello from Python\n42\n', stderr: '' })
  await expect(candidate.getByTestId('cand-status')).toHaveAttribute('data-duration-ms', /^\d+(\.\d+)?$/)

  await setCode(candidate, 'cand-editor', "print('no newline', end='')\nprint(' at all', end='')\n")
  await runTo(candidate, 'cand', 'ok')
  await expect.poll(() => panelOutput(candidate, 'cand')).toEqual({ stdout: 'no newline at all', stderr: '' })

  // Two lines in the box for two input() calls; a third call finds the box empty.
  await candidate.getByTestId('cand-stdin').fill('Ada\nLovelace')
  await setCode(
    candidate,
    'cand-editor',
    "first = input('First name? ')\nlast = input('Last name? ')\nprint(f'Hello, {first} {last}!')\ninput()\n",
  )
  await runTo(candidate, 'cand', 'error')
  const withInput = await panelOutput(candidate, 'cand')
  expect(withInput.stdout).toContain('Hello, Ada Lovelace!\n')
  expect(withInput.stderr).toContain('EOFError')
  expect(withInput.stderr).toContain('type what the program reads into the stdin box')

  const syntaxError = 'total = 0\nfor n in range(3):\n    total += n\nif total > 1\n    print(total)\n'
  await setCode(candidate, 'cand-editor', syntaxError)
  await runTo(candidate, 'cand', 'error')
  const syntax = await panelOutput(candidate, 'cand')
  expect(syntax.stdout).toBe('')
  expect(syntax.stderr).toContain('File "solution.py", line 4')
  expect(syntax.stderr).toContain('SyntaxError')
  expect((await editorText(candidate, 'cand-editor')).split('\n')[3]).toBe('if total > 1')

  const failing = 'def ratio(a, b):\n    return a / b\n\n\nprint(ratio(1, 2))\nprint(ratio(1, 0))\n'
  await setCode(candidate, 'cand-editor', failing)
  await runTo(candidate, 'cand', 'error')
  const traceback = await panelOutput(candidate, 'cand')
  expect(traceback.stdout).toBe('0.5\n')
  expect(traceback.stderr).toContain('File "solution.py", line 6, in <module>')
  expect(traceback.stderr).toContain('File "solution.py", line 2, in ratio')
  expect(traceback.stderr).toContain('ZeroDivisionError: division by zero')
  expect(traceback.stderr).not.toContain('<duet-')
  const lines = (await editorText(candidate, 'cand-editor')).split('\n')
  expect([lines[1], lines[5]]).toEqual(['    return a / b', 'print(ratio(1, 0))'])

  // Right for "abc" only: one visible test passes, two fail with expected and actual values.
  await setCode(candidate, 'cand-editor', "def compress_runs(text):\n    print('called with', text)\n    return text\n")
  await startRun(candidate, 'cand', 'run-tests')
  await expectFinished(candidate, 'cand', 'ok')
  await expect(candidate.getByTestId('cand-tests-summary')).toHaveText('1 of 3 tests passed')
  const tests = candidate.getByTestId('cand-test')
  await expect(tests).toHaveCount(3)
  expect(await tests.evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).toEqual([
    'fail',
    'pass',
    'fail',
  ])
  await expect(tests.nth(0).getByTestId('cand-test-name')).toHaveText('mixed runs')
  await expect(tests.nth(0).getByTestId('cand-test-diff')).toContainText('"a3bc2d4"')
  await expect(tests.nth(0).getByTestId('cand-test-diff')).toContainText('"aaabccdddd"')
  await expect(tests.nth(1).getByTestId('cand-test-stdout')).toHaveText('called with abc\n', { useInnerText: false })
})

test('Python on the candidate page: a runaway loop is stopped by replacing the worker, an output flood ends at the limit, the page and the code survive', async ({
  browser,
  page: host,
  bridge,
}) => {
  test.setTimeout(240_000)
  const link = await createSessionOn(host, bridge, 'python', 'compress-runs')
  const context = await browser.newContext()
  await watchRunners(context)
  const candidate = await joinInContext(context, link)

  // Were the program interrupted in place, its handler would print: a replaced worker runs nothing more.
  const runaway = [
    'try:',
    "    print('spinning')",
    '    while True:',
    '        pass',
    'except KeyboardInterrupt:',
    "    print('interrupted in place')",
    '    raise',
    '',
  ].join('\n')
  await setCode(candidate, 'cand-editor', runaway)
  await startRun(candidate, 'cand')
  await expect
    .poll(async () => (await panelOutput(candidate, 'cand')).stdout, { timeout: RUNTIME_LOAD_TIMEOUT_MS })
    .toBe('spinning\n')
  await expect(candidate.getByTestId('cand-status')).toHaveAttribute('data-status', 'running')
  expect(await runnerCounts(candidate, 'cand')).toEqual({ pythonWorkers: 1, loadings: 1 })

  // The loop runs in the worker: the page still takes keystrokes.
  await typeAtEnd(candidate, 'cand-editor', '# typed while it spins')
  await expect(candidate.getByTestId('cand-editor')).toContainText('# typed while it spins')

  await candidate.getByTestId('cand-stop').click()
  await expectFinished(candidate, 'cand', 'stopped')
  await expect(candidate.getByTestId('cand-message')).toHaveText('The run was stopped.')
  expect((await panelOutput(candidate, 'cand')).stdout).toBe('spinning\n')
  // Not isolated, so no interrupt: the worker was replaced and Python loads again in the new one.
  await expect.poll(() => runnerCounts(candidate, 'cand')).toEqual({ pythonWorkers: 2, loadings: 2 })
  expect(await editorText(candidate, 'cand-editor')).toBe(`${runaway}# typed while it spins`)

  await setCode(candidate, 'cand-editor', "print('after the stop')\n")
  await runTo(candidate, 'cand', 'ok', { timeout: RUNTIME_LOAD_TIMEOUT_MS })
  await expect.poll(() => panelOutput(candidate, 'cand')).toEqual({ stdout: 'after the stop\n', stderr: '' })

  const flood = "while True:\n    print('x' * 1000)\n"
  await setCode(candidate, 'cand-editor', flood)
  await runTo(candidate, 'cand', 'output-limit')
  await expect(candidate.getByTestId('cand-message')).toHaveText(
    'The program printed more than 1 MB, the output limit, so it was stopped.',
  )
  const flooded = await panelOutput(candidate, 'cand')
  expect(flooded.stdout).toMatch(/^[x\n]{1000,}$/)
  await typeAtEnd(candidate, 'cand-editor', '# typed after the flood')
  await expect(candidate.getByTestId('cand-editor')).toContainText('# typed after the flood')
  expect(await editorText(candidate, 'cand-editor')).toBe(`${flood}# typed after the flood`)

  await setCode(candidate, 'cand-editor', "print('still working')\n")
  await runTo(candidate, 'cand', 'ok', { timeout: RUNTIME_LOAD_TIMEOUT_MS })
  await expect.poll(() => panelOutput(candidate, 'cand')).toEqual({ stdout: 'still working\n', stderr: '' })
})
