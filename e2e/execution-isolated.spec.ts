import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { editorText, joinInContext } from './live'
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
  waitForQuietRunners,
  watchRunners,
  type RunPanelPrefix,
} from './runs'

// On a cross-origin isolated page (localhost is a secure context, and both servers send COOP and
// COEP) Python shares memory with its worker: input() asks in the console while the program
// runs, and Stop interrupts the program in place instead of replacing the worker.

const ASKS = "name = input('Your name? ')\nprint(f'Hello, {name}!')\n"
/** Only an interrupt delivered in place reaches the handler: a replaced worker runs nothing more. */
const SPINS = [
  'try:',
  "    print('spinning')",
  '    while True:',
  '        pass',
  'except KeyboardInterrupt:',
  "    print('interrupted in place')",
  '    raise',
  '',
].join('\n')

/** input() waits for a line typed into the console, then the program goes on with it. */
async function answersInputInTheConsole(page: Page, prefix: RunPanelPrefix, editor: string): Promise<void> {
  await setCode(page, editor, ASKS)
  await startRun(page, prefix)
  const field = page.getByTestId(`${prefix}-input`)
  await expect(field).toBeVisible({ timeout: RUNTIME_LOAD_TIMEOUT_MS })
  await expect(field).toBeFocused()
  await expect.poll(() => panelOutput(page, prefix)).toEqual({ stdout: 'Your name? ', stderr: '' })
  await expect(page.getByTestId(`${prefix}-status`)).toHaveAttribute('data-status', 'running')
  await field.fill('Grace')
  await field.press('Enter')
  await expectFinished(page, prefix, 'ok')
  await expect
    .poll(() => panelOutput(page, prefix))
    .toEqual({ stdout: 'Your name? Grace\nHello, Grace!\n', stderr: '' })
  await expect(page.getByTestId(`${prefix}-input-line`)).toHaveCount(0)
}

/**
 * Stop raises KeyboardInterrupt inside the running program, which says so; later runs work. The
 * browser's pages are let finish loading their runtimes first (`quiet`).
 */
async function interruptsARunawayLoop(
  page: Page,
  prefix: RunPanelPrefix,
  editor: string,
  quiet: readonly Page[],
): Promise<void> {
  await setCode(page, editor, SPINS)
  await waitForQuietRunners(...quiet)
  await startRun(page, prefix)
  await expect.poll(async () => (await panelOutput(page, prefix)).stdout).toBe('spinning\n')
  await expect(page.getByTestId(`${prefix}-status`)).toHaveAttribute('data-status', 'running')
  await page.getByTestId(`${prefix}-stop`).click()
  await expectFinished(page, prefix, 'stopped')
  await expect(page.getByTestId(`${prefix}-message`)).toHaveText('The run was stopped.')
  expect((await panelOutput(page, prefix)).stdout).toBe('spinning\ninterrupted in place\n')
  expect(await editorText(page, editor)).toBe(SPINS)

  await setCode(page, editor, "print('after the interrupt')\n")
  await runTo(page, prefix, 'ok', { timeout: RUNTIME_LOAD_TIMEOUT_MS })
  await expect.poll(() => panelOutput(page, prefix)).toEqual({ stdout: 'after the interrupt\n', stderr: '' })
}

test('Python on the candidate page opened on localhost: input() answered in the console, Stop interrupts in place', async ({
  browser,
  page: host,
  bridge,
}) => {
  test.setTimeout(180_000)
  await watchRunners(host.context())
  const link = new URL(await createSessionOn(host, bridge, 'python', 'compress-runs'))
  link.hostname = '127.0.0.1'
  const context = await browser.newContext()
  await watchRunners(context)
  const candidate = await joinInContext(context, link.toString())
  expect(await isCrossOriginIsolated(candidate)).toBe(true)
  await expect(candidate.getByTestId('cand-stdin')).toHaveCount(0)

  await answersInputInTheConsole(candidate, 'cand', 'cand-editor')
  // The page keeps one interpreter: the stop neither replaced it nor loaded Python again.
  const before = await runnerCounts(candidate, 'cand')
  expect(before).toEqual({ pythonWorkers: 1, loadings: 1 })
  await interruptsARunawayLoop(candidate, 'cand', 'cand-editor', [candidate, host])
  expect(await runnerCounts(candidate, 'cand')).toEqual(before)
})

// The app gives every Python run an interpreter of its own, so there the program's own output
// is what tells an interrupt from a replaced worker.
test("Python in the interviewer's own panel: input() answered in the console, Stop interrupts in place", async ({
  page: host,
  bridge,
}) => {
  test.setTimeout(180_000)
  await watchRunners(host.context())
  await createSessionOn(host, bridge, 'python', 'compress-runs')
  expect(await isCrossOriginIsolated(host)).toBe(true)
  await expect(host.getByTestId('live-stdin')).toHaveCount(0)
  await host.getByTestId('session-coedit').check()
  await expect(host.getByTestId('session-editor')).toHaveAttribute('data-read-only', 'false')

  await answersInputInTheConsole(host, 'live', 'session-editor')
  await interruptsARunawayLoop(host, 'live', 'session-editor', [host])
})
