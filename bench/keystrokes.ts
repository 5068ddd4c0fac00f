import type { Browser, Locator, Page } from '@playwright/test'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { launchChromium, pollPage } from './browser'
import { cpuSides } from './cpu-sides'
import { arrivalExpression, clockOffset, pressedKeys, waitForArrival } from './page-probe'

/** A comment line, so the editor offers no completions that could swallow a key. */
const MARKER = '# bench '
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz'
const WARM_UP_KEYS = 20
export const MEASURED_KEYS = 500
/** Between one key's arrival and the next press: a fast typist's pace, and time for the pages to settle. */
const PAUSE_MS = 50
const ARRIVAL_TIMEOUT_MS = 10_000

const ArrivalSchema = z.number().nullable()

export interface KeystrokeRun {
  /** Press to arrival, per measured key, in ms. */
  latencies: number[]
  /** The watcher page's clock minus the typer's, already taken out of `latencies`. */
  clockSkewMs: number
}

/**
 * Presses keys one at a time at the end of `editor` in `typer`; each sample runs from the
 * browser's time stamp on the key's keydown in `typer` to the moment `watcher`'s document first
 * holds the text typed so far. The next key waits for the previous one's arrival.
 */
export async function measureKeystrokes(typer: Page, editor: Locator, watcher: Page): Promise<KeystrokeRun> {
  await editor.click()
  await typer.keyboard.press('ControlOrMeta+End')
  await typer.keyboard.press('Enter')
  await typer.keyboard.insertText(MARKER)
  await pollPage(watcher, arrivalExpression(MARKER), ArrivalSchema, 'the marker line never arrived')
  const keysBefore = (await pressedKeys(typer)).length

  const total = WARM_UP_KEYS + MEASURED_KEYS
  const arrivals: number[] = []
  let typed = MARKER
  for (let i = 0; i < total; i++) {
    const key = ALPHABET[i % ALPHABET.length] ?? 'a'
    await typer.keyboard.press(key)
    typed += key
    const arrival = await waitForArrival(watcher, typed, ARRIVAL_TIMEOUT_MS)
    if (arrival === null) throw new Error(`key ${i} never arrived within ${ARRIVAL_TIMEOUT_MS} ms`)
    arrivals.push(arrival)
    await sleep(PAUSE_MS)
  }

  const presses = (await pressedKeys(typer)).slice(keysBefore)
  if (presses.length !== total || presses.some((press, i) => press.key !== ALPHABET[i % ALPHABET.length])) {
    throw new Error(`the typing page saw ${presses.length} key presses, not the ${total} sent`)
  }
  const clockSkewMs = (await clockOffset(watcher)) - (await clockOffset(typer))
  const latencies = arrivals.map((arrival, i) => arrival - clockSkewMs - (presses[i]?.at ?? Number.NaN))
  return { latencies: latencies.slice(WARM_UP_KEYS), clockSkewMs }
}

export function reportSkew(run: KeystrokeRun): void {
  process.stdout.write(`  page clocks differ by ${run.clockSkewMs.toFixed(3)} ms (taken out of every sample)\n`)
}

export interface SideCpus {
  candidate?: string
  interviewer?: string
}

/** The CPUs for each side's processes, undefined where the sides share them; says which. */
export function keystrokeCpus(): SideCpus {
  const sides = cpuSides()
  if (!sides.split) {
    process.stdout.write(`  both sides share every CPU: ${sides.reason}\n`)
    return {}
  }
  process.stdout.write(`  candidate on CPU ${sides.candidate}, interviewer on CPU ${sides.interviewer}\n`)
  return { candidate: sides.candidate, interviewer: sides.interviewer }
}

export interface SideBrowsers {
  interviewer: Browser
  candidate: Browser
  close(): Promise<void>
}

/** One browser for each side, each on that side's CPUs. */
export async function launchSideBrowsers(cpus: SideCpus): Promise<SideBrowsers> {
  const interviewer = await launchChromium(cpus.interviewer)
  try {
    const candidate = await launchChromium(cpus.candidate)
    return {
      interviewer,
      candidate,
      close: async () => {
        await Promise.all([interviewer.close(), candidate.close()])
      },
    }
  } catch (error) {
    await interviewer.close()
    throw error
  }
}
