import Database from 'better-sqlite3'
import type { Browser, Page } from '@playwright/test'
import { HealthSchema } from '../src/shared/signaling/protocol'
import { recordReliability } from '../src/test-support/reliability-log'
import type { BridgeProcess } from './bridge'
import { expect, test } from './fixtures'
import { createSession, editorText, joinAsCandidate, rebuildFromRecording, typeAtEnd } from './live'
import { startSignalingProcess, type SignalingProcess } from './signaling-process'

/** The interviewer points new links at a standalone signaling server, through Settings → Connection. */
async function useRemoteSignaling(host: Page, bridgeUrl: string, signalingUrl: string): Promise<void> {
  await host.goto(bridgeUrl)
  await host.getByTestId('nav-settings').click()
  await host.getByTestId('settings-signaling-remote').check()
  await host.getByTestId('settings-remote-url').fill(signalingUrl)
  await host.getByTestId('settings-test-signaling').click()
  await expect(host.getByTestId('settings-test-result')).toContainText('Reached')
  await host.getByTestId('settings-connection-save').click()
  await expect(host.getByTestId('settings-connection-saved')).toBeVisible()
}

/** Both ends hold a socket to the server again (the host registered the room, the candidate joined it). */
async function bothOnServer(signaling: SignalingProcess): Promise<void> {
  await expect
    .poll(
      async () => {
        try {
          const health = HealthSchema.parse(await (await fetch(`${signaling.url}/healthz`)).json())
          return [health.rooms, health.connections]
        } catch {
          return null
        }
      },
      { timeout: 30_000 },
    )
    .toEqual([1, 2])
}

/**
 * Keeps every value a connection badge's `data-mode` takes from now on, in the page itself, so a
 * switch that lasts a moment is seen too.
 */
async function watchModes(page: Page, testId: string): Promise<() => Promise<string[]>> {
  await page.evaluate((id) => {
    // The page's own objects: these files compile without the DOM's types.
    interface Node {
      getAttribute(name: string): string | null
    }
    interface MutationRecord {
      type: string
      target: Node
      oldValue: string | null
    }
    const scope = globalThis as unknown as {
      document: { body: object; querySelector(selector: string): Node | null }
      MutationObserver: new (callback: (records: MutationRecord[]) => void) => {
        observe(target: object, options: object): void
      }
      __duetModes: string[]
    }
    const seen: string[] = []
    const note = (mode: string | null | undefined): void => {
      const value = mode ?? 'none'
      if (seen.at(-1) !== value) seen.push(value)
    }
    const current = (): string | null | undefined =>
      scope.document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-mode')
    note(current())
    new scope.MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes' && record.target.getAttribute('data-testid') === id) note(record.oldValue)
      }
      note(current())
    }).observe(scope.document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-mode'],
      attributeOldValue: true,
    })
    scope.__duetModes = seen
  }, testId)
  return () => page.evaluate(() => [...(globalThis as unknown as { __duetModes: string[] }).__duetModes])
}

/** The link events the host recorded: every mode change, drop and reconnect. */
function linkEvents(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const rows = db
      .prepare("SELECT kind, data FROM session_events WHERE kind IN ('mode', 'leave', 'reconnect') ORDER BY id")
      .all() as { kind: string; data: string }[]
    return rows.map((row) => `${row.kind} ${row.data}`)
  } finally {
    db.close()
  }
}

interface Interview {
  host: Page
  candidate: Page
  signaling: SignalingProcess
}

/** A session whose link names a standalone signaling server; the candidate has joined. */
async function startInterview(browser: Browser, host: Page, bridge: BridgeProcess, relay: boolean): Promise<Interview> {
  const signaling = await startSignalingProcess()
  await useRemoteSignaling(host, bridge.url, signaling.url)
  const link = await createSession(host, bridge.url, 1)
  expect(link.startsWith(`${signaling.url}/s/`)).toBe(true)
  if (relay) {
    // The live view reads `?relay=1` when it opens.
    await host.goto(`${host.url()}?relay=1`)
    await host.reload()
    await expect(host.getByTestId('session-link')).toBeVisible()
  }
  const candidate = await joinAsCandidate(browser, link)
  const mode = relay ? 'relayed' : 'direct'
  await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', mode)
  await expect(host.getByTestId('session-connection')).toHaveAttribute('data-mode', mode)
  await host.getByTestId('session-coedit').click()
  await expect(host.getByTestId('session-editor')).toHaveAttribute('data-read-only', 'false')
  return { host, candidate, signaling }
}

/** Each side types a line and sees the other's. */
async function typeBothWays(interview: Interview, label: string): Promise<string[]> {
  const fromCandidate = `#candidate_${label}`
  const fromHost = `#interviewer_${label}`
  await typeAtEnd(interview.candidate, 'cand-editor', `\n${fromCandidate}`)
  await expect(interview.host.getByTestId('session-editor')).toContainText(fromCandidate)
  await typeAtEnd(interview.host, 'session-editor', `\n${fromHost}`)
  await expect(interview.candidate.getByTestId('cand-editor')).toContainText(fromHost)
  return [fromCandidate, fromHost]
}

