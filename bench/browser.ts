import { chromium, type Browser, type Page } from '@playwright/test'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { z } from 'zod'
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium'

let launcherDir: string | undefined

/**
 * A launcher script that starts Chromium on `cpus` only: Playwright starts the browser by path, and
 * every process the browser starts (renderers, GPU, network) inherits the affinity.
 */
function launcherOn(cpus: string): string {
  if (launcherDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'duet-bench-chromium-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    launcherDir = dir
  }
  const executable = chromiumExecutable() ?? chromium.executablePath()
  const path = join(launcherDir, `chromium-on-${cpus.replaceAll(',', '_')}.sh`)
  const quoted = `'${executable.replaceAll("'", `'\\''`)}'`
  writeFileSync(path, `#!/bin/sh\nexec taskset -c ${cpus} ${quoted} "$@"\n`)
  chmodSync(path, 0o755)
  return path
}

/** The same Chromium and flags as the e2e suite; with `cpus`, it runs on those CPUs only. */
export function launchChromium(cpus?: string): Promise<Browser> {
  const executablePath = cpus === undefined ? chromiumExecutable() : launcherOn(cpus)
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
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
