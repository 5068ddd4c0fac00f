import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { hostMethodNames } from '../shared/host-api'
import { ipcChannelOf } from '../shared/preload-api'
import { waitFor } from '../shared/peer/test-support/wait'
import { app, BrowserWindow, ipcMain, makeReady, protocol, session } from './test-support/fake-electron'
import { recordSecurityCheck } from './test-support/security-record'

vi.mock('electron', () => import('./test-support/fake-electron'))

// The real main process, with the real host on a temporary SQLite file and the real embedded
// signaling server on a free loopback port: only Electron itself is the recording stand-in.
const dataDir = mkdtempSync(join(tmpdir(), 'duet-main-wiring-'))
const env = { DUET_DATA_DIR: dataDir, DUET_SIGNALING_PORT: '0', DUET_SIGNALING_HOST: '127.0.0.1' }

beforeAll(() => {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined)
})

afterAll(() => {
  app.emit('will-quit')
  vi.unstubAllEnvs()
  rmSync(dataDir, { recursive: true, force: true })
})

it('starts the app hardened: scheme before ready, guards before the window, then the hardened window', async () => {
  await import('./index')
  // Before `ready`: the privileged scheme is registered, and nothing else has happened.
  expect(protocol.privileged).toHaveLength(1)
  expect(BrowserWindow.created).toHaveLength(0)
  expect(ipcMain.handlers.size).toBe(0)
  expect(app.listenerCount('web-contents-created')).toBe(0)

  makeReady()
  await waitFor(() => BrowserWindow.created.length === 1, 'the main window', 15_000)
  const [window] = BrowserWindow.created
  if (!window) throw new Error('no window')

  // hardenApp ran before the window existed: its webContents got the guards when it was created.
  expect(app.listenerCount('web-contents-created')).toBe(1)
  expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
  expect(window.webContents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true)
  expect(session.defaultSession.check('media')).toBe(false)

  // The IPC handlers existed before the page could call them, with the sender check wired to app://.
  expect([...ipcMain.handlers.keys()].sort()).toEqual(hostMethodNames.map(ipcChannelOf).sort())
  const handler = ipcMain.handlers.get(ipcChannelOf('problems.list'))
  const foreign = { url: 'data:text/html,x' }
  expect(await handler?.({ sender: { mainFrame: foreign }, senderFrame: foreign }, {})).toMatchObject({ ok: false })
  const ours = { url: 'app://duet/index.html' }
  expect(await handler?.({ sender: { mainFrame: ours }, senderFrame: ours }, {})).toMatchObject({ ok: true })

  const prefs = window.options.webPreferences
  expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
  expect(prefs?.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/)
  expect(window.loaded).toEqual(['app://duet/index.html'])

  // app:// serves the renderer folder next to main's own.
  const page = await protocol.handlers.get('app')?.({ url: 'app://duet/index.html' } as Request)
  expect(page?.status).toBe(200)
  expect(await page?.text()).toContain('<div id="app">')
  recordSecurityCheck(
    'Main process wiring',
    'ran src/main/index.ts with the real host and signaling server, Electron recorded',
    'nothing: app:// privileged before ready; navigation, window.open and permission guards and the checked IPC handlers in place before the hardened window loaded app://duet',
  )
})
