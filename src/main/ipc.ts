import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { hostMethodNames } from '../shared/host-api'
import { IPC_EVENT_CHANNEL, ipcChannelOf } from '../shared/preload-api'
import type { Host } from './host/host'

/** Only the top frame of our own UI may call the host: never an iframe or a foreign page. */
function isTrustedSender(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame
  return frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url)
}

/** One `ipcMain.handle` per host method, and host events forwarded to every window showing the app. */
export function registerHostIpc(host: Pick<Host, 'dispatch' | 'onEvent'>, isAppUrl: (url: string) => boolean): void {
  for (const method of hostMethodNames) {
    ipcMain.handle(ipcChannelOf(method), (event, input: unknown) => {
      if (!isTrustedSender(event, isAppUrl)) {
        return { ok: false, error: { code: 'internal', message: 'Refused: unknown sender.', issues: [] } }
      }
      return host.dispatch(method, input)
    })
  }
  host.onEvent((event, payload) => {
    // Not the report-printing window, nor any page that is not ours: events carry session data.
    for (const window of BrowserWindow.getAllWindows()) {
      if (isAppUrl(window.webContents.getURL())) window.webContents.send(IPC_EVENT_CHANNEL, event, payload)
    }
  })
}
