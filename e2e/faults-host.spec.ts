import Database from 'better-sqlite3'
import type { BrowserContext, Page } from '@playwright/test'
import { recordReliability } from '../src/test-support/reliability-log'
import { startBridgeProcess, type BridgeProcess } from './bridge'
import { expect, test } from './fixtures'
import { createSession, editorText, joinAsCandidate, rebuildFromRecording, typeAtEnd } from './live'
import { sessionIdIn } from './review'

/** DESIGN, Record: the recorder sends a batch at most every 250 ms, so a crash loses at most that much. */
const FLUSH_INTERVAL_MS = 250
/**
 * What the kill may catch on its way besides the unsent batch: the append in flight (a WebSocket
 * message and one SQLite transaction) and a timer firing late on a busy 2-core machine.
 */
const IN_FLIGHT_ALLOWANCE_MS = 150
const KEYSTROKES = 40
const KEYSTROKE_GAP_MS = 40

interface Keystroke {
  text: string
  typedAt: number
}

interface StoredAtKill {
  text: string
  /** The latest event time stored, in session ms. */
  lastTMs: number
  startedAt: number
}

function readAtKill(databasePath: string): StoredAtKill {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const lastTMs = db.prepare('SELECT max(t_ms) FROM session_events').pluck().get() as number
    const startedAt = db.prepare('SELECT started_at FROM sessions').pluck().get() as string
    return { text: rebuildFromRecording(databasePath), lastTMs, startedAt: Date.parse(startedAt) }
  } finally {
    db.close()
  }
}

