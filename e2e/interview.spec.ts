import { join } from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { expect, test } from './fixtures'
import { joinAsCandidate, readInterview, secondsOf, typeAtEnd } from './live'
import { RUNTIME_LOAD_TIMEOUT_MS } from './runs'

const NOTE = 'Talked through the edge cases before writing any code'
const SECOND_NOTE = 'Forgot to handle an empty list'
const SUMMARY = 'Clear thinking, tested as she went. Worth a second round.'

interface ScrollingDocument {
  document: { querySelector(selector: string): { scrollHeight: number } | null }
}

/**
 * Screenshots for the record: into DUET_SCREENSHOT_DIR when set, else the test's output folder.
 * The app scrolls inside its `main`, so the viewport grows to that content's height for the shot.
 */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.DUET_SCREENSHOT_DIR
  const size = page.viewportSize() ?? { width: 1280, height: 720 }
  const height = await page.evaluate(() => {
    const { document } = globalThis as unknown as ScrollingDocument
    return document.querySelector('main')?.scrollHeight ?? 0
  })
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 3000) })
  await page.screenshot({ path: dir ? join(dir, `duet-f-${name}.png`) : testInfo.outputPath(`${name}.png`) })
  await page.setViewportSize(size)
}

/** Picks a star or a choice as a person does: the radio itself is visually hidden inside its label. */
async function choose(page: Page, testId: string): Promise<void> {
  await page.locator('label', { has: page.getByTestId(testId) }).click()
  await expect(page.getByTestId(testId)).toBeChecked()
}

/** Creates a Python session with `count` junior problems and a 30-minute limit, through the form. */
async function createTimedSession(host: Page, bridgeUrl: string, count: number): Promise<string> {
  await host.goto(bridgeUrl)
  await host.getByTestId('nav-sessions').click()
  await host.getByTestId('session-new').click()
  await host.getByTestId('session-candidate').fill('Ada Lovelace')
  await host.getByTestId('session-language').selectOption('python')
  await host.getByTestId('session-time-limit').fill('30')
  await host.getByTestId('session-mode-random').check()
  await host.getByTestId('session-difficulty').selectOption('junior')
  await host.getByTestId('session-count').selectOption(String(count))
  await host.getByTestId('session-create').click()
  return (await host.getByTestId('session-link').textContent())?.trim() ?? ''
}

const clockOf = async (page: Page, testId: string): Promise<number> =>
  secondsOf((await page.getByTestId(testId).textContent()) ?? '')

