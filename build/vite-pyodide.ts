import { createReadStream, readFileSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Plugin } from 'vite'
import { PYODIDE_PATH, runnerWorkerKind, securityHeadersFor } from '../src/main/security-headers.ts'
import { mimeTypeOf } from '../src/main/static-path.ts'

/** The loader the worker imports, and what it fetches or imports from its indexURL; nothing else is needed. */
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']
const SIZES_MODULE = 'virtual:duet-pyodide-files'
const RESOLVED_SIZES_MODULE = `\0${SIZES_MODULE}`

function pyodideDir(): string {
  return dirname(createRequire(import.meta.url).resolve('pyodide/package.json'))
}

/** The file sizes, for an honest progress bar: `import sizes from 'virtual:duet-pyodide-files'`. */
function sizesModule(): Plugin {
  return {
    name: 'duet-pyodide-sizes',
    resolveId: (id) => (id === SIZES_MODULE ? RESOLVED_SIZES_MODULE : null),
    load(id) {
      if (id !== RESOLVED_SIZES_MODULE) return null
      const dir = pyodideDir()
      const sizes = Object.fromEntries(PYODIDE_FILES.map((file) => [file, statSync(join(dir, file)).size]))
      return `export default ${JSON.stringify(sizes)}`
    },
  }
}

/** Dev server: Pyodide's files from node_modules, and the runner workers' own CSP. */
function devMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const pathname = new URL(req.url ?? '/', 'http://dev').pathname
  const origin = req.headers.host ? `http://${req.headers.host}` : undefined
  if (runnerWorkerKind(pathname) !== null) {
    res.setHeader('Content-Security-Policy', securityHeadersFor(pathname, origin)['Content-Security-Policy'] ?? '')
  }
  const file = pathname.startsWith(PYODIDE_PATH) ? pathname.slice(PYODIDE_PATH.length) : null
  if (file === null || !PYODIDE_FILES.includes(file)) {
    next()
    return
  }
  const path = join(pyodideDir(), file)
  res.writeHead(200, {
    'Content-Type': mimeTypeOf(path),
    'Content-Length': statSync(path).size,
    'Cache-Control': 'no-cache',
  })
  createReadStream(path).pipe(res)
}

/**
 * Pyodide served from our own files, never a CDN: copied into the build as `pyodide/…` next to
 * `assets/`, served from node_modules by the dev server. For the page's build (its workers get
 * pyodideWorkerPlugin).
 */
export function pyodidePlugin(): Plugin[] {
  return [
    sizesModule(),
    {
      name: 'duet-pyodide',
      configureServer(server) {
        server.middlewares.use(devMiddleware)
      },
      generateBundle() {
        const dir = pyodideDir()
        for (const file of PYODIDE_FILES) {
          this.emitFile({
            type: 'asset',
            fileName: `${PYODIDE_PATH.slice(1)}${file}`,
            source: readFileSync(join(dir, file)),
          })
        }
      },
    },
  ]
}

/**
 * For `worker.plugins`: the sizes module, and a check that each runner worker's chunk has the file
 * name the servers recognise it by (they give it its own CSP), so a change in Vite's naming fails
 * the build instead of breaking the runners.
 */
export function pyodideWorkerPlugin(): Plugin[] {
  return [
    sizesModule(),
    {
      name: 'duet-runner-worker-names',
      generateBundle(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || !chunk.isEntry) continue
          if (!/-runner\.worker\.ts$/.test(chunk.facadeModuleId ?? '')) continue
          if (runnerWorkerKind(`/${chunk.fileName}`) === null) {
            this.error(`The runner worker chunk ${chunk.fileName} does not match runnerWorkerKind's file name pattern`)
          }
        }
      },
    },
  ]
}
