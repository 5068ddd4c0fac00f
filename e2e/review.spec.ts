import { readFileSync } from 'node:fs'
import type { Download, Page } from '@playwright/test'
import { startBridgeProcess } from './bridge'
import { expect, test } from './fixtures'
import { editorText, joinInContext, typeAtEnd } from './live'
import {
  allowOnlyOrigin,
  createSessionFor,
  eventCounts,
  htmlEscaped,
  monacoText,
  pasteAtEnd,
  rowsMentioning,
  rowsNaming,
  screenshot,
  sessionIdIn,
  sessionNotes,
  sessionRuns,
  switchTabAndBack,
  unreachable,
} from './review'
import { RUNTIME_LOAD_TIMEOUT_MS } from './runs'

const CANDIDATE = 'Katherine Johnson'
const OTHER_CANDIDATE = 'Grace Hopper'
const NOTE = 'Pasted a helper instead of writing it: asked her to walk through it'
const RUN_MARKER = 'review_e2e_ran_this'
// More than 100 characters: the candidate's page reports the paste, the replay marks it.
const PASTED = [
  '',
  'def review_e2e_helper(values):',
  '    # copied from somewhere else, long enough to count as a large paste',
  '    return [v for v in values if v is not None]',
  '',
].join('\n')

/** Clicks `button` and waits for the file it downloads. */
async function downloadOf(page: Page, testId: string): Promise<Download> {
  const downloading = page.waitForEvent('download')
  await page.getByTestId(testId).click()
  return downloading
}

async function downloadedText(download: Download): Promise<string> {
  return readFileSync(await download.path(), 'utf8')
}

/** Each problem's final code on the review page equals `finals`. */
async function expectFinalCode(page: Page, finals: readonly string[]): Promise<void> {
  const editors = page.getByTestId('review-problem-code')
  await expect(editors).toHaveCount(finals.length)
  for (const [index, code] of finals.entries()) {
    await expect.poll(() => monacoText(editors.nth(index))).toBe(code)
  }
}

