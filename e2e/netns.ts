import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium'

/**
 * A Chromium whose network can be cut alone. Playwright's `context.setOffline` is not enough: it
 * fails the page's HTTP and WebSocket traffic but leaves WebRTC alone (tried while writing this:
 * with the candidate's context offline for 12 s, its direct data channel carried every edit). So
 * this browser runs in a network namespace of its own (e2e/netns-chromium.sh), linked to the
 * test's namespace by a veth pair, and `cut` puts a `blackhole` queueing discipline on both ends
 * of the pair: every packet either way vanishes, silently, as when a Wi-Fi network or a router
 * dies. The link stays up, so neither side is told; each has to notice by itself.
 */
export interface OwnNetworkBrowser {
  browser: Browser
  /** Every packet to and from the browser is dropped from now on. */
  cut(): void
  /** Packets flow again. */
  restore(): void
  close(): Promise<void>
}

const wrapper = resolve(import.meta.dirname, 'netns-chromium.sh')
let launched = 0

/** Why a browser with its own network cannot start here, or null when it can. */
export function ownNetworkUnavailable(): string | null {
  // Outside the private namespace these commands would change the machine's own network.
  if (process.env['ISOLATED_NET_INSIDE'] !== '1') return 'runs only inside ../shared/tools/isolated-net (e2e/run.sh)'
  if (process.getuid?.() !== 0) return 'needs root (or a user namespace) to create a network namespace'
  const missing = ['unshare', 'nsenter', 'ip', 'tc'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  )
  return missing.length > 0 ? `needs ${missing.join(', ')} (util-linux, iproute2)` : null
}

/** Launches Chromium in a network namespace of its own; see OwnNetworkBrowser. */
export async function launchWithOwnNetwork(): Promise<OwnNetworkBrowser> {
  const n = launched++
  // Interface names: at most 15 characters, unique in the test's namespace.
  const outer = `dc${process.pid}o${n}`
  const inner = `dc${process.pid}i${n}`
  const pidDir = mkdtempSync(join(tmpdir(), 'duet-netns-'))
  const pidFile = join(pidDir, 'pid')
  let browser: Browser
  let pid: number
  try {
    browser = await chromium.launch({
      executablePath: wrapper,
      args: CHROMIUM_ARGS,
      env: {
        ...process.env,
        DUET_NETNS_CHROMIUM: chromiumExecutable() ?? chromium.executablePath(),
        DUET_NETNS_HOME: `/proc/${process.pid}/ns/net`,
        DUET_NETNS_OUTER: outer,
        DUET_NETNS_INNER: inner,
        DUET_NETNS_OUTER_IP: `10.204.${n % 256}.1`,
        DUET_NETNS_INNER_IP: `10.204.${n % 256}.2`,
        DUET_NETNS_PIDFILE: pidFile,
      },
    })
    // The wrapper execs into Chromium, so the process id it wrote names Chromium's namespace.
    pid = Number(readFileSync(pidFile, 'utf8'))
  } finally {
    rmSync(pidDir, { recursive: true, force: true })
  }
  const inBrowserNet = (command: string[]): string[] => [`--net=/proc/${pid}/ns/net`, '--', ...command]
  const qdisc = (action: 'replace' | 'del'): void => {
    const tail = action === 'replace' ? ['root', 'blackhole'] : ['root']
    execFileSync('tc', ['qdisc', action, 'dev', outer, ...tail])
    execFileSync('nsenter', inBrowserNet(['tc', 'qdisc', action, 'dev', inner, ...tail]))
  }
  return {
    browser,
    cut: () => qdisc('replace'),
    restore: () => qdisc('del'),
    close: () => browser.close(),
  }
}
