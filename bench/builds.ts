import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import globalSetup from '../e2e/global-setup'
import { rendererOutDir } from '../vite.renderer.config'

const repoRoot = resolve(import.meta.dirname, '..')
const SOURCES = [
  'src/renderer',
  'src/browser',
  'src/shared',
  'candidate-web/src',
  'candidate-web/index.html',
  'candidate-web/vite.config.ts',
  'vite.renderer.config.ts',
]
const OUTPUTS = [join(rendererOutDir, 'index.html'), join(repoRoot, 'candidate-web/dist/index.html')]

function newestChange(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(path, { withFileTypes: true }).map((entry) => newestChange(join(path, entry.name))),
  )
}

let building: Promise<void> | undefined

/**
 * The browser benchmarks serve the production builds, as the e2e suite does. They are rebuilt
 * (with the e2e suite's own build) only when missing or older than their sources: rebuilding
 * empties the folders, which would disturb an e2e run serving them at the same time.
 */
export function ensureBuilds(): Promise<void> {
  building ??= (async () => {
    const builtAt = Math.min(...OUTPUTS.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0)))
    const changedAt = Math.max(...SOURCES.map((path) => newestChange(join(repoRoot, path))))
    if (builtAt > changedAt) return
    process.stdout.write('  building the interviewer UI and the candidate page…\n')
    await globalSetup()
  })()
  return building
}
