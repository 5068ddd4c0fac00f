import type { Browser, Page } from '@playwright/test'
import { startBaselineServer } from './baseline-server'
import type { Benchmark } from './benchmark'
import {
  keystrokeCpus,
  launchSideBrowsers,
  MEASURED_KEYS,
  measureKeystrokes,
  reportSkew,
  type SideBrowsers,
} from './keystrokes'
import { MONACO_HOOK_SCRIPT, PROBE_SCRIPT } from './page-probe'

/** Each end in its own browser, as the candidate and the interviewer are in the Duet benchmarks. */
async function openPage(browser: Browser, url: string, initScripts: readonly string[]): Promise<Page> {
  const context = await browser.newContext()
  for (const script of initScripts) await context.addInitScript(script)
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('body[data-open="true"] .monaco-editor').waitFor()
  // As the Duet pages are: their clocks then tick in microseconds, not tenths of a millisecond.
  if ((await page.evaluate('crossOriginIsolated')) !== true) throw new Error(`${url} is not cross-origin isolated`)
  return page
}

/**
 * The same key presses and the same probes as the Duet benchmarks, on the seeds' whole-text
 * broadcast: the candidate's key presses are timed in the sender's Monaco, and arrival is the
 * receiver's Monaco model holding the text, recorded by the same model hook as the interviewer's.
 */
export const keystrokeLatencyServerBaselineP95Ms: Benchmark = {
  key: 'keystrokeLatencyServerBaselineP95Ms',
  title: `${MEASURED_KEYS} key presses in one Monaco until another's model holds each, whole text broadcast by a plain WebSocket server on 127.0.0.1 and set with model.setValue (the seeds' design), the two ends placed as the Duet sides`,
  target: 25,
  unit: 'ms',
  targetOn: 'p95',
  async run() {
    const cpus = keystrokeCpus()
    // In the server's design it stands on a third machine: here it runs in this script, on any CPU.
    const server = await startBaselineServer()
    let browsers: SideBrowsers | undefined
    try {
      browsers = await launchSideBrowsers(cpus)
      const receiver = await openPage(browsers.interviewer, `${server.url}/?role=receiver`, [
        PROBE_SCRIPT,
        MONACO_HOOK_SCRIPT,
      ])
      const sender = await openPage(browsers.candidate, `${server.url}/?role=sender`, [PROBE_SCRIPT])
      const run = await measureKeystrokes(sender, sender.locator('#editor .view-lines'), receiver)
      reportSkew(run)
      return run.latencies
    } finally {
      await browsers?.close()
      await server.stop()
    }
  },
}
