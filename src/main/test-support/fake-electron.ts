// Test-only. A recording stand-in for the `electron` module, for `vi.mock('electron', …)`: this
// machine has no Electron binary, and what these tests check is our configuration and handlers
// (which options every window gets, which handlers are installed and what they answer), not
// Electron. Only the calls the main process and the preload make exist here; a new call fails the
// test until it is added, rather than passing silently.
import { EventEmitter } from 'node:events'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface FakeFrame {
  url: string
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' }

/** Any webContents: a window's, or one created by Electron itself (a devtools page, a popup). */
export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame = { url: '' }
  windowOpenHandler: WindowOpenHandler | null = null
  readonly sent: { channel: string; args: unknown[] }[] = []
  readonly printed: unknown[] = []

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler
  }

  getURL(): string {
    return this.mainFrame.url
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args })
  }

  printToPDF(options: unknown): Promise<Buffer> {
    this.printed.push(options)
    return Promise.resolve(Buffer.from('%PDF-1.7 fake'))
  }

  /** Emits a cancellable navigation event as Electron does; true when a handler prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false
    this.emit(event, { preventDefault: () => (prevented = true), url }, url)
    return prevented
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  readonly loaded: string[] = []
  destroyed = false

  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super()
    BrowserWindow.created.push(this)
    // As Electron does for every new webContents, before the window loads anything.
    app.emit('web-contents-created', {}, this.webContents)
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created.filter((window) => !window.destroyed)
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url)
    this.webContents.mainFrame.url = url
    return Promise.resolve()
  }

  destroy(): void {
    this.destroyed = true
  }

  show(): void {}
  focus(): void {}
  restore(): void {}
  maximize(): void {}
  isMinimized(): boolean {
    return false
  }
  isMaximized(): boolean {
    return false
  }
  getNormalBounds(): Electron.Rectangle {
    return { x: 0, y: 0, width: 1280, height: 820 }
  }
}

type PermissionRequestHandler = (
  contents: FakeWebContents | null,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string },
) => void
type PermissionCheckHandler = (
  contents: FakeWebContents | null,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl?: string },
) => boolean
type BeforeRequestListener = (
  details: { url: string; resourceType: string },
  callback: (response: { cancel?: boolean }) => void,
) => void

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null
  permissionCheckHandler: PermissionCheckHandler | null = null
  beforeRequest: BeforeRequestListener | null = null
  readonly webRequest = {
    onBeforeRequest: (listener: BeforeRequestListener): void => {
      this.beforeRequest = listener
    },
  }

  constructor(readonly partition: string) {}

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler
  }

  /** What the request handler answers for `permission`; throws when no handler is installed. */
  request(permission: string, requestingUrl = 'app://duet/index.html'): Promise<boolean> {
    const handler = this.permissionRequestHandler
    if (!handler) throw new Error(`no permission request handler on ${this.partition}`)
    return new Promise((resolve) => handler(null, permission, resolve, { requestingUrl }))
  }

  check(permission: string, requestingOrigin = 'app://duet'): boolean {
    const handler = this.permissionCheckHandler
    if (!handler) throw new Error(`no permission check handler on ${this.partition}`)
    return handler(null, permission, requestingOrigin, {})
  }

  /** Whether the session lets a request through; throws when no request filter is installed. */
  allows(url: string, resourceType: string): boolean {
    const listener = this.beforeRequest
    if (!listener) throw new Error(`no request filter on ${this.partition}`)
    let cancel: boolean | undefined
    listener({ url, resourceType }, (response) => (cancel = response.cancel))
    if (cancel === undefined) throw new Error('the request filter did not answer')
    return !cancel
  }
}

const partitions = new Map<string, FakeSession>()

export const session = {
  defaultSession: new FakeSession('default'),
  fromPartition(partition: string): FakeSession {
    let found = partitions.get(partition)
    if (!found) {
      found = new FakeSession(partition)
      partitions.set(partition, found)
    }
    return found
  },
}

let resolveReady: () => void = () => {}
const ready = new Promise<void>((resolve) => (resolveReady = resolve))

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  /** What the test module set: the repository, where `resources/` and `candidate-web/` are. */
  appPath: process.cwd(),
  whenReady: (): Promise<void> => ready,
  requestSingleInstanceLock: (): boolean => true,
  quit: (): void => {},
  getAppPath(): string {
    return app.appPath
  },
  /** Never created: the tests set DUET_DATA_DIR, which wins over it. */
  getPath: (name: string): string => join(tmpdir(), 'duet-fake-electron-unused', name),
  getVersion: (): string => '0.0.0-test',
})

/** Fires `app.whenReady()`, as Electron does once it has initialised. */
export function makeReady(): void {
  resolveReady()
}

type ProtocolHandler = (request: Request) => Promise<Response>

export const protocol = {
  privileged: [] as Electron.CustomScheme[][],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: Electron.CustomScheme[]): void {
    protocol.privileged.push(schemes)
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (protocol.handlers.has(scheme)) throw new Error(`protocol ${scheme} handled twice`)
    protocol.handlers.set(scheme, handler)
  },
}

/** The files `net.fetch` was asked for, as paths. */
export const fetchedFiles: string[] = []

export const net = {
  /** Reads `file:` URLs from the disk; anything else is a test failure. */
  async fetch(url: string): Promise<Response> {
    if (!url.startsWith('file:')) throw new Error(`net.fetch(${url}): only file: URLs are expected`)
    const path = fileURLToPath(url)
    fetchedFiles.push(path)
    try {
      return new Response(new Uint8Array(await readFile(path)), { status: 200 })
    } catch {
      return new Response('', { status: 404 })
    }
  },
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    // As Electron: a second handler for a channel is an error.
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    ipcMain.handlers.set(channel, handler)
  },
}

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url)
    return Promise.resolve()
  },
  openPath: (): Promise<string> => Promise.resolve(''),
}

export const screen = {
  getAllDisplays: (): { workArea: Electron.Rectangle }[] => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
}

type RendererListener = (event: unknown, ...args: unknown[]) => void

export const ipcRenderer = {
  invoked: [] as { channel: string; args: unknown[] }[],
  listeners: new Map<string, Set<RendererListener>>(),
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    ipcRenderer.invoked.push({ channel, args })
    return Promise.resolve({ ok: true, value: null })
  },
  on(channel: string, listener: RendererListener): void {
    const set = ipcRenderer.listeners.get(channel) ?? new Set()
    set.add(listener)
    ipcRenderer.listeners.set(channel, set)
  },
  removeListener(channel: string, listener: RendererListener): void {
    ipcRenderer.listeners.get(channel)?.delete(listener)
  },
  /** Delivers a message from the main process, with the event object Electron passes first. */
  deliver(channel: string, ...args: unknown[]): void {
    const event = { sender: ipcRenderer, senderId: 0 }
    for (const listener of ipcRenderer.listeners.get(channel) ?? []) listener(event, ...args)
  },
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    if (contextBridge.exposed.has(key)) throw new Error(`${key} exposed twice`)
    contextBridge.exposed.set(key, api)
  },
}
