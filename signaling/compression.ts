import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

export type ContentEncoding = 'br' | 'gzip'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** Text and WebAssembly shrink well; images and zips are already compressed. */
export function isCompressible(contentType: string): boolean {
  return /^text\/|javascript|json|svg|wasm/.test(contentType)
}

/** Brotli when the client takes it, else gzip, else none; `q=0` refuses an encoding. */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncoding | null {
  const accepted = new Set<string>()
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    if (name && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name)
  }
  if (accepted.has('br')) return 'br'
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip'
  return null
}

// Brotli's best quality costs about a second per megabyte: worth it for small files only. Past
// that, quality 5 is within a few percent of 9 at a tenth of the time, so a cold first load stays fast.
const BEST_QUALITY_MAX_BYTES = 128 * 1024

function compress(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body)
  const quality = body.length <= BEST_QUALITY_MAX_BYTES ? constants.BROTLI_MAX_QUALITY : 5
  return brotli(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  })
}

export interface FileVersion {
  path: string
  size: number
  mtimeMs: number
}

/**
 * Compressed copies of static files, made once per file version and encoding (the zlib work runs
 * off the event loop), kept up to `maxBytes` in total, least recently used dropped first.
 */
export function createCompressionCache(maxBytes: number) {
  const entries = new Map<string, Promise<Buffer>>()
  const sizes = new Map<string, number>()
  let total = 0

  function evict(): void {
    for (const [key, size] of sizes) {
      if (total <= maxBytes) return
      sizes.delete(key)
      entries.delete(key)
      total -= size
    }
  }

  return {
    get(file: FileVersion, encoding: ContentEncoding): Promise<Buffer> {
      const key = `${encoding}:${file.mtimeMs}:${file.size}:${file.path}`
      const hit = entries.get(key)
      if (hit) {
        // Re-insert, so the map's order is least recently used first.
        entries.delete(key)
        entries.set(key, hit)
        const size = sizes.get(key)
        if (size !== undefined) {
          sizes.delete(key)
          sizes.set(key, size)
        }
        return hit
      }
      const pending = readFile(file.path).then((body) => compress(body, encoding))
      entries.set(key, pending)
      pending.then(
        (body) => {
          if (entries.get(key) !== pending) return
          sizes.set(key, body.length)
          total += body.length
          evict()
        },
        () => entries.delete(key),
      )
      return pending
    },
  }
}
