import { existsSync } from 'node:fs'

/** Debian's Chromium (or CHROMIUM_PATH); Playwright's own browser only where one is installed. */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser']
  return candidates.find((path): path is string => typeof path === 'string' && path !== '' && existsSync(path))
}

/** Root needs --no-sandbox; the rest keeps Chromium from calling out to a network it cannot reach. */
export const CHROMIUM_ARGS = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
]
