import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createElectronPdfPrinter } from './pdf-window'
import { BrowserWindow, session, type FakeSession } from './test-support/fake-electron'
import { recordSecurityCheck } from './test-support/security-record'
import { HARDENED_WEB_PREFERENCES } from './web-preferences'
import { createMainWindow } from './window'

vi.mock('electron', () => import('./test-support/fake-electron'))

const PDF_PARTITION = 'duet-report-pdf'

/** The checklist itself, written out here rather than read from web-preferences.ts. */
const REQUIRED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
}

/** Options that would loosen a window, whatever their value: none is ever set. */
const NEVER_SET = ['enableBlinkFeatures', 'additionalArguments', 'devTools', 'plugins', 'safeDialogs'] as const

function expectHardened(prefs: Electron.WebPreferences | undefined): void {
  expect(prefs).toMatchObject(REQUIRED)
  for (const key of NEVER_SET) expect(prefs, key).not.toHaveProperty(key)
}

const stateStore = { readWindowState: () => null, saveWindowState: () => {} }

afterEach(() => {
  BrowserWindow.created.splice(0)
})

describe('every window the main process creates', () => {
  it('the main window: isolated, sandboxed, no Node, same-origin policy on, our preload only', () => {
    const preload = '/app/out/preload/index.cjs'
    createMainWindow(stateStore, 'app://duet/index.html', preload)
    const [window] = BrowserWindow.created
    const prefs = window?.options.webPreferences
    expectHardened(prefs)
    expect(prefs?.preload).toBe(preload)
    expect(Object.keys(prefs ?? {}).sort()).toEqual([...Object.keys(HARDENED_WEB_PREFERENCES), 'preload'].sort())
    expect(window?.loaded).toEqual(['app://duet/index.html'])
    recordSecurityCheck(
      'Main window webPreferences',
      'created the main window and read the options it was given',
      'nothing: contextIsolation, sandbox, webSecurity on; Node off in page, subframes and workers',
      { options: Object.keys(prefs ?? {}).length },
    )
  })

  it('the hidden PDF window: the same, and JavaScript off, in a session of its own', async () => {
    const pdf = await createElectronPdfPrinter()('<!doctype html><p>report</p>')
    expect(new TextDecoder().decode(pdf)).toContain('%PDF')
    const [window] = BrowserWindow.created
    const prefs = window?.options.webPreferences
    expectHardened(prefs)
    expect(prefs?.javascript).toBe(false)
    expect(prefs?.preload).toBeUndefined()
    expect(prefs?.session).toBe(session.fromPartition(PDF_PARTITION))
    expect(window?.options.show).toBe(false)
    expect(window?.destroyed).toBe(true)
    recordSecurityCheck(
      'PDF window webPreferences',
      'printed a report and read the hidden window’s options',
      'nothing: hardened like the main window, JavaScript off, no preload, destroyed after printing',
    )
  })

  it('the PDF window’s session loads only the report file and grants no permission', async () => {
    let reportUrl = ''
    const loadURL = BrowserWindow.prototype.loadURL
    const spy = vi.spyOn(BrowserWindow.prototype, 'loadURL').mockImplementation(function (this: BrowserWindow, url) {
      reportUrl = url
      const printing: FakeSession = session.fromPartition(PDF_PARTITION)
      // While the report is being printed: its own file, and images inlined in it, nothing else.
      expect(printing.allows(url, 'mainFrame')).toBe(true)
      expect(printing.allows('data:image/png;base64,iVBORw0KGgo=', 'image')).toBe(true)
      for (const [other, type] of [
        ['file:///etc/passwd', 'mainFrame'],
        [url.replace('report.html', 'other.html'), 'mainFrame'],
        [url, 'subFrame'],
        ['https://example.com/track.png', 'image'],
        ['http://127.0.0.1:8787/healthz', 'xhr'],
        ['data:text/html,<script>1</script>', 'subFrame'],
        ['app://duet/index.html', 'mainFrame'],
      ] as const) {
        expect(printing.allows(other, type), `${type} ${other}`).toBe(false)
      }
      return loadURL.call(this, url)
    })
    try {
      await createElectronPdfPrinter()('<!doctype html><p>report</p>')
    } finally {
      spy.mockRestore()
    }
    const printing = session.fromPartition(PDF_PARTITION)
    expect(reportUrl).toMatch(/^file:\/\/.*\/report\.html$/)
    expect(printing.allows(reportUrl, 'mainFrame')).toBe(false)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-sanitized-write', 'openExternal']) {
      expect(await printing.request(permission)).toBe(false)
      expect(printing.check(permission)).toBe(false)
    }
    recordSecurityCheck(
      'PDF window session',
      'asked its request filter about 7 other URLs (files, frames, http, app://) and its handlers for 5 permissions',
      'nothing: only the report file and inline images load; every permission denied',
    )
  })
})

it('creates windows only in window.ts and pdf-window.ts, the two files checked above', () => {
  const mainDir = import.meta.dirname
  const sources = readdirSync(mainDir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('test-support'),
  )
  const creators = sources.filter((file) =>
    /new\s+BrowserWindow\b|new\s+BrowserView\b|new\s+WebContentsView\b/.test(readFileSync(join(mainDir, file), 'utf8')),
  )
  expect(creators.sort()).toEqual(['pdf-window.ts', 'window.ts'])
})
