import { rmSync } from 'node:fs'
import { startBridgeProcess } from '../e2e/bridge'
import type { Benchmark } from './benchmark'
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
import {
  keystrokeCpus,
  launchSideBrowsers,
  MEASURED_KEYS,
  measureKeystrokes,
  reportSkew,
  type SideBrowsers,
} from './keystrokes'

/**
 * The real app end to end: the bridge process (host services, SQLite, embedded signaling) and the
 * interviewer UI in one browser, the candidate page in another, each side on its own CPUs,
 * connected as `mode`.
 */
async function duetKeystrokes(mode: LinkMode): Promise<number[]> {
  await ensureBuilds()
  const cpus = keystrokeCpus()
  const bridge = await startBridgeProcess(undefined, { cpus: cpus.interviewer })
  let browsers: SideBrowsers | undefined
  try {
    browsers = await launchSideBrowsers(cpus)
    const { host, link } = await openInterviewer(browsers.interviewer, bridge.url, mode === 'relayed')
    const candidateContext = await browsers.candidate.newContext()
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
    await browsers?.close()
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