test('a whole interview: timed on both sides, a private note, the end, the thank-you page and a saved evaluation', async ({
  browser,
  page: host,
  bridge,
}, testInfo) => {
  test.setTimeout(180_000)
  await host.setViewportSize({ width: 1400, height: 1000 })

  const link = await createTimedSession(host, bridge.url, 2)
  await expect(host.getByTestId('session-timer')).toHaveAttribute('data-level', 'waiting')
  await expect(host.getByTestId('session-timer-clock')).toHaveText('30:00')

  // The clock starts when the candidate joins, and runs down on both sides together.
  const candidate = await joinAsCandidate(browser, link)
  await expect(host.getByTestId('session-timer')).toHaveAttribute('data-level', 'running')
  await expect(candidate.getByTestId('cand-timer')).toHaveAttribute('data-level', 'running')
  const hostStart = await clockOf(host, 'session-timer-clock')
  const candidateStart = await clockOf(candidate, 'cand-timer-clock')
  for (const start of [hostStart, candidateStart]) {
    expect(start).toBeGreaterThan(29 * 60)
    expect(start).toBeLessThanOrEqual(30 * 60)
  }
  await expect.poll(() => clockOf(host, 'session-timer-clock')).toBeLessThan(hostStart)
  await expect.poll(() => clockOf(candidate, 'cand-timer-clock')).toBeLessThan(candidateStart)
  // Both read the host's clock: read one after the other, they are at most a tick or two apart.
  const [hostNow, candidateNow] = [
    await clockOf(host, 'session-timer-clock'),
    await clockOf(candidate, 'cand-timer-clock'),
  ]
  expect(Math.abs(hostNow - candidateNow)).toBeLessThanOrEqual(2)

  // The candidate writes and runs code.
  await typeAtEnd(candidate, 'cand-editor', "\n# interview_marker_code\nprint('hello from the interview')")
  await expect(host.getByTestId('session-editor')).toContainText('interview_marker_code')
  await candidate.getByTestId('cand-run').click()
  await expect(candidate.getByTestId('cand-status')).toHaveAttribute('data-status', 'ok', {
    timeout: RUNTIME_LOAD_TIMEOUT_MS,
  })
  await expect(candidate.getByTestId('cand-output-text')).toContainText('hello from the interview')

  // A private note, stamped with the session time and the problem.
  const problemTitle = (await host.getByTestId('session-problem-title').textContent())?.trim() ?? ''
  await host.getByTestId('note-draft').fill(NOTE)
  await expect(host.getByTestId('note-draft-stamp')).toContainText(`· 1. ${problemTitle}`)
  await host.getByTestId('note-add').click()
  await expect(host.getByTestId('note-text')).toHaveText(NOTE)
  await expect(host.getByTestId('note-stamp')).toHaveText(new RegExp(`^\\d+:\\d\\d · 1\\. ${problemTitle}$`))
  await expect(host.getByTestId('note-draft')).toHaveValue('')
  // A second note, rewritten and then deleted: notes change in place, after a confirmation for deleting.
  await host.getByTestId('note-draft').fill(SECOND_NOTE)
  await host.getByTestId('note-add').click()
  await expect(host.getByTestId('note-text')).toHaveText([NOTE, SECOND_NOTE])
  await host.getByTestId('note').nth(1).getByTestId('note-edit').click()
  await host.getByTestId('note-edit-text').fill(`${SECOND_NOTE} (caught it later)`)
  await screenshot(host, testInfo, 'note-edit')
  await host.getByTestId('note-edit-save').click()
  await expect(host.getByTestId('note-text')).toHaveText([NOTE, `${SECOND_NOTE} (caught it later)`])
  await host.getByTestId('note').nth(1).getByTestId('note-delete').click()
  const notes = host.getByTestId('notes-panel')
  await expect(notes.getByTestId('confirm-dialog')).toContainText(`${SECOND_NOTE} (caught it later)`)
  await notes.getByTestId('confirm-yes').click()
  await expect(host.getByTestId('note-text')).toHaveText([NOTE])
  await screenshot(host, testInfo, 'live-view')
  await screenshot(candidate, testInfo, 'candidate-session')
  await expect(candidate.locator('body')).not.toContainText('edge cases')

  // The interviewer ends the interview; the candidate is thanked, with their code and nothing left to edit.
  await host.getByTestId('session-end').click()
  await host.getByTestId('confirm-yes').click()
  await expect(host.getByTestId('session-ended')).toBeVisible()
  await expect(candidate.getByTestId('cand-thanks-title')).toHaveText('Thank you, Ada Lovelace!')
  await expect(candidate.getByTestId('cand-thanks-duration')).toHaveText(/minute/)
  await expect(candidate.getByTestId('cand-thanks-problems')).toHaveText('1 of 2')
  await expect(candidate.getByTestId('cand-thanks-runs')).toHaveText('1 run')
  await expect(candidate.getByTestId('cand-thanks-problem').locator('h2')).toHaveText(`1. ${problemTitle}`)
  await expect(candidate.getByTestId('cand-thanks-code')).toContainText("print('hello from the interview')")
  await expect(candidate.getByTestId('cand-editor')).toHaveCount(0)
  await expect(candidate.getByTestId('cand-run')).toHaveCount(0)
  // The page is plain http on the LAN, where browsers offer no clipboard API: the code is selected instead.
  await candidate.getByTestId('cand-thanks-copy').click()
  await expect(candidate.getByTestId('cand-thanks-copy-state')).toHaveText(/Copied|press Ctrl\+C/)
  const selected = await candidate.evaluate(() => {
    const page = globalThis as unknown as { getSelection(): { toString(): string } | null }
    return page.getSelection()?.toString() ?? ''
  })
  expect(selected).toContain('interview_marker_code')
  await screenshot(candidate, testInfo, 'thank-you')
  await expect(host.getByTestId('session-evaluate')).toBeVisible()
  await screenshot(host, testInfo, 'live-view-ended')

  // The evaluation, through the view the live page links to.
  await host.getByTestId('session-evaluate').click()
  await expect(host.getByTestId('evaluation-heading')).toHaveText('Evaluation of Ada Lovelace')
  await choose(host, 'evaluation-stars-0-4')
  await host.getByTestId('evaluation-comment-0').fill('Solid, with a test for the empty input.')
  await choose(host, 'evaluation-stars-1-2')
  for (const [index, score] of [3, 4, 3, 2].entries()) {
    await choose(host, `evaluation-score-${index}-${score}`)
  }
  await choose(host, 'evaluation-recommendation-yes')
  await host.getByTestId('evaluation-summary').fill(SUMMARY)
  await expect(host.getByTestId('evaluation-save-state')).toHaveText('Saved')
  await host.getByTestId('evaluation-complete').click()
  await expect(host.getByTestId('evaluation-state')).toContainText('Complete since')
  await screenshot(host, testInfo, 'evaluation')

  // Everything is in the SQLite file.
  const stored = readInterview(bridge.databasePath)
  expect(stored.session).toMatchObject({ status: 'ended', time_limit_ms: 30 * 60_000 })
  expect(stored.notes.map((note) => [note.problem, note.body])).toEqual([[0, NOTE]])
  expect(stored.notes[0]?.t_ms).toBeGreaterThan(0)
  expect(stored.evaluation).toMatchObject({ recommendation: 'yes', summary: SUMMARY })
  expect(stored.evaluation?.submitted_at).toEqual(expect.any(String))
  expect(JSON.parse(stored.evaluation?.rubric ?? '[]')).toEqual([
    { label: 'Problem solving', score: 3 },
    { label: 'Code quality', score: 4 },
    { label: 'Communication', score: 3 },
    { label: 'Testing', score: 2 },
  ])
  expect(stored.stars).toEqual([
    { position: 0, stars: 4, comment: 'Solid, with a test for the empty input.' },
    { position: 1, stars: 2, comment: '' },
  ])
})

