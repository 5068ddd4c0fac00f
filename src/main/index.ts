import { app, shell, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { appUrlMatcher } from './app-origin'
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol'
import { resolveDataDir } from './host/data-dir'
import { createHost, type Host } from './host/host'
import { registerHostIpc } from './ipc'
import { createElectronPdfPrinter } from './pdf-window'
import { hardenApp } from './security'
import { embeddedSignalingConfig, startEmbeddedSignaling, type EmbeddedSignaling } from './signaling-embed'
import { createMainWindow } from './window'

const devServerUrl = process.env['ELECTRON_RENDERER_URL']
const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`
const isAppUrl = appUrlMatcher(rendererUrl)

function starterPackPath(): string {
  const base = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources')
  return join(base, 'problems', 'starter-pack.yaml')
}

function candidateDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'candidate-web') : join(app.getAppPath(), 'candidate-web', 'dist')
}

/** Without it the app still works; sessions.connection then says the server is not running. */
async function startSignaling(): Promise<EmbeddedSignaling | null> {
  const config = embeddedSignalingConfig({}, process.env)
  if (!config.ok) {
    console.error(`The signaling server is not started: ${config.message}`)
    return null
  }
  try {
    return await startEmbeddedSignaling({ ...config.value, candidateDir: candidateDir() })
  } catch (error) {
    console.error('The signaling server could not start', error)
    return null
  }
}

registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let host: Host | null = null
  let signaling: EmbeddedSignaling | null = null
  let window: BrowserWindow | null = null

  app.on('second-instance', () => {
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    host?.close()
    void signaling?.close()
  })

  void app.whenReady().then(async () => {
    hardenApp(isAppUrl)
    serveAppProtocol(join(import.meta.dirname, '../renderer'))
    signaling = await startSignaling()
    host = createHost({
      dataDir: resolveDataDir(process.env, app.getPath('userData')),
      runtime: 'electron',
      appVersion: app.getVersion(),
      starterPackPath: starterPackPath(),
      signaling: () => signaling?.info() ?? null,
      openPath: (path) => shell.openPath(path),
      printPdf: createElectronPdfPrinter(),
      log: (message, error) => console.error(message, error),
    })
    registerHostIpc(host, isAppUrl)
    window = createMainWindow(host, rendererUrl, join(import.meta.dirname, '../preload/index.cjs'))
  })
}
