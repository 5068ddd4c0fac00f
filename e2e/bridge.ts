import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { rendererOutDir } from '../vite.renderer.config'

export interface BridgeProcess {
  url: string
  /** The embedded signaling server's base URL (the LAN address inside the test network). */
  signalingUrl: string
  dataDir: string
  databasePath: string
  stop(): Promise<void>
}

const repoRoot = resolve(import.meta.dirname, '..')

/** Starts `dev:web` as a real process on a fresh data folder and waits for the URL it prints. */
export async function startBridgeProcess(dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-'))): Promise<BridgeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
      join(repoRoot, 'src/main/bridge/cli.ts'),
      '--port',
      '0',
      '--static',
      rendererOutDir,
      '--data-dir',
      dataDir,
      '--signaling-port',
      '0',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  )
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
  return {
    url,
    signalingUrl,
    dataDir,
    databasePath: join(dataDir, 'duet.sqlite'),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}
