import type { Page } from '@playwright/test'
import { recordReliability } from '../src/test-support/reliability-log'
import { describeLoss, missingInOrder, recordedText } from './faults'
import { createSession, editorText, joinInContext, typeAtEnd } from './live'
import { expect, test } from './fixtures'
import { launchWithOwnNetwork, ownNetworkUnavailable } from './netns'

/** How long the candidate's network is gone: real time, as the issue asks. */
const CUT_MS = 30_000
/** Each side types a marker this often while the network is cut. */
const TYPE_EVERY_MS = 5_000
/** Generous: after a silent cut, TCP's retransmission backoff alone can take about as long as the cut. */
const RECOVERY_DEADLINE_MS = 90_000

/** What each side types while cut off, one marker per line, in this order. */
const CAND_CUT = Array.from({ length: CUT_MS / TYPE_EVERY_MS }, (_, i) => `#cand_cut_${i + 1}`)
const HOST_CUT = CAND_CUT.map((marker) => marker.replace('#cand_', '#host_'))
const candMarkers = ['#cand_before', ...CAND_CUT, '#cand_after']
const hostMarkers = ['#host_before', ...HOST_CUT, '#host_after']

// Tall pages, so that Monaco renders every line and editorText sees the whole document.
test.use({ viewport: { width: 1280, height: 1600 } })

/** One reading per side: its editor text, or its connection badge. */
interface BothSides {
  host: string
  candidate: string
}

async function readTexts(host: Page, candidate: Page): Promise<BothSides> {
  return { host: await editorText(host, 'session-editor'), candidate: await editorText(candidate, 'cand-editor') }
}

/** What each side's connection badge says. */
async function linkModes(host: Page, candidate: Page): Promise<BothSides> {
  return {
    host: (await host.getByTestId('session-connection').getAttribute('data-mode')) ?? 'none',
    candidate: (await candidate.getByTestId('cand-connection').getAttribute('data-mode')) ?? 'none',
  }
}

/** Reads both editors until `done` holds or the deadline passes; returns the last reading either way. */
async function readUntil(host: Page, candidate: Page, done: (texts: BothSides) => boolean): Promise<BothSides> {
  const deadline = Date.now() + RECOVERY_DEADLINE_MS
  let texts = await readTexts(host, candidate)
  while (!done(texts) && Date.now() < deadline) {
    await host.waitForTimeout(250)
    texts = await readTexts(host, candidate)
  }
  return texts
}

