import type { Browser, Page } from '@playwright/test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Benchmark } from './benchmark'
import {
  expectIsolation,
  openCandidate,
  openSession,
  replaceCode,
  waitForStatus,
  withDuet,
  type CandidateAddress,
} from './exec-pages'
import { PYTHON_WORKER, clickUntil, readyWorker, startedWorkers, type ClickTiming } from './exec-probe'

const RUNAWAY = 'while True: pass'
/** How long the loop runs before Stop: well inside it, past the run's start-up. */
const LOOP_MS = 300
const INTERRUPT_RUNS = 30
const RESPAWN_RUNS = 10

interface Stop {
  timing: ClickTiming
  /** Python workers the page had started before and after the stop. */
  workersBefore: number
  workersAfter: number
}

/** Starts the runaway loop, lets it run, and clicks Stop: from the click until the status is `stopped`. */
async function stopRunaway(candidate: Page): Promise<Stop> {
  await candidate.getByTestId('cand-run').click()
  await waitForStatus(candidate, 'cand', 'running')
  await sleep(LOOP_MS)
  const workersBefore = (await startedWorkers(candidate, PYTHON_WORKER)).length
  const timing = await clickUntil(candidate, 'cand', 'cand-stop', { status: 'stopped' })
  const workersAfter = (await startedWorkers(candidate, PYTHON_WORKER)).length
  return { timing, workersBefore, workersAfter }
}

/** The candidate on `address`, joined, with the runaway loop in the editor and Python loaded. */
async function runawayCandidate(browser: Browser, link: string, address: CandidateAddress): Promise<Page> {
  const candidate = await openCandidate(browser, link, address)
  await expectIsolation(candidate, address === 'loopback')
  await replaceCode(candidate, RUNAWAY)
  await readyWorker(candidate, PYTHON_WORKER, 'Python never became ready')
  return candidate
}

async function interruptStops(): Promise<number[]> {
  return withDuet(async (browser, bridge) => {
    const link = await openSession(browser, bridge.url, 'python')
    const candidate = await runawayCandidate(browser, link, 'loopback')
    const samples: number[] = []
    let replaced = 0
    for (let run = 0; run < INTERRUPT_RUNS; run++) {
      const { timing, workersBefore, workersAfter } = await stopRunaway(candidate)
      // A program the interrupt does not stop has its worker replaced after a grace period: that
      // stop measured the fallback, not the interrupt.
      if (workersAfter === workersBefore) samples.push(timing.shownAt - timing.clickAt)
      else {
        replaced++
        await readyWorker(candidate, PYTHON_WORKER, 'the new Python worker never became ready')
      }
    }
    if (replaced > 0) {
      throw new Error(
        `${replaced} of ${INTERRUPT_RUNS} stops replaced the Python worker after the grace period: the interrupt ` +
          `did not stop the loop (the ${samples.length} interrupted stops took ${samples.map(Math.round).join(', ')} ms)`,
      )
    }
    return samples
  })
}

interface RespawnStop {
  stoppedMs: number
  readyAgainMs: number
}

let respawning: Promise<RespawnStop[]> | undefined

/** Both respawn benchmarks summarise the same stops. */
function respawnStops(): Promise<RespawnStop[]> {
  respawning ??= withDuet(async (browser, bridge) => {
    const link = await openSession(browser, bridge.url, 'python')
    const candidate = await runawayCandidate(browser, link, 'lan')
    const stops: RespawnStop[] = []
    for (let run = 0; run < RESPAWN_RUNS; run++) {
      const { timing, workersBefore, workersAfter } = await stopRunaway(candidate)
      if (workersAfter !== workersBefore + 1) {
        throw new Error(`Stop left ${workersAfter - workersBefore} new Python workers, not one`)
      }
      // The next run needs the new worker; waiting here also keeps one stop's reload out of the next.
      const respawned = await readyWorker(candidate, PYTHON_WORKER, 'the new Python worker never became ready')
      stops.push({
        stoppedMs: timing.shownAt - timing.clickAt,
        readyAgainMs: (respawned.readyAt ?? Number.NaN) - timing.clickAt,
      })
    }
    return stops
  })
  return respawning
}

export const stopInterruptMs: Benchmark = {
  key: 'stopInterruptMs',
  title:
    `Stop on '${RUNAWAY}' after ${LOOP_MS} ms: Stop click (event time stamp) until the console's status is ` +
    `"stopped", cross-origin isolated candidate page (via 127.0.0.1): interrupted in place, same worker, ` +
    `${INTERRUPT_RUNS} runs`,
  target: 200,
  unit: 'ms',
  run: interruptStops,
}

export const stopRespawnMs: Benchmark = {
  key: 'stopRespawnMs',
  title:
    `the same on the candidate page on the LAN link (not isolated): the worker is terminated and a new one ` +
    `started; counted until "stopped" shows, ${RESPAWN_RUNS} runs (no target)`,
  unit: 'ms',
  run: async () => (await respawnStops()).map((stop) => stop.stoppedMs),
}

export const stopRespawnReadyMs: Benchmark = {
  key: 'stopRespawnReadyMs',
  title: `the same stops, counted until the new worker's Python is ready to run again, from the page's HTTP cache (no target)`,
  unit: 'ms',
  run: async () => (await respawnStops()).map((stop) => stop.readyAgainMs),
}
