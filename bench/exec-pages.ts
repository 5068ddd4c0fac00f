import type { Browser, Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { z } from 'zod'
import { startBridgeProcess, type BridgeProcess } from '../e2e/bridge'
import type { Language } from '../src/shared/problem'
import { launchChromium } from './browser'
import { ensureBuilds } from './builds'
import { waitUntilEditable } from './duet-pages'
import { CONSOLE_PROBE_SCRIPT, PYTHON_WORKER, WORKER_PROBE_SCRIPT, readyWorker } from './exec-probe'

/** The real bridge (host services, SQLite, signaling, both builds) and Chromium, for one benchmark. */
export async function withDuet<T>(use: (browser: Browser, bridge: BridgeProcess) => Promise<T>): Promise<T> {
  await ensureBuilds()
  const bridge = await startBridgeProcess()
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    return await use(browser, bridge)
  } finally {
    await browser?.close()
    await bridge.stop()
    rmSync(bridge.dataDir, { recursive: true, force: true })
  }
}

/**
 * The interviewer creates a one-problem session in `language` through the real UI and keeps its
 * live view open (e2e's createSession, which always picks Python). Its own Python, which the app
 * loads at start, is ready before this returns, so it never loads during a measurement.
 */
export async function openSession(browser: Browser, bridgeUrl: string, language: Language): Promise<string> {
  const context = await browser.newContext()
  await context.addInitScript(WORKER_PROBE_SCRIPT)
  const host = await context.newPage()
  await host.goto(bridgeUrl)
  await host.getByTestId('nav-sessions').click()
  await host.getByTestId('session-new').click()
  await host.getByTestId('session-candidate').fill('Ada Lovelace')
  await host.getByTestId('session-language').selectOption(language)
  await host.getByTestId('session-mode-random').check()
  await host.getByTestId('session-difficulty').selectOption('junior')
  await host.getByTestId('session-count').selectOption('1')
  await host.getByTestId('session-create').click()
  const link = (await host.getByTestId('session-link').textContent())?.trim() ?? ''
  if (!/^http:\/\/[\d.]+:\d+\/s\//.test(link)) throw new Error(`the live view shows no session link (${link})`)
  await host.getByTestId('session-editor').locator('.monaco-editor').waitFor()
  await readyWorker(host, PYTHON_WORKER, "the interviewer's Python never became ready")
  return link
}

/**
 * Where the candidate opens the link: its LAN address, as a candidate does (plain http on a
 * non-local address: not cross-origin isolated), or 127.0.0.1, a secure context where the
 * signaling server's COOP/COEP headers make the page cross-origin isolated.
 */
export type CandidateAddress = 'lan' | 'loopback'

export function linkAt(link: string, address: CandidateAddress): string {
  if (address === 'lan') return link
  const url = new URL(link)
  url.hostname = '127.0.0.1'
  return url.href
}

/** A candidate in a browser context of their own (empty cache), joined, with the probes installed. */
export async function openCandidate(browser: Browser, link: string, address: CandidateAddress): Promise<Page> {
  const context = await browser.newContext()
  await context.addInitScript(WORKER_PROBE_SCRIPT)
  await context.addInitScript(CONSOLE_PROBE_SCRIPT)
  const candidate = await context.newPage()
  await candidate.goto(linkAt(link, address))
  await candidate.getByTestId('cand-name').fill('Ada Lovelace')
  await candidate.getByTestId('cand-join-button').click()
  await waitUntilEditable(candidate)
  return candidate
}

/** Fails unless the page's cross-origin isolation is as the measured stop path needs it. */
export async function expectIsolation(page: Page, isolated: boolean): Promise<void> {
  const actual = z.boolean().parse(await page.evaluate('globalThis.crossOriginIsolated === true'))
  if (actual !== isolated) {
    throw new Error(`${page.url()} is ${actual ? '' : 'not '}cross-origin isolated; this benchmark needs the opposite`)
  }
}

/** Replaces the candidate's code as a user would: select all in the editor, type the program. */
export async function replaceCode(candidate: Page, code: string): Promise<void> {
  await candidate.getByTestId('cand-editor').locator('.monaco-editor .view-lines').click()
  await candidate.keyboard.press('ControlOrMeta+A')
  await candidate.keyboard.insertText(code)
}

/** The console of the last run shows `status` (the run has ended, or is running). */
export async function waitForStatus(page: Page, prefix: string, status: string): Promise<void> {
  await page.locator(`[data-testid="${prefix}-status"][data-status="${status}"]`).waitFor({ timeout: 30_000 })
}
