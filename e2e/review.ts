import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { BrowserContext, Locator, Page, TestInfo } from '@playwright/test'
import { z } from 'zod'
import { expect } from './fixtures'
import { pasteIntoFocused } from './runs'

/** The interviewer creates a Python session for `candidate` with `count` random junior problems; returns the link. */
export async function createSessionFor(
  host: Page,
  bridgeUrl: string,
  candidate: string,
  count: number,
): Promise<string> {
  await host.goto(bridgeUrl)
  await host.getByTestId('nav-sessions').click()
  await host.getByTestId('session-new').click()
  await host.getByTestId('session-candidate').fill(candidate)
  await host.getByTestId('session-language').selectOption('python')
  await host.getByTestId('session-mode-random').check()
  await host.getByTestId('session-difficulty').selectOption('junior')
  await host.getByTestId('session-count').selectOption(String(count))
  await host.getByTestId('session-create').click()
  const link = (await host.getByTestId('session-link').textContent())?.trim() ?? ''
  expect(link).toMatch(/^http:\/\/[\d.]+:\d+\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/)
  return link
}

/** The session id in a live view's or review's address (`#/sessions/<id>…`). */
export function sessionIdIn(url: string): string {
  const id = /#\/sessions\/([^/?#]+)/.exec(url)?.[1]
  if (!id) throw new Error(`no session id in ${url}`)
  return decodeURIComponent(id)
}

/**
 * The text of the one Monaco editor inside `editor`, line by line in screen order (small
 * documents: every line is rendered).
 */
export async function monacoText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.monaco-editor .view-lines .view-line').evaluateAll((elements) =>
    elements.map((element) => ({
      top: Number.parseFloat((element as unknown as { style: { top: string } }).style.top),
      text: element.textContent ?? '',
    })),
  )
  return lines
    .sort((a, b) => a.top - b.top)
    .map((line) => line.text.replaceAll('\u00a0', ' '))
    .join('\n')
}

/** Pastes `text` at the end of a Monaco editor, as Ctrl+V does (see `pasteIntoFocused`). */
export async function pasteAtEnd(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+End')
  await pasteIntoFocused(page, text)
}

/**
 * The candidate switches to another tab of their browser and back. Playwright tells every page
 * it has focus whatever happens (focus emulation); with that off for the candidate's page, the
 * browser itself blurs it when another page of its window comes to the front, and focuses it
 * again when it comes back. `whileAway` runs while the other tab is in front.
 */
export async function switchTabAndBack(candidate: Page, whileAway: () => Promise<void>): Promise<void> {
  await candidate.bringToFront()
  const cdp = await candidate.context().newCDPSession(candidate)
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false })
  const elsewhere = await candidate.context().newPage()
  await elsewhere.bringToFront()
  await whileAway()
  await candidate.bringToFront()
  await elsewhere.close()
  // Back to Playwright's default, so that windows opened later do not blur the page again.
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true })
  await cdp.detach()
}

/** Every address a context tried to reach beyond the one origin it may use. */
export interface NetworkGuard {
  attempts: string[]
}

/**
 * Cuts a context off from everything but `origin` (the bridge that serves the UI and the host API
 * over its WebSocket): any other HTTP request is aborted as if the network were down, any other
 * WebSocket is closed, and each attempt is kept. Local URLs (blob:, data:) are no network.
 */
export async function allowOnlyOrigin(context: BrowserContext, origin: string): Promise<NetworkGuard> {
  const allowedHost = new URL(origin).host
  const guard: NetworkGuard = { attempts: [] }
  const isForeign = (url: URL): boolean => /^(https?|wss?):$/.test(url.protocol) && url.host !== allowedHost
  await context.route(isForeign, async (route) => {
    guard.attempts.push(route.request().url())
    await route.abort('internetdisconnected')
  })
  await context.routeWebSocket(isForeign, async (socket) => {
    guard.attempts.push(socket.url())
    await socket.close({ code: 1001, reason: 'offline' })
  })
  return guard
}

/** Whether nothing answers at `url` any more: the connection itself fails. */
export async function unreachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) })
    return false
  } catch {
    return true
  }
}

interface ScrollingDocument {
  document: { querySelector(selector: string): { scrollHeight: number } | null }
}

