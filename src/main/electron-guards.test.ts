import { beforeAll, describe, expect, it, vi } from 'vitest'
import { hostMethodNames, type HostMethodName } from '../shared/host-api'
import { IPC_EVENT_CHANNEL, ipcChannelOf } from '../shared/preload-api'
import { appUrlMatcher } from './app-origin'
import { registerHostIpc } from './ipc'
import { hardenApp } from './security'
import { app, BrowserWindow, FakeWebContents, ipcMain, session, shell } from './test-support/fake-electron'
import { recordSecurityCheck } from './test-support/security-record'

vi.mock('electron', () => import('./test-support/fake-electron'))

const isAppUrl = appUrlMatcher('app://duet/index.html')

/** URLs that are not the app: other sites, other schemes, look-alikes and opaque origins. */
const FOREIGN_URLS = [
  'https://example.com/',
  'http://duet/index.html',
  'app://evil/index.html',
  'app://duet.evil.example/index.html',
  'app://duet@evil/index.html',
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
  'javascript:alert(1)',
  'blob:app://duet/5f0c',
  'about:blank',
  'chrome://gpu',
  'devtools://devtools/bundled/inspector.html',
  'not a url',
  '',
]

describe('appUrlMatcher', () => {
  it('accepts the app’s own pages and nothing else, though Node gives app:// the opaque origin "null"', () => {
    expect(new URL('app://duet/index.html').origin).toBe('null')
    for (const url of ['app://duet/index.html', 'app://duet/index.html#/sessions/3', 'app://duet/assets/x.js']) {
      expect(isAppUrl(url), url).toBe(true)
    }
    for (const url of FOREIGN_URLS) expect(isAppUrl(url), url).toBe(false)
  })

  it('in development, holds the dev server to its own host and port', () => {
    const isDevUrl = appUrlMatcher('http://localhost:5173')
    expect(isDevUrl('http://localhost:5173/#/bank')).toBe(true)
    for (const url of [
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      ...FOREIGN_URLS,
    ]) {
      expect(isDevUrl(url), url).toBe(false)
    }
  })
})

describe('hardenApp', () => {
  let contents: FakeWebContents

  beforeAll(() => {
    hardenApp(isAppUrl)
    contents = new FakeWebContents()
    app.emit('web-contents-created', {}, contents)
  })

  it('prevents navigation and redirects to anything but the app', () => {
    for (const url of FOREIGN_URLS) {
      expect(contents.navigate('will-navigate', url), url).toBe(true)
      expect(contents.navigate('will-redirect', url), url).toBe(true)
    }
    expect(contents.navigate('will-navigate', 'app://duet/index.html#/history')).toBe(false)
    expect(contents.navigate('will-redirect', 'app://duet/index.html')).toBe(false)
    recordSecurityCheck(
      'Navigation blocked',
      `will-navigate and will-redirect to ${FOREIGN_URLS.length} URLs outside the app (other sites and schemes, look-alike hosts, data:, javascript:, file:)`,
      'nothing: every one prevented; app:// pages still navigate',
      { urls: FOREIGN_URLS.length },
    )
  })

  it('refuses to attach a <webview>', () => {
    let prevented = false
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {})
    expect(prevented).toBe(true)
  })

  it('denies every window.open, and hands only well-formed https links to the system browser', () => {
    const handler = contents.windowOpenHandler
    if (!handler) throw new Error('no window open handler installed')
    const tried = [
      'https://docs.python.org/3/',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'smb://server/share',
      'app://duet/index.html',
      'ms-settings:',
      'https//no-colon',
    ]
    shell.opened.splice(0)
    for (const url of tried) expect(handler({ url }), url).toEqual({ action: 'deny' })
    expect(shell.opened).toEqual(['https://docs.python.org/3/'])
    recordSecurityCheck(
      'window.open denied',
      `window.open of ${tried.length} URLs (https, http, file:, javascript:, data:, smb:, app://, ms-settings:)`,
      'nothing: no window opened; only the https link went to shell.openExternal',
      { urls: tried.length, openedExternally: shell.opened.length },
    )
  })

  it('denies every permission but writing to the clipboard, on request and on check', async () => {
    const denied = [
      'media',
      'display-capture',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'idle-detection',
      'hid',
      'serial',
      'usb',
      'storage-access',
      'window-management',
      'unknown',
    ]
    const defaults = session.defaultSession
    for (const permission of denied) {
      expect(await defaults.request(permission), permission).toBe(false)
      expect(defaults.check(permission), permission).toBe(false)
    }
    // The one the UI needs: "Copy link" writes the candidate's link to the clipboard.
    expect(await defaults.request('clipboard-sanitized-write')).toBe(true)
    expect(defaults.check('clipboard-sanitized-write')).toBe(true)
    recordSecurityCheck(
      'Permissions denied',
      `requested and checked ${denied.length} permissions (camera/microphone, screen, location, notifications, devices, clipboard read, …)`,
      'nothing: all denied; only clipboard-sanitized-write (the Copy link button) is granted',
      { permissions: denied.length },
    )
  })
})

