import { BrowserWindow, screen } from 'electron'
import type { Host } from './host/host'
import { HARDENED_WEB_PREFERENCES } from './web-preferences'

/** What the window needs of the host: where it was last time. */
export type WindowStateStore = Pick<Host, 'readWindowState' | 'saveWindowState'>

const DEFAULT_SIZE = { width: 1280, height: 820 }

/** Reopens at the remembered size and place, if that place is still on a screen. */
function initialBounds(host: WindowStateStore): Electron.Rectangle | { width: number; height: number } {
  const saved = host.readWindowState()
  if (!saved) return DEFAULT_SIZE
  const { x, y, width, height } = saved
  if (x === undefined || y === undefined) return { width, height }
  const visible = screen
    .getAllDisplays()
    .some(({ workArea: a }) => x < a.x + a.width && x + width > a.x && y < a.y + a.height && y + height > a.y)
  return visible ? { x, y, width, height } : { width, height }
}

export function createMainWindow(host: WindowStateStore, url: string, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    ...initialBounds(host),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Duet',
    backgroundColor: '#16181d',
    webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: preloadPath },
  })
  if (host.readWindowState()?.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())
  window.on('close', () => {
    const bounds = window.getNormalBounds()
    host.saveWindowState({ ...bounds, maximized: window.isMaximized() })
  })
  void window.loadURL(url)
  return window
}