test("the candidate's network drops for 30 s while both sides type: the link comes back by itself and nothing is lost", async ({
  page: host,
  bridge,
}) => {
  const unavailable = ownNetworkUnavailable()
  test.skip(unavailable !== null, `cannot cut one browser's network here: ${String(unavailable)}`)
  test.setTimeout(CUT_MS + 2 * RECOVERY_DEADLINE_MS)

  const link = await createSession(host, bridge.url, 1)
  // The candidate's browser has a network of its own (e2e/netns.ts), so only the candidate is cut:
  // the WebRTC data channel and the signaling WebSocket alike.
  const own = await launchWithOwnNetwork()
  try {
    const candidate = await joinInContext(
      await own.browser.newContext({ viewport: { width: 1280, height: 1600 } }),
      link,
    )
    await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', 'direct')
    await expect(host.getByTestId('session-connection')).toHaveAttribute('data-mode', 'direct')
    await host.getByTestId('session-coedit').click()
    await expect(host.getByTestId('session-editor')).toHaveAttribute('data-read-only', 'false')

    await typeAtEnd(candidate, 'cand-editor', '\n#cand_before')
    await typeAtEnd(host, 'session-editor', '\n#host_before')
    await expect(host.getByTestId('session-editor')).toContainText('#cand_before')
    await expect(candidate.getByTestId('cand-editor')).toContainText('#host_before')

    // Up to the return: the edits each side must still have, and the other must not yet have.
    const candSoFar = ['#cand_before', ...CAND_CUT]
    const hostSoFar = ['#host_before', ...HOST_CUT]
    own.cut()
    const cutAt = Date.now()
    for (const [i, marker] of CAND_CUT.entries()) {
      await typeAtEnd(candidate, 'cand-editor', `\n${marker}`)
      await typeAtEnd(host, 'session-editor', `\n${String(HOST_CUT[i])}`)
      // Pacing in real time, not an assertion: the edits spread over the whole cut.
      await host.waitForTimeout(Math.max(0, cutAt + (i + 1) * TYPE_EVERY_MS - Date.now()))
    }
    // What each side had, and what its badge said, at the end of the cut.
    const duringCut = await readTexts(host, candidate)
    const modesDuringCut = await linkModes(host, candidate)
    own.restore()
    const restoredAt = Date.now()

    // A badge says when the link is back, not that the edits made while apart have crossed, so
    // recovery is measured by each side's edits reaching the other.
    await readUntil(
      host,
      candidate,
      (texts) =>
        missingInOrder(texts.host, candSoFar).length === 0 && missingInOrder(texts.candidate, hostSoFar).length === 0,
    )
    const recoverySeconds = ((Date.now() - restoredAt) / 1000).toFixed(1)

    // After coming back, the link carries new edits both ways.
    await typeAtEnd(candidate, 'cand-editor', '\n#cand_after')
    await typeAtEnd(host, 'session-editor', '\n#host_after')
    const final = await readUntil(
      host,
      candidate,
      (texts) =>
        texts.host === texts.candidate &&
        missingInOrder(texts.host, candMarkers).length === 0 &&
        missingInOrder(texts.host, hostMarkers).length === 0,
    )
    const modes = await linkModes(host, candidate)
    const recorded = await recordedText(host, bridge.databasePath, final.host)

    const every = [...candMarkers, ...hostMarkers]
    const lostEdits = [
      ...new Set([
        ...missingInOrder(final.host, candMarkers),
        ...missingInOrder(final.host, hostMarkers),
        ...missingInOrder(final.candidate, candMarkers),
        ...missingInOrder(final.candidate, hostMarkers),
        ...missingInOrder(recorded, candMarkers),
        ...missingInOrder(recorded, hostMarkers),
      ]),
    ]
    const differences = [
      ...(final.host === final.candidate ? [] : ['the two editors differ']),
      ...(recorded === final.host ? [] : ['the recording differs from the editors']),
    ]
    recordReliability({
      area: 'faults',
      scenario: "Candidate's network drops for 30 s while both sides type",
      tried:
        `cut the candidate browser's network (WebRTC and WebSocket, packets silently dropped) for ${CUT_MS / 1000} s ` +
        `while each side typed a marker every ${TYPE_EVERY_MS / 1000} s in co-edit mode, then restored it`,
      lost: describeLoss(lostEdits, every.length, differences),
      edits: every.length,
      linkShownAtEndOfCut: `candidate ${modesDuringCut.candidate}, interviewer ${modesDuringCut.host}`,
      linkAfter: `candidate ${modes.candidate}, interviewer ${modes.host}`,
      secondsToMergeAfterReturn: recoverySeconds,
    })

    // Neither badge claimed a link while nothing could cross: the candidate's page heard no answer
    // to its pings, and the server, no answer from the candidate to its own.
    expect(modesDuringCut).toEqual({ host: 'reconnecting', candidate: 'reconnecting' })
    // While cut off, each side kept its own edits and had none of the other's.
    expect(missingInOrder(duringCut.candidate, candSoFar)).toEqual([])
    expect(missingInOrder(duringCut.host, hostSoFar)).toEqual([])
    expect(duringCut.host).not.toContain('#cand_cut_')
    expect(duringCut.candidate).not.toContain('#host_cut_')
    expect(lostEdits).toEqual([])
    expect(final.candidate).toBe(final.host)
    expect(recorded).toBe(final.host)
    expect(modes.candidate).toMatch(/^(direct|relayed)$/)
    expect(modes.host).toBe(modes.candidate)
  } finally {
    await own.close()
  }
})
