import type { Page } from '@playwright/test'
import { recordReliability } from '../src/test-support/reliability-log'
import { describeLoss, missingInOrder, recordedText } from './faults'
import { createSession, editorText, joinInContext, typeAtEnd } from './live'
import { expect, test } from './fixtures'

/** Tabs of the candidate's browser that show the live session (the rest show an end page). */
async function liveTabs(tabs: readonly Page[]): Promise<number> {
  const counts = await Promise.all(tabs.map((tab) => tab.getByTestId('cand-session').count()))
  return counts.filter((count) => count > 0).length
}

async function expectReplaced(tab: Page): Promise<void> {
  await expect(tab.getByTestId('cand-error')).toHaveAttribute('data-code', 'replaced')
  await expect(tab.getByTestId('cand-error')).toContainText('open in another tab or device')
  await expect(tab.getByTestId('cand-session')).toHaveCount(0)
}

test('the candidate opens the link in a second tab: exactly one stays live, the other says why, and a reload moves it back', async ({
  browser,
  page: host,
  bridge,
}) => {
  // Three loads of the candidate page (Monaco, Pyodide) on a 2-core machine shared with other tests.
  test.setTimeout(120_000)
  const link = await createSession(host, bridge.url, 1)
  // One browser profile: the second tab shares the first's storage, as a real second tab does.
  const context = await browser.newContext()
  const first = await joinInContext(context, link)
  await typeAtEnd(first, 'cand-editor', '\n#from_first_tab')
  await expect(host.getByTestId('session-editor')).toContainText('#from_first_tab')

  // The remembered name joins the second tab without asking; it replaces the first.
  const second = await context.newPage()
  await second.goto(link)
  await expect(second.getByTestId('cand-session')).toBeVisible()
  await expect(second.getByTestId('cand-editor')).toHaveAttribute('data-ready', 'true')
  await expectReplaced(first)
  const liveAfterSecondTab = await liveTabs([first, second])
  await expect(second.getByTestId('cand-connection')).toHaveAttribute('data-mode', /^(direct|relayed)$/)
  await expect(host.getByTestId('session-presence')).toHaveAttribute('data-online', 'true')
  await typeAtEnd(second, 'cand-editor', '\n#from_second_tab')
  await expect(host.getByTestId('session-editor')).toContainText('#from_second_tab')

  // Reloading the first tab moves the session back to it; now the second one says why.
  await first.reload()
  await expect(first.getByTestId('cand-session')).toBeVisible()
  await expect(first.getByTestId('cand-editor')).toHaveAttribute('data-ready', 'true')
  await expectReplaced(second)
  const liveAfterReload = await liveTabs([first, second])
  await expect(first.getByTestId('cand-connection')).toHaveAttribute('data-mode', /^(direct|relayed)$/)
  await expect(first.getByTestId('cand-editor')).toContainText('#from_second_tab')
  await typeAtEnd(first, 'cand-editor', '\n#from_first_tab_again')
  await expect(host.getByTestId('session-editor')).toContainText('#from_first_tab_again')

  const markers = ['#from_first_tab', '#from_second_tab', '#from_first_tab_again']
  const hostText = await editorText(host, 'session-editor')
  await expect(first.getByTestId('cand-editor')).toContainText('#from_first_tab_again')
  const candidateText = await editorText(first, 'cand-editor')
  const recorded = await recordedText(host, bridge.databasePath, hostText)
  const lostEdits = [
    ...new Set([
      ...missingInOrder(hostText, markers),
      ...missingInOrder(candidateText, markers),
      ...missingInOrder(recorded, markers),
    ]),
  ]
  const differences = [
    ...(candidateText === hostText ? [] : ['the live tab and the interviewer differ']),
    ...(recorded === hostText ? [] : ['the recording differs from the editors']),
  ]
  recordReliability({
    area: 'faults',
    scenario: 'Candidate opens the link in a second tab',
    tried:
      'joined in one tab, opened the link in a second tab of the same browser, typed there, then reloaded the first tab',
    lost: describeLoss(lostEdits, markers.length, differences),
    liveTabs: `${liveAfterSecondTab} after the second tab opened, ${liveAfterReload} after the first reloaded`,
  })

  expect(liveAfterSecondTab).toBe(1)
  expect(liveAfterReload).toBe(1)
  expect(lostEdits).toEqual([])
  expect(candidateText).toBe(hostText)
  expect(recorded).toBe(hostText)
})
