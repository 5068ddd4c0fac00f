import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { createChromiumPdfPrinter, findChromium } from '../../../main/bridge/pdf-printer'
import type { HostApi } from '../../../shared/host-api'
import { toBase64 } from '../../../shared/peer/base64'
import { problemText, seedProblems } from '../../../shared/sync/doc'
import { hostPlugin } from '../host'
import { eventually, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost, type RealHostOptions } from '../test-support/real-host'
import ReportExportMenu from './ReportExportMenu.vue'

const chromium = findChromium()
if (!chromium) {
  console.warn('ReportExportMenu.test.ts: PDF printing with real Chromium skipped, none here (set CHROMIUM_PATH)')
}

let host: RealHost
let wrapper: VueWrapper | undefined
let downloads: { name: string; blob: Blob }[]
let sessionId: string
/** The session's day, local time, as report file names give it. */
let day: string

const FINAL_TWO_SUM = 'def two_sum(nums, target):\n    seen = {}\n    return [0, 1]\n'

/** A finished interview as the live view leaves it: typed code, a hidden-test run, a note, an evaluation. */
async function recordInterview(api: HostApi, candidateName: string): Promise<string> {
  const problems = (await api.problems.list({})).items
  const ids = ['Two Sum', 'Balanced Brackets'].map((title) => problems.find((p) => p.title === title)?.id ?? 0)
  const session = await api.sessions.create({ candidateName, language: 'python', problems: { mode: 'pick', ids } })
  await api.sessions.setStatus({ id: session.id, status: 'live' })

  const doc = new Y.Doc()
  seedProblems(
    doc,
    session.problems.map((p) => p.starterCode.python),
  )
  const seeded = Y.encodeStateAsUpdate(doc)
  const text = problemText(doc, 0)
  text.delete(0, text.length)
  text.insert(0, FINAL_TWO_SUM)
  const typed = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(seeded))
  await api.recording.append({
    sessionId: session.id,
    events: [
      { tMs: 0, kind: 'yjs', problem: 0, data: toBase64(seeded) },
      { tMs: 90_000, kind: 'yjs', problem: 0, data: toBase64(typed) },
    ],
  })
  doc.destroy()

  await api.runs.record({
    sessionId: session.id,
    problem: 0,
    side: 'interviewer',
    kind: 'hidden-tests',
    language: 'python',
    code: FINAL_TWO_SUM,
    stdout: '',
    stderr: '',
    status: 'ok',
    durationMs: 8,
    testResults: [{ name: 'negatives', status: 'fail', expected: [0, 2], actual: [0, 1], stdout: '', durationMs: 1 }],
    tMs: 120_000,
  })
  await api.notes.add({ sessionId: session.id, text: 'Forgot the negatives.', tMs: 130_000, problem: 0 })
  const evaluation = await api.evaluations.get({ sessionId: session.id })
  await api.evaluations.save({
    sessionId: session.id,
    problems: [
      { stars: 3, comment: 'Close.' },
      { stars: null, comment: '' },
    ],
    criteria: evaluation.criteria.map(({ label }) => ({ label, score: null })),
    recommendation: 'no',
    summary: 'Needs more practice.',
  })
  await api.sessions.setStatus({ id: session.id, status: 'ended' })
  return session.id
}

async function start(options: RealHostOptions = {}, candidateName = 'Ada Lovelace'): Promise<void> {
  host = startRealHost(options)
  sessionId = await recordInterview(host.api, candidateName)
  day = dayOf((await host.api.sessions.get({ id: sessionId })).startedAt ?? '')
}

function open(api: HostApi = host.api): void {
  wrapper = mount(ReportExportMenu, { props: { sessionId }, global: { plugins: [[hostPlugin, api]] } })
}

const find = (id: string) => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}

async function exported(format: 'md' | 'html' | 'pdf'): Promise<{ name: string; blob: Blob }> {
  await find(`report-export-${format}`).trigger('click')
  await eventually(() => expect(find('report-saved').exists() || find('report-error').exists()).toBe(true), 20_000)
  expect(find('report-error').exists() ? find('report-error').text() : '').toBe('')
  const [download, ...more] = downloads
  if (!download || more.length > 0) throw new Error(`expected one download, got ${downloads.length}`)
  return download
}

function dayOf(iso: string): string {
  const date = new Date(iso)
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((n) => String(n).padStart(2, '0')).join('-')
}

