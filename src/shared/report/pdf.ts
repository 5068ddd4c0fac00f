import { z } from 'zod'

/**
 * The largest report HTML the host prints: even as JSON, at up to 6 bytes a character, it fits
 * in one browser-bridge frame (25 MiB). A report that long holds thousands of runs.
 */
export const MAX_REPORT_HTML_CHARS = 4_000_000

export const ReportPdfRequestSchema = z.strictObject({
  html: z.string().min(1).max(MAX_REPORT_HTML_CHARS, 'the report is too large to print'),
})
export type ReportPdfRequest = z.infer<typeof ReportPdfRequestSchema>

export const ReportPdfSchema = z.object({
  /** The PDF file, standard padded base64. */
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  bytes: z.number().int().positive(),
})
export type ReportPdf = z.infer<typeof ReportPdfSchema>

/** Prints report HTML to PDF bytes: Electron's printToPDF, or Chromium beside the browser bridge. */
export type PrintPdf = (html: string) => Promise<Uint8Array>

/**
 * Page numbers at the foot of every PDF page. Chromium draws this template itself, apart from the
 * page, with the classes it fills in; it holds no user text, so it needs no escaping.
 */
export const PDF_FOOTER_TEMPLATE =
  '<div style="width:100%;font:8px sans-serif;color:#666;text-align:center">' +
  'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'

/** Chromium draws a default header (date, title) unless it is given an empty one. */
export const PDF_HEADER_TEMPLATE = '<span></span>'

/** Every PDF starts with these bytes; anything else from a printer is not a PDF. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return bytes.length > 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-'
}
