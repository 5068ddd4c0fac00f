import type { Server } from 'node:http'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { AppInfoSchema } from '../../shared/app-status'
import { describeIssues, parseWith } from '../../shared/validation'
import { resolveDataDir } from '../host/data-dir'
import { createHost } from '../host/host'
import { SECURITY_HEADERS } from '../security-headers'
import { embeddedSignalingConfig, startEmbeddedSignaling } from '../signaling-embed'
import { createChromiumPdfPrinter, findChromium } from './pdf-printer'
import { startBridge, type RequestHandler } from './server'
import { createStaticHandler } from './static-files'

const USAGE = `Usage: npm run dev:web -- [--port 5174] [--host 127.0.0.1] [--data-dir DIR] [--static DIR]
                       [--signaling-port 8787] [--signaling-host 0.0.0.0]
  --static DIR            serve a built renderer (out/renderer) instead of Vite's dev server
  --signaling-port PORT   the embedded signaling server's port; a free one when it is taken
  --signaling-host HOST   where it listens (127.0.0.1 keeps it on this machine); links use the LAN address
  DUET_DATA_DIR also sets the data folder (default: .duet-dev-data in this folder);
  DUET_SIGNALING_PORT, DUET_SIGNALING_HOST and DUET_ICE_SERVERS configure the signaling server`

const PortSchema = z.coerce
  .number({ error: 'must be 0 to 65535' })
  .int()
  .min(0, 'must be 0 to 65535')
  .max(65535, 'must be 0 to 65535')

const ArgsSchema = z.object({
  port: PortSchema.default(5174),
  host: z.string().min(1).default('127.0.0.1'),
  'data-dir': z.string().min(1).optional(),
  static: z.string().min(1).optional(),
  'signaling-port': PortSchema.optional(),
  'signaling-host': z.string().min(1).optional(),
})

const repoRoot = resolve(import.meta.dirname, '../../..')

async function viteHandler(server: Server): Promise<RequestHandler> {
  const { createServer } = await import('vite')
  const { rendererConfig } = await import('../../../vite.renderer.config')
  const vite = await createServer({
    ...rendererConfig,
    configFile: false,
    appType: 'spa',
    server: { middlewareMode: true, hmr: { server } },
  })
  return (req, res) => {
    // The same headers as the built UI, so dev behaves like the app (cross-origin isolation, CSP).
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    vite.middlewares(req, res)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      static: { type: 'string' },
      'signaling-port': { type: 'string' },
      'signaling-host': { type: 'string' },
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
  const { port, host: hostname, static: staticDir } = args.value
  const signalingConfig = embeddedSignalingConfig(
    { port: args.value['signaling-port'], host: args.value['signaling-host'] },
    process.env,
  )
  if (!signalingConfig.ok) {
    console.error(`${signalingConfig.message}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  const signaling = await startEmbeddedSignaling({
    ...signalingConfig.value,
    candidateDir: resolve(repoRoot, 'candidate-web/dist'),
  })
  const dataDirArg = args.value['data-dir']
  const env = dataDirArg ? { ...process.env, DUET_DATA_DIR: dataDirArg } : process.env
  const chromium = findChromium()
  const host = createHost({
    dataDir: resolveDataDir(env, resolve(repoRoot, '.duet-dev-data')),
    runtime: 'browser-bridge',
    appVersion: process.env['npm_package_version'] ?? 'dev',
    starterPackPath: resolve(repoRoot, 'resources/problems/starter-pack.yaml'),
    signaling: () => signaling.info(),
    // Without Chromium, reports.pdf says so and points to the HTML export.
    printPdf: chromium ? createChromiumPdfPrinter(chromium) : undefined,
    log: (message, error) => console.error(message, error),
  })
  const bridge = await startBridge({
    host,
    port,
    hostname,
    createRequestHandler: staticDir
      ? () => Promise.resolve(createStaticHandler(resolve(staticDir)))
      : (server) => viteHandler(server),
  })
  const info = await host.dispatch('app.info', undefined)
  const parsedInfo = info.ok ? AppInfoSchema.safeParse(info.value) : null
  const where = parsedInfo?.success ? parsedInfo.data.databasePath : 'unavailable'
  // The e2e fixture reads these lines to find the URLs.
  process.stdout.write(
    `Duet browser bridge: ${bridge.url}\nSignaling: ${signaling.info().baseUrl}\nDatabase: ${where}\n`,
  )

  const stop = (): void => {
    void Promise.all([bridge.close(), signaling.close()]).then(() => {
      host.close()
      process.exit(0)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
