import type { Browser, Request } from '@playwright/test'
import { rmSync } from 'node:fs'
import { z } from 'zod'
import { startBridgeProcess } from '../e2e/bridge'
import type { Benchmark } from './benchmark'
import { launchChromium, pollPage } from './browser'
import { ensureBuilds } from './builds'
import { openInterviewer, waitForMode } from './duet-pages'

const COLD_RUNS = 5

/**
 * Joins the moment the join screen appears, as a candidate with no typing time would: the name
 * and the Join click are dispatched in the page, so no editor loading hides behind a scripted
 * pause. `window.__duetReady.editable` is when the editor first reported `data-ready="true"`
 * (Monaco up, the code synced over the link, editable), in ms since navigation start (the
 * document's time origin).
 */
const JOIN_AND_TIME_SCRIPT = `(() => {
  const marks = {};
  Object.defineProperty(window, '__duetReady', { value: marks });
  const observer = new MutationObserver(() => {
    const name = document.querySelector('[data-testid="cand-name"]');
    if (!marks.joined && name) {
      marks.joined = true;
      name.value = 'Ada Lovelace';
      name.dispatchEvent(new Event('input', { bubbles: true }));
      document.querySelector('[data-testid="cand-join-button"]').click();
    }
    if (document.querySelector('[data-testid="cand-editor"][data-ready="true"]')) {
      marks.editable = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})();`

interface ColdLoad {
  readyMs: number
  transferKB: number
}

/** Response headers and compressed bodies of every request (page and workers) finished so far. */
async function transferredBytes(requests: readonly Request[]): Promise<number> {
  const sizes = await Promise.all(requests.map((request) => request.sizes()))
  return sizes.reduce((sum, size) => sum + size.responseHeadersSize + size.responseBodySize, 0)
}

/** One candidate in a new browser context (empty cache and storage), meeting a waiting interviewer. */
async function coldLoad(browser: Browser, bridgeUrl: string): Promise<ColdLoad> {
  const { host, link } = await openInterviewer(browser, bridgeUrl, false)
  const context = await browser.newContext()
  try {
    await context.addInitScript(JOIN_AND_TIME_SCRIPT)
    const candidate = await context.newPage()
    const finished: Request[] = []
    candidate.on('requestfinished', (request) => finished.push(request))
    await candidate.goto(link, { waitUntil: 'commit' })
    const readyMs = await pollPage(
      candidate,
      'window.__duetReady.editable ?? null',
      z.number().nullable(),
      'the editor never became editable',
      30_000,
    )
    const bytes = await transferredBytes([...finished])
    await waitForMode(candidate, 'cand-connection', 'direct')
    return { readyMs, transferKB: bytes / 1024 }
  } finally {
    await context.close()
    await host.context().close()
  }
}

let measuring: Promise<ColdLoad[]> | undefined

/** Both candidate-page benchmarks summarise the same cold loads. */
function coldLoads(): Promise<ColdLoad[]> {
  measuring ??= (async () => {
    await ensureBuilds()
    const bridge = await startBridgeProcess()
    let browser: Browser | undefined
    try {
      browser = await launchChromium()
      const loads: ColdLoad[] = []
      for (let run = 0; run < COLD_RUNS; run++) loads.push(await coldLoad(browser, bridge.url))
      return loads
    } finally {
      await browser?.close()
      await bridge.stop()
      rmSync(bridge.dataDir, { recursive: true, force: true })
    }
  })()
  return measuring
}

export const candidatePageReadyMs: Benchmark = {
  key: 'candidatePageReadyMs',
  title: `candidate link to editable editor, cold (new context), joining the moment the join screen shows, ${COLD_RUNS} runs`,
  target: 1500,
  unit: 'ms',
  run: async () => (await coldLoads()).map((load) => load.readyMs),
}

export const candidatePageTransferKB: Benchmark = {
  key: 'candidatePageTransferKB',
  title: 'compressed bytes (headers + bodies) received over HTTP before the editor is editable, same runs',
  target: 1500,
  unit: 'KB',
  run: async () => (await coldLoads()).map((load) => load.transferKB),
}