test('a recorded interview reviewed with the network cut off: history, replay, every report, a bundle out and back in', async ({
  browser,
  page: host,
  bridge,
}, testInfo) => {
  test.setTimeout(240_000)
  await host.setViewportSize({ width: 1400, height: 1000 })
  // The interviewer's clock stamps the recording; it runs as usual until the test moves it on.
  await host.clock.install()

  // Another interview, never held: the search below must tell the two apart.
  await createSessionFor(host, bridge.url, OTHER_CANDIDATE, 1)
  const link = await createSessionFor(host, bridge.url, CANDIDATE, 2)
  const sessionId = sessionIdIn(host.url())
  const titles = [(await host.getByTestId('session-problem-title').textContent())?.trim() ?? '']
  const candidateContext = await browser.newContext()
  const candidate = await joinInContext(candidateContext, link, CANDIDATE)
  await expect(host.getByTestId('session-presence')).toHaveAttribute('data-online', 'true')
  await expect(candidate.getByTestId('cand-problem-title')).toHaveText(titles[0] ?? '')
  const stored = (): Record<string, number> => eventCounts(bridge.databasePath, sessionId)

  // Problem 1: the candidate writes a line and runs the code.
  await typeAtEnd(candidate, 'cand-editor', `\nprint('${RUN_MARKER}')`)
  await expect(host.getByTestId('session-editor')).toContainText(RUN_MARKER)
  const ranCode = await editorText(candidate, 'cand-editor')
  await candidate.getByTestId('cand-run').click()
  await expect(candidate.getByTestId('cand-status')).toHaveAttribute('data-status', 'ok', {
    timeout: RUNTIME_LOAD_TIMEOUT_MS,
  })
  await expect(candidate.getByTestId('cand-output-text')).toContainText(RUN_MARKER)
  await expect.poll(() => sessionRuns(bridge.databasePath, sessionId).length).toBe(1)

  // A large paste, then a look at another tab and back.
  await pasteAtEnd(candidate, 'cand-editor', PASTED)
  await expect.poll(() => editorText(candidate, 'cand-editor')).toBe(`${ranCode}${PASTED}`)
  await expect.poll(() => stored()['paste'] ?? 0).toBe(1)
  await switchTabAndBack(candidate, () => expect.poll(() => stored()['focus-lost'] ?? 0).toBe(1))
  await expect.poll(() => stored()['focus-gained'] ?? 0).toBe(1)

  // A private note, then problem 2 and back to problem 1, typing on each.
  await host.getByTestId('note-draft').fill(NOTE)
  await host.getByTestId('note-add').click()
  await expect(host.getByTestId('note-text')).toHaveText([NOTE])
  // Nobody does anything for eight seconds, by the interviewer's clock: an idle gap for the replay to skip.
  await host.clock.fastForward('00:08')
  await host.getByTestId('session-next').click()
  await expect(host.getByTestId('session-problem-title')).not.toHaveText(titles[0] ?? '')
  titles.push((await host.getByTestId('session-problem-title').textContent())?.trim() ?? '')
  await expect(candidate.getByTestId('cand-problem-title')).toHaveText(titles[1] ?? '')
  await typeAtEnd(candidate, 'cand-editor', '\n# second_problem_typed')
  await expect(host.getByTestId('session-editor')).toContainText('second_problem_typed')
  const secondFinal = await editorText(candidate, 'cand-editor')
  expect(secondFinal.endsWith('\n# second_problem_typed')).toBe(true)
  const secondStart = secondFinal.slice(0, -'\n# second_problem_typed'.length)
  await expect.poll(() => editorText(host, 'session-editor')).toBe(secondFinal)
  await host.getByTestId('session-prev').click()
  await expect(candidate.getByTestId('cand-problem-title')).toHaveText(titles[0] ?? '')
  await typeAtEnd(candidate, 'cand-editor', '\n# back_on_the_first')
  await expect(host.getByTestId('session-editor')).toContainText('back_on_the_first')
  const firstFinal = await editorText(candidate, 'cand-editor')
  await expect.poll(() => editorText(host, 'session-editor')).toBe(firstFinal)
  const finals = [firstFinal, secondFinal]
  expect(firstFinal).not.toBe(ranCode)

  await host.getByTestId('session-end').click()
  await host.getByTestId('confirm-yes').click()
  await expect(host.getByTestId('session-ended')).toBeVisible()
  await expect(candidate.getByTestId('cand-thanks-title')).toHaveText(`Thank you, ${CANDIDATE}!`)
  const [run] = sessionRuns(bridge.databasePath, sessionId)
  const [note] = sessionNotes(bridge.databasePath, sessionId)
  expect(run?.code).toBe(ranCode)
  expect(note?.body).toBe(NOTE)
  const problemChanges = stored()['problem'] ?? 0
  expect(problemChanges).toBeGreaterThanOrEqual(2)

  // The network goes: the bridge and its signaling server stop; a new bridge opens the same folder.
  await candidateContext.close()
  await host.close()
  await bridge.stop()
  expect(await unreachable(link)).toBe(true)
  const offline = await startBridgeProcess(bridge.dataDir)
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    const guard = await allowOnlyOrigin(context, offline.url)
    // The guard holds: even the new bridge's own signaling server is out of reach.
    const probe = await context.newPage()
    await expect(probe.goto(offline.signalingUrl)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/)
    await probe.close()
    expect(guard.attempts).toEqual([expect.stringContaining(new URL(offline.signalingUrl).host)])
    const probed = [...guard.attempts]
    const page = await context.newPage()
    await page.goto(offline.url)
    // A WebSocket is what would reach a signaling server (the UI's policy allows any): stopped too.
    const socketUrl = offline.signalingUrl.replace(/^http/, 'ws')
    const socketEnd = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const Socket = (globalThis as unknown as { WebSocket: new (url: string) => EventTarget }).WebSocket
          const socket = new Socket(url)
          socket.addEventListener('message', () => resolve('answered'))
          socket.addEventListener('close', () => resolve('closed'))
        }),
      socketUrl,
    )
    expect(socketEnd).toBe('closed')
    expect(guard.attempts).toEqual([...probed, expect.stringContaining(new URL(offline.signalingUrl).host)])
    probed.push(...guard.attempts.slice(probed.length))

    // History: found by the candidate's name, then the review.
    await page.getByTestId('nav-history').click()
    const rows = page.getByTestId('history-row')
    await expect(rows).toHaveCount(2)
    await page.getByTestId('history-search').fill('Katherine')
    await expect(rows).toHaveCount(1)
    await expect(rows).toContainText(CANDIDATE)
    await screenshot(page, testInfo, 'history')
    await rows.getByTestId('history-review').click()
    await expect(page.getByTestId('review-heading')).toHaveText(CANDIDATE)
    await expectFinalCode(page, finals)
    await expect(page.getByTestId('review-problem-title')).toHaveText(titles.map((t, i) => `${i + 1}. ${t}`))
    const reviewedRun = page.getByTestId('review-run')
    await expect(reviewedRun).toHaveCount(1)
    await expect(reviewedRun).toHaveAttribute('data-status', 'ok')
    await expect(reviewedRun).toHaveAttribute('data-side', 'candidate')
    await expect(reviewedRun.getByTestId('review-run-toggle')).toContainText(`1. ${titles[0] ?? ''}`)
    await reviewedRun.getByTestId('review-run-toggle').click()
    expect(await reviewedRun.getByTestId('review-run-code').textContent()).toBe(ranCode)
    await expect(page.getByTestId('review-note-text')).toHaveText([NOTE])
    await expect(page.getByTestId('review-link')).toHaveAttribute('data-link', 'direct')
    await expect(page.getByTestId('review-joins')).toHaveAttribute('data-joins', '1')
    await expect(page.getByTestId('review-reconnects')).toHaveAttribute('data-count', '0')
    await expect(page.getByTestId('review-tab-hidden')).toHaveAttribute('data-count', '1')
    await expect(page.getByTestId('review-pastes')).toHaveAttribute('data-count', '1')
    await screenshot(page, testInfo, 'review')

    // Replay: a marker for each thing that happened; the run and the note move the playhead.
    await page.getByTestId('review-replay').click()
    await expect(page.getByTestId('replay-heading')).toHaveText(`Replay: ${CANDIDATE}`)
    await expect(page.getByTestId('replay-marker-run')).toHaveCount(1)
    await expect(page.getByTestId('replay-marker-note')).toHaveCount(1)
    await expect(page.getByTestId('replay-marker-problem')).toHaveCount(problemChanges)
    await expect(page.getByTestId('replay-marker-paste')).toHaveCount(1)
    await expect(page.getByTestId('replay-marker-focus-lost')).toHaveCount(1)
    await expect(page.getByTestId('replay-marker-focus-lost')).toHaveAttribute('title', /Tab lost focus for /)
    const scrubber = page.getByTestId('replay-scrubber')
    const replayed = page.getByTestId('replay-code-monaco')
    await page.getByTestId('replay-marker-run').click()
    await expect(scrubber).toHaveAttribute('aria-valuenow', String(run?.t_ms))
    await expect.poll(() => monacoText(replayed)).toBe(ranCode)

    // Marker after marker, the code is what it was live at that moment.
    const pasted = `${ranCode}${PASTED}`
    const expectedAt = (kind: string, title: string): { tab: number; code: string } => {
      if (kind === 'problem' && title.includes('Moved to 2.')) return { tab: 1, code: secondStart }
      return { tab: 0, code: kind === 'run' ? ranCode : pasted }
    }
    const markers = await page
      .locator('[data-testid^="replay-marker-"]')
      .evaluateAll((elements) =>
        elements.map((e) => ({ kind: e.getAttribute('data-testid') ?? '', title: e.getAttribute('title') ?? '' })),
      )
    expect(markers.map((m) => m.kind.replace('replay-marker-', ''))).toEqual([
      'run',
      'paste',
      'focus-lost',
      'note',
      ...Array<string>(problemChanges).fill('problem'),
    ])
    await scrubber.focus()
    await page.keyboard.press('Home')
    for (const marker of markers) {
      await page.getByTestId('replay-next-marker').click()
      const { tab, code } = expectedAt(marker.kind.replace('replay-marker-', ''), marker.title)
      await expect(page.getByTestId('replay-time')).toContainText(marker.title.split(' ')[0] ?? '')
      await expect(page.getByTestId(`replay-tab-${tab}`)).toHaveAttribute('aria-selected', 'true')
      await expect.poll(() => monacoText(replayed)).toBe(code)
    }
    await expect(page.getByTestId('replay-next-marker')).toBeDisabled()

    await page.getByTestId('replay-runs-item').click()
    await expect(scrubber).toHaveAttribute('aria-valuenow', String(run?.t_ms))
    await expect.poll(() => monacoText(replayed)).toBe(ranCode)
    await page.getByTestId('replay-notes-item').click()
    await expect(scrubber).toHaveAttribute('aria-valuenow', String(note?.t_ms))
    await screenshot(page, testInfo, 'replay')

    // The keyboard scrubs: Home, five seconds on, then the end, where the code is the final code.
    const durationMs = Number(await scrubber.getAttribute('aria-valuemax'))
    expect(durationMs).toBeGreaterThan(8000)
    await scrubber.focus()
    await page.keyboard.press('Home')
    await expect(scrubber).toHaveAttribute('aria-valuenow', '0')
    await page.keyboard.press('ArrowRight')
    await expect(scrubber).toHaveAttribute('aria-valuenow', '5000')
    await page.keyboard.press('End')
    await expect(scrubber).toHaveAttribute('aria-valuenow', String(durationMs))
    await expect(page.getByTestId('replay-tab-0')).toHaveAttribute('aria-selected', 'true')
    await expect.poll(() => monacoText(replayed)).toBe(firstFinal)
    await page.getByTestId('replay-tab-1').click()
    await expect.poll(() => monacoText(replayed)).toBe(secondFinal)
    await page.getByTestId('replay-tab-0').click()

    // Playing from the start at 32×, idle gaps skipped: the playhead moves on its own.
    await scrubber.focus()
    await page.keyboard.press('Home')
    await expect(scrubber).toHaveAttribute('aria-valuenow', '0')
    await page.getByTestId('replay-speed-32').click()
    await expect(page.getByTestId('replay-speed-32')).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('replay-skip-idle')).toBeChecked()
    await expect(page.getByTestId('replay-gap')).not.toHaveCount(0)
    await page.getByTestId('replay-skip-idle').uncheck()
    await expect(page.getByTestId('replay-gap')).toHaveCount(0)
    await page.getByTestId('replay-skip-idle').check()
    await expect(page.getByTestId('replay-gap')).not.toHaveCount(0)
    await page.getByTestId('replay-play').click()
    await expect.poll(async () => Number(await scrubber.getAttribute('aria-valuenow'))).toBeGreaterThan(0)
    await expect(page.getByTestId('replay-play')).toHaveAccessibleName('Play', { timeout: 30_000 })
    await expect(scrubber).toHaveAttribute('aria-valuenow', String(durationMs))
    await expect.poll(() => monacoText(replayed)).toBe(firstFinal)

    // Reports, through the buttons, each caught as the download it is.
    await page.getByRole('link', { name: 'Back to the session' }).click()
    await expect(page.getByTestId('review-heading')).toHaveText(CANDIDATE)
    const markdown = await downloadOf(page, 'report-export-md')
    expect(markdown.suggestedFilename()).toMatch(/^duet-report-katherine-johnson-\d{4}-\d\d-\d\d\.md$/)
    await expect(page.getByTestId('report-saved')).toContainText(markdown.suggestedFilename())
    const markdownText = await downloadedText(markdown)
    expect(markdownText).toContain(CANDIDATE)
    expect(markdownText).toContain(NOTE)
    for (const code of finals) expect(markdownText).toContain(code)

    const html = await downloadOf(page, 'report-export-html')
    expect(html.suggestedFilename()).toMatch(/\.html$/)
    const htmlText = await downloadedText(html)
    expect(htmlText).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/)
    expect(htmlText).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i)
    expect(htmlText).not.toMatch(/<link\b|<script\b|@import|url\(/i)
    expect(htmlText).toContain(htmlEscaped(CANDIDATE))
    for (const code of finals) {
      for (const line of code.split('\n')) expect(htmlText).toContain(`<span class="line">${htmlEscaped(line)}</span>`)
    }

    const pdf = await downloadOf(page, 'report-export-pdf')
    await expect(page.getByTestId('report-progress')).toHaveCount(0)
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    const pdfBytes = readFileSync(await pdf.path())
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdfBytes.length).toBeGreaterThan(10_000)
    expect(pdfBytes.subarray(-1024).toString('latin1')).toContain('%%EOF')
    await expect(page.getByTestId('report-error')).toHaveCount(0)

    // The bundle goes out; the session is deleted, to the last row; the bundle brings it back.
    const bundle = await downloadOf(page, 'bundle-export')
    expect(bundle.suggestedFilename()).toMatch(/\.duet$/)
    await expect(page.getByTestId('bundle-export-done')).toContainText(bundle.suggestedFilename())
    const bundlePath = testInfo.outputPath(bundle.suggestedFilename())
    await bundle.saveAs(bundlePath)
    // What the checks after deleting look for is there before it: the session's rows, the name in
    // the search index, the code of the run.
    expect(rowsNaming(offline.databasePath, sessionId)).toMatchObject({ sessions: 1, runs: 1, notes: 1 })
    expect(rowsMentioning(offline.databasePath, CANDIDATE)).toMatchObject({ sessions: 1, session_history_fts: 1 })
    expect(rowsMentioning(offline.databasePath, RUN_MARKER)).toMatchObject({ runs: 1 })

    await page.getByTestId('session-delete').click()
    const dialog = page.getByTestId('confirm-dialog')
    await expect(dialog).toContainText(`Delete the interview with ${CANDIDATE}?`)
    await dialog.getByTestId('confirm-yes').click()
    await expect(page).toHaveURL(/#\/history\?deleted=/)
    await expect(page.getByTestId('history-deleted')).toHaveText(`The interview with ${CANDIDATE} was deleted.`)
    await expect(page.getByTestId('history-search')).toHaveValue('Katherine')
    await expect(page.getByTestId('history-empty')).toBeVisible()
    await page.getByTestId('history-search').fill('')
    await expect(rows).toHaveCount(1)
    await expect(rows).toContainText(OTHER_CANDIDATE)
    expect(rowsNaming(offline.databasePath, sessionId)).toEqual({})
    expect(rowsMentioning(offline.databasePath, CANDIDATE)).toEqual({})
    expect(rowsMentioning(offline.databasePath, RUN_MARKER)).toEqual({})

    await page.getByTestId('history-import').click()
    await page.getByTestId('bundle-file').setInputFiles(bundlePath)
    await expect(page.getByTestId('bundle-preview')).toBeVisible()
    await expect(page.getByTestId('bundle-candidate')).toHaveText(CANDIDATE)
    await expect(page.getByTestId('bundle-problems').locator('li')).toHaveText(titles)
    await expect(page.getByTestId('bundle-counts')).toContainText('1 run, 1 private note')
    await screenshot(page, testInfo, 'import-preview')
    await page.getByTestId('bundle-import').click()
    await expect(page.getByTestId('bundle-imported')).toBeVisible()
    await page.getByTestId('bundle-open').click()
    await expect(page.getByTestId('review-heading')).toHaveText(CANDIDATE)
    await expectFinalCode(page, finals)
    await expect(page.getByTestId('review-run')).toHaveCount(1)
    await expect(page.getByTestId('review-note-text')).toHaveText([NOTE])
    const importedId = sessionIdIn(page.url())
    expect(sessionRuns(offline.databasePath, importedId)).toEqual([run])
    expect(sessionNotes(offline.databasePath, importedId)).toEqual([note])

    // Nothing but the bridge was ever asked for, from the first page to the last.
    expect(guard.attempts).toEqual(probed)
    await context.close()
  } finally {
    await offline.stop()
  }
})
