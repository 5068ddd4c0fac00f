import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { describeIssues, parseWith } from '../src/shared/validation'
import { parseIceServers } from './ice-servers'
import { startSignalingServer } from './server'

const USAGE = `Usage: npm run signaling -- [--port 8787] [--host 127.0.0.1] [--candidate-dir candidate-web/dist]
  --host 0.0.0.0         listen on every interface (behind a TLS reverse proxy on the internet)
  --candidate-dir DIR    the candidate page build, relative to the working folder
  DUET_ICE_SERVERS       JSON array of ICE servers served at /config, e.g.
                         '[{"urls":"stun:stun.example.org:3478"},{"urls":"turn:turn.example.org:3478","username":"duet","credential":"…"}]'`

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0, 'must be 0 to 65535').max(65535, 'must be 0 to 65535').default(8787),
  host: z.string().min(1).default('127.0.0.1'),
  'candidate-dir': z.string().min(1).default('candidate-web/dist'),
})

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'candidate-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    console.warn(USAGE)
    return
  }
  const args = parseWith(ArgsSchema, values)
  if (!args.ok) {
    console.error(`${describeIssues(args.issues)}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  const iceServers = parseIceServers(process.env['DUET_ICE_SERVERS'])
  if (!iceServers.ok) {
    console.error(iceServers.message)
    process.exitCode = 2
    return
  }
  const candidateDir = resolve(args.value['candidate-dir'])
  if (!existsSync(join(candidateDir, 'index.html'))) {
    console.warn(`No candidate page build in ${candidateDir}: interview links answer 503 until it is built.`)
  }
  const server = await startSignalingServer({
    port: args.value.port,
    host: args.value.host,
    candidateDir,
    iceServers: iceServers.value,
  })
  // The benchmark and deploy scripts read this line to find the URL.
  process.stdout.write(`Duet signaling server: ${server.url}\n`)

  const stop = (): void => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
