import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { SECURITY_HEADERS, securityHeadersFor } from '../security-headers'
import { mimeTypeOf, resolveStaticPath } from '../static-path'

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** Serves a built renderer folder with the app's security headers; unknown routes get index.html. */
export function createStaticHandler(root: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = new URL(req.url ?? '/', 'http://bridge').pathname
    let file = resolveStaticPath(root, pathname)
    if (file && !(await isFile(file)) && extname(file) === '') file = resolveStaticPath(root, '/index.html')
    if (!file || !(await isFile(file))) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found')
      return
    }
    const immutable = pathname.startsWith('/assets/')
    res.writeHead(200, {
      ...securityHeadersFor(pathname, req.headers.host ? `http://${req.headers.host}` : undefined),
      'Content-Type': mimeTypeOf(file),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    createReadStream(file).pipe(res)
  }
}
