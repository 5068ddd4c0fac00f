/**
 * Whether a URL belongs to the app's own pages: the same scheme and host (with port) as the page
 * the main window loads. Not `URL.origin`: the main process parses with Node's URL, which knows
 * nothing of Electron's privileged schemes and gives `app://duet` the opaque origin "null", the
 * same as `data:`, `file:` and `javascript:` URLs.
 */
export function appUrlMatcher(rendererUrl: string): (url: string) => boolean {
  const app = new URL(rendererUrl)
  return (url) => {
    let candidate: URL
    try {
      candidate = new URL(url)
    } catch {
      return false
    }
    return candidate.protocol === app.protocol && candidate.host !== '' && candidate.host === app.host
  }
}
