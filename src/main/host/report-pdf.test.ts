import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostReply } from '../../shared/host-errors'
import { PACK_FORMAT, PACK_VERSION } from '../../shared/pack'
import { MAX_REPORT_HTML_CHARS, ReportPdfSchema, type PrintPdf } from '../../shared/report/pdf'
import { createHost, type Host } from './host'

let dir: string
let host: Host | undefined
const logged: string[] = []

const PDF = new TextEncoder().encode('%PDF-1.4\n%fake\n')

function start(printPdf?: PrintPdf): Host {
  const packPath = join(dir, 'pack.json')
  writeFileSync(packPath, JSON.stringify({ format: PACK_FORMAT, version: PACK_VERSION, problems: [] }))
  host = createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: 'test',
    starterPackPath: packPath,
    printPdf,
    log: (message) => logged.push(message),
  })
  return host
}

function errorOf(reply: HostReply) {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value)}`)
  return reply.error
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-report-pdf-'))
  logged.length = 0
})

afterEach(() => {
  host?.close()
  host = undefined
  rmSync(dir, { recursive: true, force: true })
})

describe('reports.pdf', () => {
  it('prints the HTML with the injected printer and answers with the PDF in base64', async () => {
    const printed: string[] = []
    const reply = await start(async (html) => {
      printed.push(html)
      return PDF
    }).dispatch('reports.pdf', { html: '<p>report</p>' })
    expect(printed).toEqual(['<p>report</p>'])
    if (!reply.ok) throw new Error(reply.error.message)
    const pdf = ReportPdfSchema.parse(reply.value)
    expect(pdf.bytes).toBe(PDF.length)
    expect(Buffer.from(pdf.data, 'base64').toString('latin1')).toBe('%PDF-1.4\n%fake\n')
  })

  it('refuses where there is no printer, saying to export HTML and print it', async () => {
    const error = errorOf(await start().dispatch('reports.pdf', { html: '<p>report</p>' }))
    expect(error.code).toBe('unavailable')
    expect(error.message).toMatch(/^PDF export is not available here/)
    expect(error.message).toContain('Export the report as HTML instead, open it in a browser and print it to PDF.')
  })

  it('says why printing failed, and logs it', async () => {
    const failing: PrintPdf = () => Promise.reject(new Error('Chromium exited with code 1'))
    const error = errorOf(await start(failing).dispatch('reports.pdf', { html: '<p>report</p>' }))
    expect(error).toMatchObject({ code: 'internal' })
    expect(error.message).toBe(
      'The PDF could not be printed: Chromium exited with code 1. Export the report as HTML instead and print it from a browser.',
    )
    expect(logged).toContain('the report could not be printed to PDF')
  })

  it('refuses what a printer returns when it is not a PDF', async () => {
    const wrong: PrintPdf = () => Promise.resolve(new TextEncoder().encode('<html>'))
    const error = errorOf(await start(wrong).dispatch('reports.pdf', { html: '<p>report</p>' }))
    expect(error.message).toBe(
      'The PDF printer returned something that is not a PDF. Export the report as HTML instead.',
    )
  })

  it('checks the HTML before printing: empty or too large is invalid input', async () => {
    let calls = 0
    const counting: PrintPdf = () => {
      calls++
      return Promise.resolve(PDF)
    }
    const running = start(counting)
    expect(errorOf(await running.dispatch('reports.pdf', { html: '' })).code).toBe('invalid-input')
    const huge = 'x'.repeat(MAX_REPORT_HTML_CHARS + 1)
    expect(errorOf(await running.dispatch('reports.pdf', { html: huge })).issues).toEqual([
      { path: 'html', message: 'the report is too large to print' },
    ])
    expect(calls).toBe(0)
  })
})
