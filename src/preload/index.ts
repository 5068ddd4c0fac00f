import { contextBridge, ipcRenderer } from 'electron'
import { hostMethodNames, type HostEventName } from '../shared/host-api'
import { IPC_EVENT_CHANNEL, ipcChannelOf, type DuetPreloadApi } from '../shared/preload-api'

/** `window.duet`: one named function per host method, never the raw ipcRenderer. */
function buildApi(): DuetPreloadApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const method of hostMethodNames) {
    const [namespace, name] = method.split('.') as [string, string]
    api[namespace] ??= {}
    api[namespace][name] = (input: unknown) => ipcRenderer.invoke(ipcChannelOf(method), input)
  }
  const on = (event: HostEventName, handler: (payload: unknown) => void): (() => void) => {
    const listener = (_e: Electron.IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) handler(payload)
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener)
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener)
  }
  return Object.assign(api, { on }) as unknown as DuetPreloadApi
}

contextBridge.exposeInMainWorld('duet', buildApi())
