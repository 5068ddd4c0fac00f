import type { Language } from '../src/shared/problem'
import type { Benchmark } from './benchmark'
import { openCandidate, openSession, replaceCode, waitForStatus, withDuet } from './exec-pages'
import { PYTHON_WORKER, clickUntil, readyWorker } from './exec-probe'

const WARMUP_RUNS = 3
const MEASURED_RUNS = 100

const WORKER_NAMES: Readonly<Record<Language, string>> = {
  python: PYTHON_WORKER,
  javascript: 'JavaScript runner',
}

/**
 * The candidate, joined on the LAN link, runs `code` over and over with the runtime loaded. Each
 * sample is from the Run click's event time stamp until the console's DOM holds the printed
 * line; every run is also streamed to the interviewer and stored, as in an interview.
 */
async function warmRuns(language: Language, code: string, printed: string): Promise<number[]> {
  return withDuet(async (browser, bridge) => {
    const link = await openSession(browser, bridge.url, language)
    const candidate = await openCandidate(browser, link, 'lan')
    await replaceCode(candidate, code)
    const samples: number[] = []
    for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
      // JavaScript runs each program in a new worker loaded ahead: the one for this run and the
      // one after it have both started (the page starts the next once it has shown a result).
      const count = language === 'javascript' ? run + 2 : 1
      await readyWorker(candidate, WORKER_NAMES[language], `${language} never became ready`, { count })
      const { clickAt, shownAt } = await clickUntil(candidate, 'cand', 'cand-run', { text: printed })
      await waitForStatus(candidate, 'cand', 'ok')
      const output = await candidate.getByTestId('cand-output-text').textContent()
      if (output?.trim() !== printed) throw new Error(`the run printed ${JSON.stringify(output)}, not ${printed}`)
      if (run >= WARMUP_RUNS) samples.push(shownAt - clickAt)
    }
    return samples
  })
}

const measured = `${MEASURED_RUNS} runs after ${WARMUP_RUNS} unmeasured ones, candidate page on the LAN link`

export const pyodideWarmRunMs: Benchmark = {
  key: 'pyodideWarmRunMs',
  title:
    `print(1) with Python loaded: Run click (event time stamp) until the output is in the console's DOM ` +
    `(MutationObserver; the console renders output at most once a frame, or when the run ends), ${measured}`,
  target: 20,
  unit: 'ms',
  run: () => warmRuns('python', 'print(1)', '1'),
}

export const jsWarmRunMs: Benchmark = {
  key: 'jsWarmRunMs',
  title: `console.log(1), the same way, in a JavaScript session (each run in a fresh worker loaded ahead), ${measured}`,
  target: 20,
  unit: 'ms',
  run: () => warmRuns('javascript', 'console.log(1)', '1'),
}
