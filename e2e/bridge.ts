import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { rendererOutDir } from '../vite.renderer.config'

export interface BridgeProcess {
  url: string
  /** The embedded signaling server's base URL (the LAN address inside the test network). */
  signalingUrl: string
  /** The ports it listens on: start another on the same ones to stand in for this one after a crash. */
  port: number
  signalingPort: number
  dataDir: string
  databasePath: string
  stop(): Promise<void>
  /** Ends the process at once with SIGKILL, as a crash would: nothing is flushed or closed. */
  kill(): Promise<void>
}

export interface BridgeStartOptions {
  /** The bridge's port; any free one by default. */
  port?: number
  /** The embedded signaling server's port; any free one by default. Links carry it. */
  signalingPort?: number
  /** CPUs the process may run on (a `taskset` list, Linux); any by default. */
  cpus?: string
}

const repoRoot = resolve(import.meta.dirname, '..')
/**
 * tsx's loader in this very process, not its CLI: the CLI runs the script in a child process, so
 * a SIGKILL would end only the CLI and leave the server running.
 */
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href

const portOf = (url: string): number => Number(new URL(url).port)

/** Starts `dev:web` as a real process on a fresh data folder and waits for the URL it prints. */
export async function startBridgeProcess(
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-')),
  options: BridgeStartOptions = {},
): Promise<BridgeProcess> {
  const command = [
    process.execPath,
    '--import',
    tsxLoader,
    join(repoRoot, 'src/main/bridge/cli.ts'),
    '--port',
    String(options.port ?? 0),
    '--static',
    rendererOutDir,
    '--data-dir',
    dataDir,
    '--signaling-port',
    String(options.signalingPort ?? 0),
  ]
  // taskset replaces itself with the command: the child is the bridge itself, and kill() reaches it.
  const [file = process.execPath, ...args] =
    options.cpus === undefined ? command : ['taskset', '-c', options.cpus, ...command]
  const child: ChildProcess = spawn(file, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const [url, signalingUrl] = await new Promise<[string, string]>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start in 30 s:\n${output}`)), 30_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const bridge = /Duet browser bridge: (\S+)/.exec(output)?.[1]
      const signaling = /Signaling: (\S+)/.exec(output)?.[1]
      if (bridge && signaling) {
        clearTimeout(timer)
        resolveUrl([bridge, signaling])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`bridge exited with ${String(code)}:\n${output}`)))
  })
  // A process ended by a signal has no exit code, only a signal code.
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null
  const end = (signal: NodeJS.Signals): Promise<void> =>
    new Promise<void>((done) => {
      if (exited()) return done()
      child.once('exit', () => done())
      child.kill(signal)
    })
  return {
    url,
    signalingUrl,
    port: portOf(url),
    signalingPort: portOf(signalingUrl),
    dataDir,
    databasePath: join(dataDir, 'duet.sqlite'),
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  }
}
