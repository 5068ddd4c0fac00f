import { _electron as electron, expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { hostMethodNames } from '../src/shared/host-api'

const repoRoot = resolve(import.meta.dirname, '..')
const electronPackage = join(repoRoot, 'node_modules/electron')

/** The Electron binary, if this machine has one; `require('electron')` would try to download it. */
function electronBinary(): string | null {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  const pathFile = join(electronPackage, 'path.txt')
  if (override) return existsSync(override) ? override : null
  if (!existsSync(pathFile)) return null
  const binary = join(electronPackage, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

test('Electron: the packaged main process opens a hardened window with the bank', async () => {
  const binary = electronBinary()
  if (!binary) {
    const reason = 'no Electron binary on this machine (Electron >= 40 downloads it on first run; this network cannot)'
    console.warn(`electron smoke test skipped: ${reason}`)
    test.skip(true, reason)
    return
  }
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
  })
  const app = await electron.launch({
    executablePath: binary,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
    env: { ...process.env, DUET_DATA_DIR: mkdtempSync(join(tmpdir(), 'duet-electron-')) },
  })
  try {
    const page = await app.firstWindow()
    await expect(page.getByTestId('nav-bank')).toBeVisible()
    const exposed = await page.evaluate(() => ({
      hasRequire: 'require' in globalThis,
      hasProcess: 'process' in globalThis,
      methods: Object.keys((globalThis as unknown as { duet: Record<string, unknown> }).duet).sort(),
    }))
    expect(exposed.hasProcess).toBe(false)
    expect(new URL(page.url()).origin).toBe('app://duet')
    expect(exposed.hasRequire).toBe(false)
    const namespaces = new Set(hostMethodNames.map((method) => method.split('.')[0]))
    expect(exposed.methods).toEqual([...namespaces, 'on'].sort())
  } finally {
    await app.close()
  }
})
