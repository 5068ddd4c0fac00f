import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium as playwright } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHtmlReport } from '../../shared/report/html-report'
import { buildReportData } from '../../shared/report/report-data'
import { XSS_TEXT } from '../../shared/report/testing/html-safety'
import { hostileSources, sampleSources } from '../../shared/report/testing/sample-report'
import { createChromiumPdfPrinter, findChromium } from './pdf-printer'

const executable = findChromium()
if (!executable) {
  console.warn('pdf-printer.test.ts: skipped, no Chromium here (install chromium or set CHROMIUM_PATH)')
}

/** The document title Chromium writes into the PDF's Info dictionary (UTF-16BE hex, or literal). */
function pdfTitle(pdf: Uint8Array): string | null {
  const text = Buffer.from(pdf).toString('latin1')
  const hex = /\/Title\s*<FEFF([0-9A-Fa-f]*)>/.exec(text)?.[1]
  if (hex !== undefined) return Buffer.from(hex, 'hex').swap16().toString('utf16le')
  return /\/Title\s*\(([^)]*)\)/.exec(text)?.[1] ?? null
}

function pageCount(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page\b/g)?.length ?? 0
  )
}

/** A server that counts what reaches it: nothing should, while a report prints. */
let server: Server
let requests: string[]
let origin: string

beforeAll(async () => {
  requests = []
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'text/css' }).end('body { color: red }')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe.skipIf(!executable)('the browser bridge PDF printer (real Chromium)', () => {
  const print = createChromiumPdfPrinter(executable ?? '')

  it('prints a report to a PDF with a page per problem, titled with the candidate', async () => {
    const pdf = await print(renderHtmlReport(buildReportData(sampleSources())))
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    expect(pdfTitle(pdf)).toBe('Interview report: Ada Lovelace')
    // The header and evaluation, two problems and the notes each start a page.
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(4)
  })

  it('sends no request, even for HTML without the report CSP', async () => {
    const html =
      `<!doctype html><html><head><title>t</title><link rel="stylesheet" href="${origin}/style.css"></head>` +
      `<body><img src="${origin}/pixel.png"><iframe src="${origin}/frame"></iframe><p>x</p></body></html>`
    const pdf = await print(html)
    expect(pageCount(pdf)).toBe(1)
    expect(requests).toEqual([])
  })

  it('runs no script', async () => {
    const html =
      '<!doctype html><html><head><title>static</title></head>' +
      '<body><script>document.title = "script ran"</script><p>x</p></body></html>'
    expect(pdfTitle(await print(html))).toBe('static')
  })
})

describe.skipIf(!executable)('the HTML report in Chromium with JavaScript on', () => {
  it('runs none of the payloads in it and loads nothing', async () => {
    const browser = await playwright.launch({ executablePath: executable ?? '', args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      const events: string[] = []
      page.on('dialog', (dialog) => {
        events.push(`dialog ${dialog.message()}`)
        void dialog.dismiss()
      })
      page.on('request', (request) => events.push(`request ${request.url()}`))
      page.on('console', (message) => events.push(`console ${message.text()}`))
      await page.setContent(renderHtmlReport(buildReportData(hostileSources(XSS_TEXT))), { waitUntil: 'load' })
      const active = page.locator('script, iframe, object, embed, link, svg, meta[http-equiv="refresh"]')
      expect(await active.count()).toBe(0)
      const withHandlers = page.locator("xpath=//*[@*[starts-with(name(), 'on')]]")
      expect(await withHandlers.count()).toBe(0)
      expect(await page.title()).toBe(`Interview report: ${XSS_TEXT.replace(/\s+/g, ' ')}`)
      expect(events).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
