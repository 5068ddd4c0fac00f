import Database from 'better-sqlite3'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import * as Y from 'yjs'
import { expect } from './fixtures'

/** The interviewer creates a Python session with `count` junior problems and opens its live view. */
export async function createSession(host: Page, bridgeUrl: string, count = 2): Promise<string> {
  await host.goto(bridgeUrl)
  await host.getByTestId('nav-sessions').click()
  await host.getByTestId('session-new').click()
  await host.getByTestId('session-candidate').fill('Ada Lovelace')
  await host.getByTestId('session-language').selectOption('python')
  await host.getByTestId('session-mode-random').check()
  await host.getByTestId('session-difficulty').selectOption('junior')
  await host.getByTestId('session-count').selectOption(String(count))
  await host.getByTestId('session-create').click()
  const link = (await host.getByTestId('session-link').textContent())?.trim() ?? ''
  expect(link).toMatch(/^http:\/\/[\d.]+:\d+\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/)
  return link
}

/** The candidate opens the link in a browser of their own (no shared storage) and joins. */
export async function joinAsCandidate(browser: Browser, link: string): Promise<Page> {
  const context = await browser.newContext()
  const candidate = await context.newPage()
  await candidate.goto(link)
  await candidate.getByTestId('cand-name').fill('Ada Lovelace')
  await candidate.getByTestId('cand-join-button').click()
  await expect(candidate.getByTestId('cand-session')).toBeVisible()
  await expect(candidate.getByTestId('cand-editor')).toHaveAttribute('data-ready', 'true')
  return candidate
}

/** Types at the end of a Monaco editor, as a user does. */
export async function typeAtEnd(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText(text)
}

/** The text a Monaco editor shows, line by line in screen order (small documents: every line is rendered). */
export async function editorText(page: Page, testId: string): Promise<string> {
  const lines = await page
    .getByTestId(testId)
    .locator('.monaco-editor .view-lines .view-line')
    .evaluateAll((elements) =>
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

/** Rebuilds problem 0's text from the recorded Yjs updates alone, as replay will. */
export function rebuildFromRecording(databasePath: string, problem = 0): string {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare("SELECT data FROM session_events WHERE kind = 'yjs' ORDER BY id").all() as {
      data: Buffer
    }[]
    const doc = new Y.Doc()
    for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data))
    return doc.getText(`problem:${problem}`).toString()
  } finally {
    db.close()
  }
}

export function sessionStatus(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    return (db.prepare('SELECT status FROM sessions').all() as { status: string }[]).map((r) => r.status)
  } finally {
    db.close()
  }
}

/** The candidate joins from a page of `context`: a context with init scripts installed watches the whole session. */
export async function joinInContext(context: BrowserContext, link: string, name = 'Ada Lovelace'): Promise<Page> {
  const candidate = await context.newPage()
  await candidate.goto(link)
  await candidate.getByTestId('cand-name').fill(name)
  await candidate.getByTestId('cand-join-button').click()
  await expect(candidate.getByTestId('cand-session')).toBeVisible()
  await expect(candidate.getByTestId('cand-editor')).toHaveAttribute('data-ready', 'true')
  return candidate
}

/** `m:ss` or `h:mm:ss` as shown by a countdown, in seconds. */
export function secondsOf(clock: string): number {
  return clock
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0)
}

export interface StoredInterview {
  notes: { t_ms: number; problem: number | null; body: string }[]
  evaluation: { recommendation: string | null; summary: string; rubric: string; submitted_at: string | null } | null
  stars: { position: number; stars: number | null; comment: string }[]
  session: { status: string; time_limit_ms: number | null; started_at: string | null; ended_at: string | null }
}

/** The one session's notes, evaluation and times, read straight from the bridge's SQLite file. */
export function readInterview(databasePath: string): StoredInterview {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    return {
      notes: db.prepare('SELECT t_ms, problem, body FROM notes ORDER BY t_ms, id').all() as StoredInterview['notes'],
      evaluation: (db.prepare('SELECT recommendation, summary, rubric, submitted_at FROM evaluations').get() ??
        null) as StoredInterview['evaluation'],
      stars: db
        .prepare('SELECT position, stars, comment FROM evaluation_problems ORDER BY position')
        .all() as StoredInterview['stars'],
      session: db
        .prepare('SELECT status, time_limit_ms, started_at, ended_at FROM sessions')
        .get() as StoredInterview['session'],
    }
  } finally {
    db.close()
  }
}
