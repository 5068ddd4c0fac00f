import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface SignalingProcess {
  /** `http://127.0.0.1:<port>`: what Settings → Connection takes as a remote server for tests. */
  url: string
  port: number
  /** SIGTERM: the server says goodbye to every socket, as a deploy's restart does. */
  stop(): Promise<void>
  /** SIGKILL: the sockets just drop, as in a crash. */
  kill(): Promise<void>
}

const repoRoot = resolve(import.meta.dirname, '..')
/**
 * tsx's loader in this very process, not its CLI: the CLI runs the script in a child process, so
 * a SIGKILL would end only the CLI and leave the server running.
 */
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href

/**
 * Starts the standalone signaling server (`npm run signaling`) as a real process on loopback,
 * serving the candidate page build; `port` 0 takes a free one. Start another on the same port
 * to bring the server back after stopping it.
 */
export async function startSignalingProcess(port = 0): Promise<SignalingProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsxLoader,
      join(repoRoot, 'signaling/cli.ts'),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--candidate-dir',
      join(repoRoot, 'candidate-web/dist'),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  // The server logs a JSON line per event; only the start matters here, the tail helps a failure.
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000)
  }
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`signaling server did not start in 30 s:\n${output}`)), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk)
      const started = /Duet signaling server: (\S+)/.exec(output)?.[1]
      if (started) {
        clearTimeout(timer)
        resolveUrl(started)
      }
    })
    child.stderr.on('data', keep)
    child.once('exit', (code) => reject(new Error(`signaling server exited with ${String(code)}:\n${output}`)))
  })
  const end = (signal: NodeJS.Signals): Promise<void> =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', () => done())
      child.kill(signal)
    })
  return { url, port: Number(new URL(url).port), stop: () => end('SIGTERM'), kill: () => end('SIGKILL') }
}
