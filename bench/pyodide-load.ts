import type { Benchmark } from './benchmark'
import { linkAt, openSession, withDuet } from './exec-pages'
import { PYTHON_WORKER, WORKER_PROBE_SCRIPT, readyWorker, startedWorkers } from './exec-probe'

const COLD_RUNS = 5

/**
 * Each run opens the candidate's link in a new browser context (empty HTTP cache, so Pyodide's
 * files and its compiled WebAssembly come from nowhere but the network) and joins: the page starts
 * loading the session's language once the editor is usable.
 */
async function coldLoads(): Promise<number[]> {
  return withDuet(async (browser, bridge) => {
    const link = await openSession(browser, bridge.url, 'python')
    const samples: number[] = []
    for (let run = 0; run < COLD_RUNS; run++) {
      const context = await browser.newContext()
      try {
        await context.addInitScript(WORKER_PROBE_SCRIPT)
        const candidate = await context.newPage()
        await candidate.goto(linkAt(link, 'lan'), { waitUntil: 'commit' })
        await candidate.getByTestId('cand-name').fill('Ada Lovelace')
        await candidate.getByTestId('cand-join-button').click()
        const worker = await readyWorker(candidate, PYTHON_WORKER, 'Python never became ready')
        const started = await startedWorkers(candidate, PYTHON_WORKER)
        if (started.length !== 1) throw new Error(`the page started ${started.length} Python workers, not one`)
        samples.push((worker.readyAt ?? Number.NaN) - worker.startedAt)
      } finally {
        await context.close()
      }
    }
    return samples
  })
}

export const pyodideColdLoadMs: Benchmark = {
  key: 'pyodideColdLoadMs',
  title:
    `Python runner cold start: its worker constructed until the page receives the worker's ready message ` +
    `(the runner's status turns ready), candidate page on the LAN link, new browser context (no HTTP cache) ` +
    `each run, ${COLD_RUNS} runs`,
  target: 3500,
  unit: 'ms',
  run: coldLoads,
}
