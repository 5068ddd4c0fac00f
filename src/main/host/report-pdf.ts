import { HostError } from '../../shared/host-errors'
import { looksLikePdf, type PrintPdf, type ReportPdf } from '../../shared/report/pdf'

const UNAVAILABLE =
  'PDF export is not available here: this Duet has no PDF printer (the browser bridge needs Chromium; ' +
  'set CHROMIUM_PATH to its executable). Export the report as HTML instead, open it in a browser and print it to PDF.'

/** `reports.pdf`: the report's HTML through the injected printer, checked to be a PDF. */
export async function printReportPdf(
  html: string,
  printPdf: PrintPdf | undefined,
  log: (message: string, error?: unknown) => void,
): Promise<ReportPdf> {
  if (!printPdf) throw new HostError('unavailable', UNAVAILABLE)
  let bytes: Uint8Array
  try {
    bytes = await printPdf(html)
  } catch (error) {
    log('the report could not be printed to PDF', error)
    const reason = error instanceof Error ? error.message : String(error)
    throw new HostError(
      'internal',
      `The PDF could not be printed: ${reason}. Export the report as HTML instead and print it from a browser.`,
    )
  }
  if (!looksLikePdf(bytes)) {
    throw new HostError(
      'internal',
      'The PDF printer returned something that is not a PDF. Export the report as HTML instead.',
    )
  }
  return { data: Buffer.from(bytes).toString('base64'), bytes: bytes.length }
}