/**
 * Screenshots for the record: into DUET_SCREENSHOT_DIR when set, else the test's output folder.
 * The app scrolls inside its `main`, so the viewport grows to that content's height for the shot.
 */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.DUET_SCREENSHOT_DIR
  const size = page.viewportSize() ?? { width: 1280, height: 720 }
  const height = await page.evaluate(() => {
    const { document } = globalThis as unknown as ScrollingDocument
    return document.querySelector('main')?.scrollHeight ?? 0
  })
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 3000) })
  await page.screenshot({ path: dir ? join(dir, `duet-r-${name}.png`) : testInfo.outputPath(`${name}.png`) })
  await page.setViewportSize(size)
}

/** Text as it appears inside an HTML element: the report escapes these five characters. */
export function htmlEscaped(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c)
}

function openReadOnly<T>(databasePath: string, read: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

const SessionRunSchema = z.object({
  run_id: z.string(),
  t_ms: z.number().int(),
  problem: z.number().int(),
  code: z.string(),
})
const SessionNoteSchema = z.object({ t_ms: z.number().int(), problem: z.number().int().nullable(), body: z.string() })
const KindCountSchema = z.object({ kind: z.string(), count: z.number().int() })

/** A session's stored runs, oldest first. */
export function sessionRuns(databasePath: string, sessionId: string): z.infer<typeof SessionRunSchema>[] {
  return openReadOnly(databasePath, (db) =>
    db
      .prepare('SELECT run_id, t_ms, problem, code FROM runs WHERE session_id = ? ORDER BY t_ms, id')
      .all(sessionId)
      .map((row) => SessionRunSchema.parse(row)),
  )
}

/** A session's private notes, oldest first. */
export function sessionNotes(databasePath: string, sessionId: string): z.infer<typeof SessionNoteSchema>[] {
  return openReadOnly(databasePath, (db) =>
    db
      .prepare('SELECT t_ms, problem, body FROM notes WHERE session_id = ? ORDER BY t_ms, id')
      .all(sessionId)
      .map((row) => SessionNoteSchema.parse(row)),
  )
}

/** How many events of each kind a session's timeline holds. */
export function eventCounts(databasePath: string, sessionId: string): Record<string, number> {
  return openReadOnly(databasePath, (db) =>
    Object.fromEntries(
      db
        .prepare('SELECT kind, count(*) AS count FROM session_events WHERE session_id = ? GROUP BY kind')
        .all(sessionId)
        .map((row) => {
          const { kind, count } = KindCountSchema.parse(row)
          return [kind, count]
        }),
    ),
  )
}

const TableSchema = z.object({ name: z.string(), sql: z.string() })
const CountSchema = z.number().int()

/**
 * Counts rows by table over every table of the file, with `where` choosing them by column; a
 * full-text index is asked through its own search with `match` instead (its storage tables keep
 * pages as they like and are left out). Tables with no such row are left out of the answer.
 */
function rowsWith(
  databasePath: string,
  where: (column: string) => string,
  match: string,
  value: string,
): Record<string, number> {
  return openReadOnly(databasePath, (db) => {
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => TableSchema.parse(row))
    const virtual = tables.filter((t) => /CREATE VIRTUAL TABLE/i.test(t.sql))
    const found: Record<string, number> = {}
    for (const { name, sql } of tables) {
      if (name.startsWith('sqlite_') || virtual.some((v) => name.startsWith(`${v.name}_`))) continue
      let count: number
      if (/USING\s+fts5/i.test(sql)) {
        count = CountSchema.parse(
          db.prepare(`SELECT count(*) FROM "${name}" WHERE "${name}" MATCH ?`).pluck().get(match),
        )
      } else {
        const columns = z
          .array(z.object({ name: z.string() }).loose())
          .parse(db.prepare(`PRAGMA table_info("${name}")`).all())
          .map((c) => where(c.name))
        count = CountSchema.parse(
          db
            .prepare(`SELECT count(*) FROM "${name}" WHERE ${columns.join(' OR ')}`)
            .pluck()
            .get({ value }),
        )
      }
      if (count > 0) found[name] = count
    }
    return found
  })
}

/** The rows holding `sessionId` as a whole value of any column, by table. */
export function rowsNaming(databasePath: string, sessionId: string): Record<string, number> {
  return rowsWith(databasePath, (column) => `"${column}" = @value`, `"${sessionId.replaceAll('"', '""')}"`, sessionId)
}

/** The rows whose text (or bytes read as text) contains `text` anywhere, by table; full-text indexes by phrase. */
export function rowsMentioning(databasePath: string, text: string): Record<string, number> {
  return rowsWith(
    databasePath,
    (column) => `instr(CAST("${column}" AS TEXT), @value) > 0`,
    `"${text.replaceAll('"', '""')}"`,
    text,
  )
}
