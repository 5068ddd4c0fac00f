import type { Browser, Page } from '@playwright/test'
import { createSession } from '../e2e/live'
import { MONACO_HOOK_SCRIPT, PROBE_SCRIPT } from './page-probe'

export type LinkMode = 'direct' | 'relayed'

const CONNECT_TIMEOUT_MS = 20_000

/**
 * The interviewer creates a one-problem session through the real UI and keeps its live view
 * open; with `relay`, the live view is reopened with `?relay=1`, which skips WebRTC.
 */
export async function openInterviewer(
  browser: Browser,
  bridgeUrl: string,
  relay: boolean,
): Promise<{ host: Page; link: string }> {
  const context = await browser.newContext()
  await context.addInitScript(PROBE_SCRIPT)
  await context.addInitScript(MONACO_HOOK_SCRIPT)
  const host = await context.newPage()
  const link = await createSession(host, bridgeUrl, 1)
  if (relay) {
    // The query sits in the hash route, so only a reload makes the live view read it.
    await host.goto(`${host.url()}?relay=1`)
    await host.reload()
  }
  // Settled as when a candidate opens the link later: the live view's editor is up.
  await host.getByTestId('session-editor').locator('.monaco-editor').waitFor()
  return { host, link }
}

/** The candidate's join flow: the link, a name, Join — each step as soon as the page allows it. */
export async function joinCandidate(candidate: Page, link: string): Promise<void> {
  await candidate.goto(link, { waitUntil: 'commit' })
  await candidate.getByTestId('cand-name').fill('Ada Lovelace')
  await candidate.getByTestId('cand-join-button').click()
}

export async function waitUntilEditable(candidate: Page): Promise<void> {
  await candidate.locator('[data-testid="cand-editor"][data-ready="true"]').waitFor({ timeout: CONNECT_TIMEOUT_MS })
}

/** Waits for `mode` on a connection badge, and names the mode it settled on if it is another. */
export async function waitForMode(page: Page, testId: string, mode: LinkMode): Promise<void> {
  const badge = page.getByTestId(testId)
  try {
    await page.locator(`[data-testid="${testId}"][data-mode="${mode}"]`).waitFor({ timeout: CONNECT_TIMEOUT_MS })
  } catch {
    const actual = await badge.getAttribute('data-mode')
    throw new Error(
      `${testId} is ${String(actual)}, not ${mode}` +
        (mode === 'direct' ? ' (WebRTC needs a non-loopback interface: run through bench/run.sh)' : ''),
    )
  }
}

/**
 * Waits until the page's code runner has loaded: Pyodide compiles in a worker for a few seconds
 * after the page opens, and typing is measured on settled pages, as in the baseline.
 */
export async function waitForRunnerReady(page: Page, prefix: 'cand' | 'live'): Promise<void> {
  await page.getByTestId(`${prefix}-run-panel`).waitFor({ timeout: CONNECT_TIMEOUT_MS })
  await page.getByTestId(`${prefix}-runtime`).waitFor({ state: 'detached', timeout: 60_000 })
}
