import type { Browser, Page } from '@playwright/test'
import { startBaselineServer } from './baseline-server'
import type { Benchmark } from './benchmark'
import { launchChromium } from './browser'
import { MEASURED_KEYS, measureKeystrokes, reportSkew } from './keystrokes'
import { PROBE_SCRIPT } from './page-probe'

async function openPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext()
  await context.addInitScript(PROBE_SCRIPT)
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('body[data-open="true"]').waitFor()
  return page
}

/** The same key presses and the same probe as the Duet benchmarks, on the seeds' whole-text broadcast. */
export const keystrokeLatencyServerBaselineP95Ms: Benchmark = {
  key: 'keystrokeLatencyServerBaselineP95Ms',
  title: `${MEASURED_KEYS} key presses in a textarea, whole text broadcast by a plain WebSocket server on 127.0.0.1 (the seeds' design)`,
  target: 25,
  unit: 'ms',
  targetOn: 'p95',
  async run() {
    const server = await startBaselineServer()
    let browser: Browser | undefined
    try {
      browser = await launchChromium()
      const sender = await openPage(browser, `${server.url}/sender`)
      const receiver = await openPage(browser, `${server.url}/receiver`)
      const run = await measureKeystrokes(sender, sender.locator('#text'), receiver)
      reportSkew(run)
      return run.latencies
    } finally {
      await browser?.close()
      await server.stop()
    }
  },
}
