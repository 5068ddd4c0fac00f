import { chromium, type Browser, type Page } from '@playwright/test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { z } from 'zod'
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium'

/** The same Chromium and flags as the e2e suite. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS, headless: true })
}

const POLL_INTERVAL_MS = 3

/**
 * Evaluates `expression` in the page until it yields a value `schema` accepts (not null), or fails
 * after `timeoutMs`. The pages time their own events, so the polling rate only paces the script.
 */
export async function pollPage<T>(
  page: Page,
  expression: string,
  schema: z.ZodType<T | null>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    const parsed = schema.safeParse(await page.evaluate(expression))
    if (parsed.success && parsed.data !== null) return parsed.data
    await sleep(POLL_INTERVAL_MS)
  }
  throw new Error(`${what}: nothing within ${timeoutMs} ms`)
}