function gapEvents(databasePath: string): { tMs: number; data: unknown }[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare("SELECT t_ms, data FROM session_events WHERE kind = 'gap' ORDER BY id").all() as {
      t_ms: number
      data: string
    }[]
    return rows.map((row) => ({ tMs: row.t_ms, data: JSON.parse(row.data) as unknown }))
  } finally {
    db.close()
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function openLiveView(page: Page, bridge: BridgeProcess, sessionId: string): Promise<void> {
  await page.goto(`${bridge.url}#/sessions/${encodeURIComponent(sessionId)}`)
  await expect(page.getByTestId('session-link')).toBeVisible()
}

test('the interviewer’s host process is killed mid-session and started again: the candidate reconnects, the code is complete, the recording lost at most its last batch and marks the gap', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const processes: BridgeProcess[] = []
  const contexts: BrowserContext[] = []
  try {
    const first = await startBridgeProcess()
    processes.push(first)
    const hostContext = await browser.newContext()
    contexts.push(hostContext)
    const host = await hostContext.newPage()
    const link = await createSession(host, first.url, 1)
    const sessionId = sessionIdIn(host.url())
    const candidate = await joinAsCandidate(browser, link)
    contexts.push(candidate.context())
    await expect(host.getByTestId('session-connection')).toHaveAttribute('data-mode', 'direct')

    // Keystrokes at known times, the last one just before the kill, all on one line.
    await typeAtEnd(candidate, 'cand-editor', '\n# typed:')
    const keystrokes: Keystroke[] = []
    for (let i = 0; i < KEYSTROKES; i++) {
      if (i > 0) await sleep(KEYSTROKE_GAP_MS)
      const text = ` k${String(i).padStart(2, '0')}`
      const typedAt = Date.now()
      await candidate.keyboard.insertText(text)
      keystrokes.push({ text, typedAt })
    }
    const typedLine = `# typed:${keystrokes.map((k) => k.text).join('')}`

    // The crash: the host process and, as with the desktop app, the interviewer's window with it.
    const killedAt = Date.now()
    await first.kill()
    await hostContext.close()

    const atKill = readAtKill(first.databasePath)
    const stored = keystrokes.map((k) => atKill.text.includes(k.text))
    const firstLost = stored.indexOf(false)
    const lost = firstLost === -1 ? [] : keystrokes.slice(firstLost)
    // Only the end is missing: everything before the last stored keystroke is there too.
    expect(stored.slice(firstLost === -1 ? stored.length : firstLost)).not.toContain(true)
    const lostWindowMs = lost.length === 0 ? 0 : killedAt - (lost[0]?.typedAt ?? killedAt)
    expect(lostWindowMs).toBeLessThanOrEqual(FLUSH_INTERVAL_MS + IN_FLIGHT_ALLOWANCE_MS)

    const second = await startBridgeProcess(first.dataDir, { port: first.port, signalingPort: first.signalingPort })
    processes.push(second)
    // The link the candidate holds names this address: the restarted host must answer on it.
    expect(second.signalingUrl).toBe(first.signalingUrl)
    const reopenedContext = await browser.newContext()
    contexts.push(reopenedContext)
    const reopened = await reopenedContext.newPage()
    await openLiveView(reopened, second, sessionId)

    // The candidate's page comes back by itself, and the sync fills in what the recording missed.
    await expect(reopened.getByTestId('session-presence')).toHaveAttribute('data-online', 'true', { timeout: 60_000 })
    await expect(reopened.getByTestId('session-connection')).toHaveAttribute('data-mode', /^(direct|relayed)$/)
    await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', /^(direct|relayed)$/)
    await expect.poll(() => editorText(reopened, 'session-editor')).toContain(typedLine)
    await expect.poll(() => rebuildFromRecording(second.databasePath)).toContain(typedLine)

    // The timeline says from when to when nothing was recorded.
    const killedAtMs = killedAt - atKill.startedAt
    const gaps = gapEvents(second.databasePath)
    expect(gaps).toEqual([
      { tMs: expect.any(Number), data: { fromMs: atKill.lastTMs, toMs: expect.any(Number), reason: 'host-restart' } },
    ])
    const gap = gaps[0]?.data as { toMs: number }
    expect(atKill.lastTMs).toBeLessThanOrEqual(killedAtMs)
    expect(gap.toMs).toBeGreaterThan(killedAtMs)

    // Edits after the restart flow both ways.
    await typeAtEnd(candidate, 'cand-editor', '\n#candidate_after_restart')
    await expect(reopened.getByTestId('session-editor')).toContainText('#candidate_after_restart')
    await reopened.getByTestId('session-coedit').click()
    await typeAtEnd(reopened, 'session-editor', '\n#interviewer_after_restart')
    await expect(candidate.getByTestId('cand-editor')).toContainText('#interviewer_after_restart')

    const finalText = await editorText(reopened, 'session-editor')
    await expect.poll(() => editorText(candidate, 'cand-editor')).toBe(finalText)
    for (const expected of [typedLine, '#candidate_after_restart', '#interviewer_after_restart']) {
      expect(finalText.split(expected)).toHaveLength(2)
    }
    await expect.poll(() => rebuildFromRecording(second.databasePath)).toBe(finalText)

    // Review and replay show the restart.
    await reopened.goto(`${second.url}#/sessions/${encodeURIComponent(sessionId)}/review`)
    await expect(reopened.getByTestId('review-host-restarts')).toHaveAttribute('data-count', '1')
    await reopened.goto(`${second.url}#/sessions/${encodeURIComponent(sessionId)}/replay`)
    await expect(reopened.getByTestId('replay-marker-gap')).toHaveCount(1)

    recordReliability({
      area: 'faults',
      scenario: 'The interviewer’s host process is killed (SIGKILL) mid-session and started again',
      tried:
        `the candidate typed ${KEYSTROKES} keystrokes ${KEYSTROKE_GAP_MS} ms apart; right after the last one the host ` +
        'process (host services, SQLite, embedded signaling) was killed with SIGKILL and its window closed, then ' +
        'started again on the same data folder and ports; both sides edited after the candidate reconnected',
      lost:
        lost.length === 0
          ? 'nothing'
          : `final code: nothing; recording: the last ${lostWindowMs} ms before the kill (${lost.length} ` +
            `keystroke${lost.length === 1 ? '' : 's'}), restored by the sync on reconnect and marked as a gap`,
      lostKeystrokes: lost.length,
      lostWindowMs,
    })
  } finally {
    // Pages left open would keep retrying their connections through the tests that follow.
    for (const context of contexts) await context.close()
    for (const bridge of processes) await bridge.stop()
  }
})
