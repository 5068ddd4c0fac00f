import { existsSync } from 'node:fs'
import { PDF_FOOTER_TEMPLATE, PDF_HEADER_TEMPLATE, type PrintPdf } from '../../shared/report/pdf'

/** CHROMIUM_PATH, else Debian's Chromium: the same search as the e2e tests (e2e/chromium.ts). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser']
  return candidates.find((path): path is string => typeof path === 'string' && path !== '' && existsSync(path)) ?? null
}

/** Root needs --no-sandbox; the rest keeps Chromium from calling out on its own. */
const CHROMIUM_ARGS = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
]

/**
 * The browser bridge's PDF printer: the report HTML in headless Chromium with JavaScript off and
 * every request refused, printed as Electron's printToPDF would. One browser per print: exports
 * are rare, and nothing stays running beside the bridge. Playwright is a development dependency,
 * as the bridge is a development and test entry; it loads on the first print.
 */
export function createChromiumPdfPrinter(executablePath: string): PrintPdf {
  return async (html) => {
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block' })
      // The report's CSP already allows nothing; this holds even for HTML that lacks one.
      await context.route('**/*', (route) => route.abort('blockedbyclient'))
      const page = await context.newPage()
      await page.setContent(html, { waitUntil: 'load' })
      return await page.pdf({
        preferCSSPageSize: true,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: PDF_HEADER_TEMPLATE,
        footerTemplate: PDF_FOOTER_TEMPLATE,
        outline: true,
      })
    } finally {
      await browser.close()
    }
  }
}