describe('registerHostIpc', () => {
  const dispatched: { method: unknown; input: unknown }[] = []
  let emit: (event: 'problems.changed', payload: unknown) => void = () => {}

  beforeAll(() => {
    registerHostIpc(
      {
        dispatch: (method, input) => {
          dispatched.push({ method, input })
          return Promise.resolve({ ok: true, value: 'answered' })
        },
        onEvent: (listener) => {
          emit = listener
          return () => {}
        },
      },
      isAppUrl,
    )
  })

  /** An invoke event from a frame at `url`, the page's main frame unless `subframe`. */
  function invokeEvent(url: string | null, subframe = false) {
    const mainFrame = { url: url ?? '' }
    return { sender: { mainFrame }, senderFrame: url === null ? null : subframe ? { url } : mainFrame }
  }

  async function call(method: HostMethodName, event: ReturnType<typeof invokeEvent>): Promise<unknown> {
    const handler = ipcMain.handlers.get(ipcChannelOf(method))
    if (!handler) throw new Error(`no handler for ${method}`)
    return await handler(event, { probe: true })
  }

  it('handles exactly the host methods, one channel each', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(hostMethodNames.map(ipcChannelOf).sort())
  })

  it('answers the app’s top frame, and refuses other origins, subframes and a frame already gone', async () => {
    const method: HostMethodName = 'problems.list'
    expect(await call(method, invokeEvent('app://duet/index.html#/bank'))).toEqual({ ok: true, value: 'answered' })
    const refusals = [
      ...FOREIGN_URLS.map((url) => invokeEvent(url)),
      invokeEvent('app://duet/index.html', true),
      invokeEvent(null),
    ]
    dispatched.splice(0)
    for (const event of refusals) {
      expect(await call(method, event)).toMatchObject({ ok: false, error: { message: 'Refused: unknown sender.' } })
    }
    // Every method, not just one: a sender from another origin reaches none of them.
    for (const name of hostMethodNames) {
      expect(await call(name, invokeEvent('https://example.com/'))).toMatchObject({ ok: false })
    }
    expect(dispatched).toEqual([])
    recordSecurityCheck(
      'IPC sender check',
      `invoked host methods from ${FOREIGN_URLS.length} foreign origins, an app subframe and a destroyed frame; every one of ${hostMethodNames.length} methods from a foreign origin`,
      'nothing: no call reached the host',
      { refusedCalls: refusals.length + hostMethodNames.length },
    )
  })

  it('sends host events only to windows showing the app', () => {
    const appWindow = new BrowserWindow({})
    void appWindow.loadURL('app://duet/index.html')
    const reportWindow = new BrowserWindow({})
    void reportWindow.loadURL('file:///tmp/duet-report-x/report.html')
    emit('problems.changed', { ids: [1] })
    expect(appWindow.webContents.sent).toEqual([
      { channel: IPC_EVENT_CHANNEL, args: ['problems.changed', { ids: [1] }] },
    ])
    expect(reportWindow.webContents.sent).toEqual([])
  })
})
