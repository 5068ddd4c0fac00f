import type * as Pyodide from 'pyodide'
import type { PyodideAPI } from 'pyodide'
import pyodideFileSizes from 'virtual:duet-pyodide-files'
import { PYTHON_LOAD_OPTIONS } from '../../shared/exec/python-engine'

/** Downloading is most of the wait; the rest (compiling, starting Python) is this share of the bar. */
const DOWNLOAD_SHARE = 0.85
/**
 * Imported as modules, so their bytes cannot be counted as they come; both are in when Pyodide
 * starts fetching its WebAssembly.
 */
const MODULES = ['pyodide.mjs', 'pyodide.asm.mjs']
const WEBASSEMBLY = 'pyodide.asm.wasm'

/**
 * Where Pyodide's files are: copied next to the build's assets by build/vite-pyodide.ts (this
 * worker's chunk is in assets/), or served from node_modules/pyodide by the dev server.
 */
export function pyodideIndexUrl(): string {
  return new URL(import.meta.env.DEV ? '/pyodide/' : '../pyodide/', import.meta.url).href
}

/**
 * Loads Pyodide from our own files (never a CDN) and reports progress from the bytes downloaded,
 * against the file sizes known at build time. Pyodide fetches with the global fetch, so that is
 * wrapped for the time of the load to count what arrives.
 */
export async function loadPyodideWithProgress(
  indexURL: string,
  onProgress: (fraction: number) => void,
): Promise<PyodideAPI> {
  const total = Object.values(pyodideFileSizes).reduce((sum, size) => sum + size, 0)
  const received = new Map<string, number>()
  let reported = -1
  const report = () => {
    const bytes = [...received.values()].reduce((sum, size) => sum + size, 0)
    const fraction = Math.round(DOWNLOAD_SHARE * Math.min(1, bytes / total) * 100) / 100
    if (fraction === reported) return
    reported = fraction
    onProgress(fraction)
  }
  report()

  const nativeFetch = globalThis.fetch
  globalThis.fetch = async (input, init) => {
    const response = await nativeFetch(input, init)
    const url = input instanceof Request ? input.url : String(input)
    const name = url.startsWith(indexURL) ? url.slice(indexURL.length) : null
    if (name === null || !(name in pyodideFileSizes) || !response.ok || response.body === null) return response
    if (name === WEBASSEMBLY) for (const module of MODULES) received.set(module, pyodideFileSizes[module] ?? 0)
    let count = 0
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          count += chunk.byteLength
          received.set(name, count)
          report()
          controller.enqueue(chunk)
        },
      }),
    )
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
  try {
    // Pyodide's own loader comes with its files rather than in this bundle: it is written for Node
    // too, and a bundler would drag its node: imports along.
    const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof Pyodide
    // packageBaseUrl: packages, if ever loaded, come from our files too; Pyodide's default is a CDN.
    const pyodide = await loadPyodide({ ...PYTHON_LOAD_OPTIONS, indexURL, packageBaseUrl: indexURL })
    onProgress(1)
    return pyodide
  } finally {
    globalThis.fetch = nativeFetch
  }
}
