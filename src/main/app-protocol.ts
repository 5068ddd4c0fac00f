import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { SECURITY_HEADERS, securityHeadersFor } from './security-headers'
import { mimeTypeOf, resolveStaticPath } from './static-path'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://duet`

/** Must run before `app.ready`: makes `app://` a secure, standard origin that may use fetch and workers. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
  ])
}

/** Serves the renderer build from `root`, refusing any path that escapes it. */
export function serveAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === 'duet' ? resolveStaticPath(root, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS })
    const response = await net.fetch(pathToFileURL(file).toString())
    if (!response.ok) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS })
    return new Response(response.body, {
      status: 200,
      headers: { ...securityHeadersFor(url.pathname, APP_ORIGIN), 'Content-Type': mimeTypeOf(file) },
    })
  })
}