beforeEach(() => {
  downloads = []
  // Catch the download instead of letting happy-dom navigate to the blob URL.
  const blobs = new Map<string, Blob>()
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:report-${blobs.size}`
    blobs.set(url, blob as Blob)
    return url
  })
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)
    if (blob) downloads.push({ name: this.download, blob })
  })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  host.dispose()
  vi.restoreAllMocks()
})

describe('the report export menu', () => {
  it('downloads Markdown with the code rebuilt from the recording, the runs, the note and the evaluation', async () => {
    await start()
    open()
    const { name, blob } = await exported('md')
    expect(name).toBe(`duet-report-ada-lovelace-${day}.md`)
    expect(blob.type).toBe('text/markdown;charset=utf-8')
    const md = await blob.text()
    expect(md).toContain('# Interview report: Ada Lovelace')
    expect(md).toContain('```python\n' + FINAL_TWO_SUM + '```')
    // Nothing was typed in the second problem: its code is the starter code, from the recording.
    expect(md).toContain('```python\ndef is_balanced(s):\n    pass\n```')
    expect(md).toContain('#### Hidden tests by the interviewer at 2:00')
    expect(md).toContain('- **Fail** negatives: expected `[0,2]`, returned `[0,1]`')
    expect(md).toContain('**2:10** · Problem 1: Two Sum\n\nForgot the negatives.')
    expect(md).toContain('**Recommendation:** No')
    expect(md).toContain('Needs more practice.')
    expect(find('report-saved').text()).toBe(`Saved ${name}.`)
  })

  it('downloads one self-contained HTML file, with the candidate name escaped', async () => {
    await start({}, 'Ada <img src=x onerror=alert(1)>')
    open()
    const { name, blob } = await exported('html')
    expect(name).toBe(`duet-report-ada-img-src-x-onerror-alert-1-${day}.html`)
    expect(blob.type).toBe('text/html;charset=utf-8')
    const html = await blob.text()
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';')
    expect(html).toContain('<dt>Candidate</dt><dd>Ada &lt;img src=x onerror=alert(1)&gt;</dd>')
    expect(html).not.toContain('<img')
    expect(html).toContain('<span class="line">    seen = {}</span>')
  })

  it('shows each step while it works, with the buttons off, and does not start an evaluation', async () => {
    await start()
    const fresh = await host.api.sessions.create({
      candidateName: 'Grace Hopper',
      language: 'python',
      problems: { mode: 'random', difficulty: 'junior', count: 1 },
    })
    sessionId = fresh.id
    // Hold the recording back, to see the export mid-way.
    let release = (): void => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const api: HostApi = {
      ...host.api,
      recording: { ...host.api.recording, load: async (input) => (await held, host.api.recording.load(input)) },
    }
    open(api)
    await find('report-export-pdf').trigger('click')
    await flushPromises()
    const steps = wrapper?.findAll(tid('report-step')).map((s) => [s.find('.label').text(), s.attributes('data-state')])
    expect(steps).toEqual([
      ['Loading the session…', 'current'],
      ['Rebuilding the code', 'pending'],
      ['Rendering the report', 'pending'],
      ['Printing the PDF', 'pending'],
    ])
    for (const format of ['md', 'html', 'pdf']) {
      expect(find(`report-export-${format}`).attributes('disabled')).toBeDefined()
    }
    release()
    await eventually(() => expect(find('report-progress').exists()).toBe(false), 20_000)
    expect(find('report-export-md').attributes('disabled')).toBeUndefined()
    expect((await host.api.evaluations.list()).map((e) => e.sessionId)).not.toContain(fresh.id)
  })

  it('says clearly when this host has no PDF printer, and what to do instead', async () => {
    await start()
    open()
    await find('report-export-pdf').trigger('click')
    await eventually(() => expect(find('report-error').exists()).toBe(true), 20_000)
    expect(find('report-error').text()).toMatch(
      /^The PDF report could not be exported: PDF export is not available here: .* Export the report as HTML instead, open it in a browser and print it to PDF\.$/,
    )
    expect(downloads).toEqual([])
    expect(find('report-export-pdf').attributes('disabled')).toBeUndefined()
  })

  it('says what went wrong when the session cannot be read', async () => {
    await start()
    sessionId = 'no-such-session'
    open()
    await find('report-export-md').trigger('click')
    await eventually(() => expect(find('report-error').exists()).toBe(true))
    expect(find('report-error').text()).toMatch(/^The Markdown report could not be exported: .+/)
    expect(downloads).toEqual([])
  })

  it.skipIf(!chromium)('prints a real PDF through the bridge printer (Chromium)', async () => {
    await start({ printPdf: createChromiumPdfPrinter(chromium ?? '') })
    open()
    const { name, blob } = await exported('pdf')
    expect(name).toBe(`duet-report-ada-lovelace-${day}.pdf`)
    expect(blob.type).toBe('application/pdf')
    const bytes = new Uint8Array(await blob.arrayBuffer())
    expect(new TextDecoder('latin1').decode(bytes.subarray(0, 5))).toBe('%PDF-')
    expect(bytes.length).toBeGreaterThan(1000)
  })
})
