import type { Browser } from '@playwright/test'
import { rmSync } from 'node:fs'
import { startBridgeProcess } from '../e2e/bridge'
import type { Benchmark } from './benchmark'
import { launchChromium } from './browser'
import { ensureBuilds } from './builds'
import {
  joinCandidate,
  openInterviewer,
  waitForMode,
  waitForRunnerReady,
  waitUntilEditable,
  type LinkMode,
} from './duet-pages'
import { PROBE_SCRIPT } from './page-probe'
import { keystrokeCpus, MEASURED_KEYS, measureKeystrokes, reportSkew } from './keystrokes'

/**
 * The real app end to end: the bridge process (host services, SQLite, embedded signaling) and the
 * interviewer UI in one browser, the candidate page in another, each side on its own CPUs,
 * connected as `mode`.
 */
async function duetKeystrokes(mode: LinkMode): Promise<number[]> {
  await ensureBuilds()
  const cpus = keystrokeCpus()
  const bridge = await startBridgeProcess(undefined, { cpus: cpus.interviewer })
  const browsers: Browser[] = []
  try {
    const interviewerBrowser = await launchChromium(cpus.interviewer)
    browsers.push(interviewerBrowser)
    const candidateBrowser = await launchChromium(cpus.candidate)
    browsers.push(candidateBrowser)
    const { host, link } = await openInterviewer(interviewerBrowser, bridge.url, mode === 'relayed')
    const candidateContext = await candidateBrowser.newContext()
    await candidateContext.addInitScript(PROBE_SCRIPT)
    const candidate = await candidateContext.newPage()
    await joinCandidate(candidate, link)
    await waitUntilEditable(candidate)
    await waitForMode(candidate, 'cand-connection', mode)
    await waitForMode(host, 'session-connection', mode)
    await waitForRunnerReady(candidate, 'cand')
    await waitForRunnerReady(host, 'live')
    const run = await measureKeystrokes(candidate, candidate.getByTestId('cand-editor').locator('.view-lines'), host)
    reportSkew(run)
    return run.latencies
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()))
    await bridge.stop()
    rmSync(bridge.dataDir, { recursive: true, force: true })
  }
}

const TARGET_MS = 25

export const keystrokeLatencyDirectP95Ms: Benchmark = {
  key: 'keystrokeLatencyDirectP95Ms',
  title: `${MEASURED_KEYS} key presses in the candidate's Monaco until the interviewer's Monaco model holds each, direct WebRTC, the two sides in two browsers on separate CPUs (target on p95)`,
  target: TARGET_MS,
  unit: 'ms',
  targetOn: 'p95',
  run: () => duetKeystrokes('direct'),
}

export const keystrokeLatencyRelayP95Ms: Benchmark = {
  key: 'keystrokeLatencyRelayP95Ms',
  title: `the same through the signaling server's encrypted relay (?relay=1)`,
  target: TARGET_MS,
  unit: 'ms',
  targetOn: 'p95',
  run: () => duetKeystrokes('relayed'),
}