/** The edits missing from either side's final text or from the recording, and whether both texts are equal. */
async function whatWasLost(interview: Interview, databasePath: string, edits: string[]): Promise<string[]> {
  const hostText = await editorText(interview.host, 'session-editor')
  const candidateText = await editorText(interview.candidate, 'cand-editor')
  const recorded = rebuildFromRecording(databasePath)
  const lost: string[] = []
  for (const [where, text] of [
    ['interviewer', hostText],
    ['candidate', candidateText],
    ['recording', recorded],
  ] as const) {
    const missing = edits.filter((edit) => text.split(edit).length !== 2)
    if (missing.length > 0) lost.push(`${where}: ${missing.join(', ')}`)
  }
  if (hostText !== candidateText) lost.push('the two texts differ')
  return lost
}

test('the signaling server restarts during a direct session: the link is unaffected, nothing is lost', async ({
  browser,
  page,
  bridge,
}) => {
  test.setTimeout(120_000)
  const interview = await startInterview(browser, page, bridge, false)
  let restarted: SignalingProcess | null = null
  try {
    const edits = await typeBothWays(interview, 'before_restart')
    const hostModes = await watchModes(interview.host, 'session-connection')
    const candidateModes = await watchModes(interview.candidate, 'cand-connection')
    const recordedBefore = linkEvents(bridge.databasePath)

    // A deploy's restart: the server says goodbye to both sockets and goes; the channel needs it no more.
    await interview.signaling.stop()
    edits.push(...(await typeBothWays(interview, 'while_server_down')))
    restarted = await startSignalingProcess(interview.signaling.port)
    await bothOnServer(restarted)
    edits.push(...(await typeBothWays(interview, 'after_restart')))

    await expect.poll(() => rebuildFromRecording(bridge.databasePath)).toContain(edits.at(-1))
    const modes = { interviewer: await hostModes(), candidate: await candidateModes() }
    const linkChanges = linkEvents(bridge.databasePath).slice(recordedBefore.length)
    const lost = await whatWasLost(interview, bridge.databasePath, edits)
    if (modes.interviewer.length > 1 || modes.candidate.length > 1) {
      lost.push(
        `the link left direct mode (interviewer ${modes.interviewer.join('→')}, candidate ${modes.candidate.join('→')})`,
      )
    }
    recordReliability({
      area: 'faults',
      scenario: 'The signaling server restarts during a session with a direct link',
      tried:
        'the standalone signaling server was stopped (SIGTERM) and started again on the same port while both ' +
        'sides typed before, during and after; the link was direct throughout',
      lost: lost.length === 0 ? 'nothing' : lost.join('; '),
      edits: edits.length,
    })

    expect(modes).toEqual({ interviewer: ['direct'], candidate: ['direct'] })
    expect(linkChanges).toEqual([])
    expect(lost).toEqual([])
  } finally {
    // The candidate's page would keep retrying the server through the tests that follow.
    await interview.candidate.context().close()
    await restarted?.stop()
    await interview.signaling.stop()
  }
})

test('the signaling server crashes during a relayed session: the link comes back by itself, with every edit on both sides', async ({
  browser,
  page,
  bridge,
}) => {
  test.setTimeout(120_000)
  const interview = await startInterview(browser, page, bridge, true)
  let restarted: SignalingProcess | null = null
  try {
    const edits = await typeBothWays(interview, 'before_crash')

    // Relayed frames go through the server: with it gone, both sides wait and keep typing.
    await interview.signaling.kill()
    await expect(interview.candidate.getByTestId('cand-connection')).not.toHaveAttribute('data-mode', 'relayed')
    await expect(interview.host.getByTestId('session-connection')).not.toHaveAttribute('data-mode', 'relayed')
    const duringOutage = ['#candidate_while_server_down', '#interviewer_while_server_down']
    await typeAtEnd(interview.candidate, 'cand-editor', `\n${duringOutage[0]}`)
    await typeAtEnd(interview.host, 'session-editor', `\n${duringOutage[1]}`)
    edits.push(...duringOutage)

    restarted = await startSignalingProcess(interview.signaling.port)
    await expect(interview.candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', 'relayed', {
      timeout: 30_000,
    })
    await expect(interview.host.getByTestId('session-connection')).toHaveAttribute('data-mode', 'relayed')
    // What each side typed while apart reaches the other once the link is back.
    await expect(interview.host.getByTestId('session-editor')).toContainText(duringOutage[0] ?? '')
    await expect(interview.candidate.getByTestId('cand-editor')).toContainText(duringOutage[1] ?? '')
    edits.push(...(await typeBothWays(interview, 'after_restart')))

    await expect.poll(() => rebuildFromRecording(bridge.databasePath)).toContain(edits.at(-1))
    const reconnects = linkEvents(bridge.databasePath).filter((event) => event.startsWith('reconnect'))
    const lost = await whatWasLost(interview, bridge.databasePath, edits)
    recordReliability({
      area: 'faults',
      scenario: 'The signaling server restarts during a session with a relayed link',
      tried:
        'the standalone signaling server carrying the relay was killed (SIGKILL) and started again on the same ' +
        'port; both sides typed before, during the outage and after',
      lost: lost.length === 0 ? 'nothing' : lost.join('; '),
      edits: edits.length,
      reconnects: reconnects.length,
    })

    expect(lost).toEqual([])
    expect(reconnects).toEqual(['reconnect {"mode":"relayed"}'])
  } finally {
    // The candidate's page would keep retrying the server through the tests that follow.
    await interview.candidate.context().close()
    await restarted?.stop()
    await interview.signaling.stop()
  }
})