test('ending from the sessions list, with no live view open, still thanks a candidate who is waiting', async ({
  browser,
  page: host,
  bridge,
}, testInfo) => {
  test.setTimeout(120_000)
  const link = await createTimedSession(host, bridge.url, 1)
  const candidate = await joinAsCandidate(browser, link)
  await expect(host.getByTestId('session-presence')).toHaveAttribute('data-online', 'true')

  // The interviewer leaves the live view: the link closes, the candidate waits for them to come back.
  await host.getByTestId('nav-sessions').click()
  await expect(candidate.getByTestId('cand-connection')).not.toHaveAttribute('data-mode', /direct|relayed/)
  const row = host.getByTestId('session-row').filter({ hasText: 'Ada Lovelace' })
  await row.getByTestId('session-row-end').click()
  await host.getByTestId('confirm-yes').click()
  await expect(row.getByTestId('session-status')).toHaveText('Ended')
  await expect(host.getByTestId('sessions-action-error')).toHaveCount(0)

  await expect(candidate.getByTestId('cand-thanks-title')).toHaveText('Thank you, Ada Lovelace!')
  await expect(candidate.getByTestId('cand-editor')).toHaveCount(0)
  await screenshot(host, testInfo, 'ended-from-list')
  await screenshot(candidate, testInfo, 'thank-you-after-list-end')
  // The link is spent: opening it again says so instead of offering to join.
  const again = await browser.newPage()
  await again.goto(link)
  await expect(again.getByTestId('cand-error')).toHaveAttribute('data-code', 'expired')
  await expect(again.getByTestId('cand-join-button')).toHaveCount(0)
})

test('the countdown follows the interviewer’s clock: warnings and time-up on both sides, then more time', async ({
  browser,
  page: host,
  bridge,
}, testInfo) => {
  test.setTimeout(120_000)
  // Only the interviewer's page gets a clock that can jump; the candidate's page learns of it
  // from the next ping's answer.
  await host.clock.install()
  const link = await createTimedSession(host, bridge.url, 1)
  const candidate = await joinAsCandidate(browser, link)
  await expect(host.getByTestId('session-timer')).toHaveAttribute('data-level', 'running')
  await expect(candidate.getByTestId('cand-timer')).toHaveAttribute('data-level', 'running')

  await host.clock.fastForward('28:30')
  await expect(host.getByTestId('session-timer-notice')).toHaveText('Less than 2 minutes left')
  // Pings go every 10 seconds.
  const followed = { timeout: 20_000 }
  await expect(candidate.getByTestId('cand-timer-notice')).toHaveText('Less than 2 minutes left', followed)
  await expect(candidate.getByTestId('cand-timer')).toHaveAttribute('data-level', 'final-warning')

  await host.clock.fastForward('02:00')
  await expect(host.getByTestId('time-up')).toBeVisible()
  await expect(host.getByTestId('session-timer-clock')).toHaveText('0:00')
  await expect(candidate.getByTestId('cand-time-up')).toBeVisible(followed)
  await expect(candidate.getByTestId('cand-timer-notice')).toHaveText('Time is up')
  await expect(candidate.getByTestId('cand-timer-clock')).toHaveText('0:00')
  await typeAtEnd(candidate, 'cand-editor', '\n# still_typing_after_time')
  await expect(host.getByTestId('session-editor')).toContainText('still_typing_after_time')
  await screenshot(host, testInfo, 'time-up-live-view')
  await screenshot(candidate, testInfo, 'time-up-candidate')

  await host.getByTestId('time-extend-10').click()
  await expect(host.getByTestId('time-up')).toHaveCount(0)
  await expect(candidate.getByTestId('cand-time-up')).toHaveCount(0)
  await expect(host.getByTestId('session-timer-notice')).toHaveText(/^Time extended: \d+ minutes left$/)
  await expect(candidate.getByTestId('cand-timer-notice')).toHaveText(/^Time extended: \d+ minutes left$/)
  const [hostLeft, candidateLeft] = [
    await clockOf(host, 'session-timer-clock'),
    await clockOf(candidate, 'cand-timer-clock'),
  ]
  expect(hostLeft).toBeGreaterThan(0)
  expect(Math.abs(hostLeft - candidateLeft)).toBeLessThanOrEqual(2)
})
