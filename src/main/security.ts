import { app, session, shell, type WebContents } from 'electron'

/** Opens a link in the user's browser only when it is a well-formed https URL. */
function openExternalSafely(url: string): void {
  try {
    if (new URL(url).protocol === 'https:') void shell.openExternal(url)
  } catch {
    // Not a URL: ignore it, as a browser would.
  }
}

function hardenContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url)
    return { action: 'deny' }
  })
}

/** Writing a copied link to the clipboard is the one permission the UI needs. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

/** Applies DESIGN.md's renderer rules to every window and web contents the app creates. */
export function hardenApp(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isAppUrl))
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  )
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission))
}
