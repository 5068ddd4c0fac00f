import { BrowserWindow, session, type Session } from 'electron'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PDF_FOOTER_TEMPLATE, PDF_HEADER_TEMPLATE, type PrintPdf } from '../shared/report/pdf'
import { HARDENED_WEB_PREFERENCES } from './web-preferences'

// Not "persist:": an in-memory session of its own, so nothing of a report stays on disk, and
// the rules below never touch the app's own session.
const PARTITION = 'duet-report-pdf'

let printSession: Session | null = null
/** The report files being printed: the only pages the printing session loads. */
const reportUrls = new Set<string>()

/**
 * The printing session: every request refused but a report file itself and images embedded in
 * it; every permission denied. Not even another local file: HTML that tried to reach one (a meta
 * refresh, a frame) would otherwise print it into a PDF handed back to the renderer.
 */
function printingSession(): Session {
  if (printSession) return printSession
  printSession = session.fromPartition(PARTITION)
  printSession.webRequest.onBeforeRequest((details, callback) => {
    const reportPage = details.resourceType === 'mainFrame' && reportUrls.has(details.url)
    callback({ cancel: !reportPage && !details.url.startsWith('data:image/') })
  })
  printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  printSession.setPermissionCheckHandler(() => false)
  return printSession
}

/**
 * Electron's PDF printer for `reports.pdf`: the report in a hidden, sandboxed window with
 * JavaScript off, loaded from a private temp file (a data URL would cap its size), printed by
 * Chromium's printToPDF; then the window and the file are gone.
 */
export function createElectronPdfPrinter(): PrintPdf {
  return async (html) => {
    const folder = await mkdtemp(join(tmpdir(), 'duet-report-'))
    const file = join(folder, 'report.html')
    const url = pathToFileURL(file).href
    let window: BrowserWindow | null = null
    try {
      await writeFile(file, html, 'utf8')
      reportUrls.add(url)
      window = new BrowserWindow({
        show: false,
        webPreferences: { ...HARDENED_WEB_PREFERENCES, session: printingSession(), javascript: false },
      })
      await window.loadURL(url)
      return await window.webContents.printToPDF({
        pageSize: 'A4',
        preferCSSPageSize: true,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: PDF_HEADER_TEMPLATE,
        footerTemplate: PDF_FOOTER_TEMPLATE,
        generateDocumentOutline: true,
      })
    } finally {
      window?.destroy()
      reportUrls.delete(url)
      await rm(folder, { recursive: true, force: true })
    }
  }
}
