import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { startBridgeProcess } from './bridge'
import { readProblems } from './db'

test('a corrupt database file is named on screen and moved aside only when the user asks', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-corrupt-'))
  const databasePath = join(dataDir, 'duet.sqlite')
  const garbage = Buffer.from('this is not a SQLite database '.repeat(200))
  writeFileSync(databasePath, garbage)
  const bridge = await startBridgeProcess(dataDir)
  try {
    await page.goto(bridge.url)
    await expect(page.getByTestId('db-error-screen')).toBeVisible()
    await expect(page.getByTestId('db-error-path')).toContainText(databasePath)
    expect(readFileSync(databasePath).equals(garbage)).toBe(true)

    await page.getByTestId('db-move-aside').click()
    await expect(page.getByTestId('db-moved-screen')).toBeVisible()
    const movedTo = (await page.getByTestId('db-moved-to').textContent())?.trim() ?? ''
    expect(movedTo.startsWith(`${databasePath}.corrupt-`)).toBe(true)
    expect(readFileSync(movedTo).equals(garbage)).toBe(true)

    await page.getByTestId('db-continue').click()
    await expect(page.getByTestId('problem-row').first()).toBeVisible()
    expect(existsSync(databasePath)).toBe(true)
    expect(readProblems(databasePath).length).toBeGreaterThanOrEqual(15)
  } finally {
    await bridge.stop()
  }
})

test('a database written by a newer Duet is refused and left untouched', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-newer-'))
  const databasePath = join(dataDir, 'duet.sqlite')
  const db = new Database(databasePath)
  db.pragma('user_version = 99')
  db.close()
  const before = readFileSync(databasePath)
  const bridge = await startBridgeProcess(dataDir)
  try {
    await page.goto(bridge.url)
    await expect(page.getByTestId('db-too-new-screen')).toBeVisible()
    await expect(page.getByTestId('db-too-new-path')).toContainText(databasePath)
    await expect(page.getByTestId('db-move-aside')).toHaveCount(0)
    expect(readFileSync(databasePath).equals(before)).toBe(true)
  } finally {
    await bridge.stop()
  }
})
