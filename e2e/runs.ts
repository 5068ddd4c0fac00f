import Database from 'better-sqlite3'
import type { BrowserContext, Locator, Page } from '@playwright/test'
import { createDecoder } from 'lib0/decoding'
import { createEncoder } from 'lib0/encoding'
import { readSyncMessage } from 'y-protocols/sync'
import * as Y from 'yjs'
import { z } from 'zod'
import { RunStatusSchema } from '../src/shared/exec/run'
import { TestResultSchema } from '../src/shared/exec/test-result'
import type { Language } from '../src/shared/problem'
import { RunKindSchema, RunMarkSchema, RunSideSchema, type RunMark } from '../src/shared/run-record'
import { FrozenProblemSchema, type FrozenProblem } from '../src/shared/session'
import { readProblems } from './db'
import { expect } from './fixtures'
import { editorText } from './live'

/** Pyodide's first load in a fresh page: several seconds on a small machine, more under load. */
export const RUNTIME_LOAD_TIMEOUT_MS = 90_000

/** Where a run's controls live: the candidate's page (`cand-…`) or the interviewer's own panel (`live-…`). */
export type RunPanelPrefix = 'cand' | 'live'

const FINISHED = /^(ok|error|timeout|stopped|output-limit)$/

/** The interviewer creates a session on one problem of the bank, picked by hand, and opens its live view. */
export async function createSessionOn(
  host: Page,
  bridge: { url: string; databasePath: string },
  language: Language,
  slug: string,
): Promise<string> {
  await host.goto(bridge.url)
  const problem = readProblems(bridge.databasePath).find((p) => p.slug === slug)
  if (!problem) throw new Error(`the problem bank has no problem ${slug}`)
  await host.getByTestId('nav-sessions').click()
  await host.getByTestId('session-new').click()
  await host.getByTestId('session-candidate').fill('Ada Lovelace')
  await host.getByTestId('session-language').selectOption(language)
  await host.getByTestId('session-mode-pick').check()
  await host.getByTestId(`session-pick-${problem.id}`).check()
  await host.getByTestId('session-create').click()
  const link = (await host.getByTestId('session-link').textContent())?.trim() ?? ''
  expect(link).toMatch(/^http:\/\/[\d.]+:\d+\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/)
  return link
}

/**
 * Counts, in every page of `context`, the workers started by name ("Python runner") and how often
 * a runtime loading bar (`…-runtime` in state `loading`) appeared: together they tell a program
 * interrupted in place from one whose worker was replaced and reloaded. Also counts the workers
 * still loading (neither ready nor ended), to wait for a quiet machine.
 */
export async function watchRunners(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    interface NativeWorker {
      addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
      terminate(): void
    }
    type WorkerClass = new (url: unknown, options?: { name?: string }) => NativeWorker
    interface Probe {
      workers: Record<string, number>
      loadings: Record<string, number>
      stillLoading: number
    }
    const scope = globalThis as unknown as {
      Worker?: WorkerClass
      __duetRunProbe: Probe
      MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void }
      document: {
        querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>
      }
    }
    const probe: Probe = { workers: {}, loadings: {}, stillLoading: 0 }
    scope.__duetRunProbe = probe
    const Native = scope.Worker
    if (Native) {
      scope.Worker = class CountedWorker extends Native {
        private loading = true

        constructor(url: unknown, options?: { name?: string }) {
          super(url, options)
          const name = options?.name ?? ''
          probe.workers[name] = (probe.workers[name] ?? 0) + 1
          probe.stillLoading++
          // The runner protocol's first word after loading: `ready` or `load-failed`.
          this.addEventListener('message', ({ data }) => {
            const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : null
            if (type === 'ready' || type === 'load-failed') this.loaded()
          })
        }

        override terminate(): void {
          this.loaded()
          super.terminate()
        }

        private loaded(): void {
          if (!this.loading) return
          this.loading = false
          probe.stillLoading--
        }
      }
    }
    let shown = new Set<string>()
    new scope.MutationObserver(() => {
      const now = new Set<string>()
      for (const bar of Array.from(
        scope.document.querySelectorAll('[data-state="loading"][data-testid$="-runtime"]'),
      )) {
        const id = bar.getAttribute('data-testid') ?? ''
        now.add(id)
        if (!shown.has(id)) probe.loadings[id] = (probe.loadings[id] ?? 0) + 1
      }
      shown = now
    }).observe(scope.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] })
  })
}

interface RunProbe {
  workers: Record<string, number>
  loadings: Record<string, number>
  stillLoading: number
}

const runProbe = (page: Page): Promise<RunProbe> =>
  page.evaluate(() => (globalThis as unknown as { __duetRunProbe: RunProbe }).__duetRunProbe)

export interface RunnerCounts {
  /** Python runner workers started in this page so far. */
  pythonWorkers: number
  /** Times the panel's runtime loading bar appeared. */
  loadings: number
}

export async function runnerCounts(page: Page, prefix: RunPanelPrefix): Promise<RunnerCounts> {
  const probe = await runProbe(page)
  return { pythonWorkers: probe.workers['Python runner'] ?? 0, loadings: probe.loadings[`${prefix}-runtime`] ?? 0 }
}

/**
 * Waits until no runtime is loading in these pages (the app loads its next interpreter ahead, in
 * the background), so that a stop does not compete with Python compiling for a small machine's
 * CPU: the page gives a program one second to honour an interrupt before it replaces the worker.
 */
export async function waitForQuietRunners(...pages: Page[]): Promise<void> {
  for (const page of pages) {
    await expect.poll(async () => (await runProbe(page)).stillLoading, { timeout: RUNTIME_LOAD_TIMEOUT_MS }).toBe(0)
  }
}

/**
 * Fires the paste event a browser fires for Ctrl+V at the focused element, with `text` on its
 * clipboard data. The candidate's page is plain http on the LAN, where pages get no clipboard API
 * to fill the real clipboard from.
 */
export async function pasteIntoFocused(page: Page, text: string): Promise<void> {
  await page.evaluate((pasted) => {
    // The page's own constructors: these files compile without the DOM's types.
    const scope = globalThis as unknown as {
      DataTransfer: new () => { setData(format: string, data: string): void }
      ClipboardEvent: new (type: string, init: object) => object
      document: { activeElement: { dispatchEvent(event: object): boolean } | null }
    }
    const data = new scope.DataTransfer()
    data.setData('text/plain', pasted)
    const event = new scope.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
    scope.document.activeElement?.dispatchEvent(event)
  }, text)
}

/**
 * Replaces the whole text of a Monaco editor as a user does who pastes a program: select all, then
 * paste. Typed text would be re-indented line by line by the editor; pasted text is kept as it is.
 */
export async function setCode(page: Page, testId: string, code: string): Promise<void> {
  await page.getByTestId(testId).locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await pasteIntoFocused(page, code)
  await expect.poll(() => editorText(page, testId)).toBe(code)
}

/**
 * Clears the panel's console, so that the status it shows next belongs to the new run, then
 * presses `button` (run, run-tests, run-hidden).
 */
export async function startRun(page: Page, prefix: RunPanelPrefix, button = 'run'): Promise<void> {
  const status = page.getByTestId(`${prefix}-status`)
  if (FINISHED.test((await status.getAttribute('data-status')) ?? '')) {
    await page.getByTestId(`${prefix}-clear`).click()
  }
  await expect(status).toHaveAttribute('data-status', 'idle')
  await page.getByTestId(`${prefix}-${button}`).click()
}

/** Waits for the run to end and checks how it ended. */
export async function expectFinished(
  page: Page,
  prefix: RunPanelPrefix,
  status: z.infer<typeof RunStatusSchema>,
  timeout?: number,
): Promise<void> {
  const shown = page.getByTestId(`${prefix}-status`)
  await expect(shown).toHaveAttribute('data-status', FINISHED, timeout === undefined ? {} : { timeout })
  await expect(shown).toHaveAttribute('data-status', status)
}

/** Starts a run and waits for its end with `status`. */
export async function runTo(
  page: Page,
  prefix: RunPanelPrefix,
  status: z.infer<typeof RunStatusSchema>,
  options: { button?: string; timeout?: number } = {},
): Promise<void> {
  await startRun(page, prefix, options.button)
  await expectFinished(page, prefix, status, options.timeout)
}

export interface ShownOutput {
  stdout: string
  stderr: string
}

/**
 * What a console shows, per stream. Only the chunks' own text: when both streams are present,
 * screen-reader labels ("Error output: ") are nested inside them.
 */
export async function shownOutput(consoleBox: Locator): Promise<ShownOutput> {
  const chunks = await consoleBox.locator('.output-text .chunk').evaluateAll((elements) =>
    elements.map((element) => {
      const chunk = element as unknown as {
        getAttribute(name: string): string | null
        childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>
      }
      const TEXT_NODE = 3
      const text = Array.from(chunk.childNodes)
        .filter((node) => node.nodeType === TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
      return { stream: chunk.getAttribute('data-stream'), text }
    }),
  )
  return {
    stdout: chunks
      .filter((c) => c.stream === 'stdout')
      .map((c) => c.text)
      .join(''),
    stderr: chunks
      .filter((c) => c.stream === 'stderr')
      .map((c) => c.text)
      .join(''),
  }
}

/** The output of a run panel's console. */
export const panelOutput = (page: Page, prefix: RunPanelPrefix): Promise<ShownOutput> =>
  shownOutput(page.getByTestId(`${prefix}-output`))

/**
 * Keeps, in every page of `context`, the text of every message its WebRTC data channels receive,
 * and of every message they send (the page's own edits, which never come back to it).
 */
export async function recordDataChannels(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    interface Channel {
      addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
      send(data: unknown): void
    }
    type PeerClass = new (...args: never[]) => {
      addEventListener(type: 'datachannel', listener: (event: { channel: Channel }) => void): void
      createDataChannel(...args: never[]): Channel
    }
    const scope = globalThis as unknown as {
      RTCPeerConnection?: PeerClass
      __duetChannels: { received: string[]; sent: string[] }
    }
    const log = { received: [] as string[], sent: [] as string[] }
    scope.__duetChannels = log
    const decoder = new TextDecoder()
    const textOf = (data: unknown): string => {
      if (typeof data === 'string') return data
      if (data instanceof ArrayBuffer) return decoder.decode(data)
      if (ArrayBuffer.isView(data)) return decoder.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      return `[unreadable message: ${Object.prototype.toString.call(data)}]`
    }
    const record = (channel: Channel): void => {
      channel.addEventListener('message', ({ data }) => log.received.push(textOf(data)))
      const send = channel.send.bind(channel)
      channel.send = (data: unknown) => {
        log.sent.push(textOf(data))
        send(data)
      }
    }
    const Native = scope.RTCPeerConnection
    if (!Native) return
    scope.RTCPeerConnection = class RecordedPeerConnection extends Native {
      constructor(...args: never[]) {
        super(...args)
        this.addEventListener('datachannel', ({ channel }) => record(channel))
      }

      override createDataChannel(...args: never[]): Channel {
        const channel = super.createDataChannel(...args)
        record(channel)
        return channel
      }
    }
  })
}

const LinkFrameShape = z.object({ type: z.string(), data: z.string().optional() }).loose()
type LinkFrameShape = z.infer<typeof LinkFrameShape>

/** The link frames among a channel's messages (the rest is its authentication handshake). */
function linkFrames(messages: readonly string[]): LinkFrameShape[] {
  const frames: LinkFrameShape[] = []
  for (const text of messages) {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      continue
    }
    const parsed = LinkFrameShape.safeParse(value)
    if (parsed.success) frames.push(parsed.data)
  }
  return frames
}

const payloadOf = (frame: LinkFrameShape): Buffer => Buffer.from(frame.data ?? '', 'base64')

export interface ReceivedFrames {
  /** Every message received, as it came. */
  raw: string[]
  /** The link frames among them, parsed. */
  frames: LinkFrameShape[]
  /** The Yjs payloads of received `sync` and `awareness` frames, decoded from base64 as UTF-8. */
  decoded: string[]
  /**
   * The shared document rebuilt from the `sync` frames of both directions: each text by name, and
   * the whole state as UTF-8 with deleted content kept. Typing arrives a character per frame; in
   * the rebuilt state it is whole again.
   */
  document: { texts: Record<string, string>; state: string }
}

export async function receivedFrames(page: Page): Promise<ReceivedFrames> {
  const log = await page.evaluate(() => {
    const { received, sent } = (globalThis as unknown as { __duetChannels: { received: string[]; sent: string[] } })
      .__duetChannels
    return { received: [...received], sent: [...sent] }
  })
  const frames = linkFrames(log.received)
  const decoded = frames
    .filter((f) => f.type === 'sync' || f.type === 'awareness')
    .map((f) => payloadOf(f).toString('utf8'))
  const doc = new Y.Doc({ gc: false })
  for (const frame of [...frames, ...linkFrames(log.sent)].filter((f) => f.type === 'sync')) {
    readSyncMessage(createDecoder(payloadOf(frame)), createEncoder(), doc, 'recorded')
  }
  const texts = Object.fromEntries([...doc.share.keys()].map((name) => [name, doc.getText(name).toString()]))
  const state = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('utf8')
  doc.destroy()
  return { raw: log.received, frames, decoded, document: { texts, state } }
}

const RunRowSchema = z.object({
  run_id: z.string(),
  problem: z.number().int(),
  side: RunSideSchema,
  kind: RunKindSchema,
  language: z.string(),
  code: z.string(),
  stdout: z.string(),
  stderr: z.string(),
  status: RunStatusSchema,
  duration_ms: z.number().int().nullable(),
  test_results: z.string(),
  message: z.string().nullable(),
})

export interface RunRow extends Omit<z.infer<typeof RunRowSchema>, 'test_results'> {
  tests: z.infer<typeof TestResultSchema>[] | null
}

function openReadOnly<T>(databasePath: string, read: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/** Every stored run, oldest first, parsed. */
export function readRuns(databasePath: string): RunRow[] {
  return openReadOnly(databasePath, (db) =>
    db
      .prepare(
        'SELECT run_id, problem, side, kind, language, code, stdout, stderr, status, duration_ms, test_results, message FROM runs ORDER BY t_ms, id',
      )
      .all()
      .map((raw) => {
        const { test_results, ...row } = RunRowSchema.parse(raw)
        const tests = z.array(TestResultSchema).nullable().parse(JSON.parse(test_results))
        return { ...row, tests }
      }),
  )
}

/** The `run` marks on the session timeline, in order. */
export function readRunMarks(databasePath: string): RunMark[] {
  return openReadOnly(databasePath, (db) =>
    (db.prepare("SELECT data FROM session_events WHERE kind = 'run' ORDER BY id").all() as { data: unknown }[]).map(
      ({ data }) => RunMarkSchema.parse(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data))),
    ),
  )
}

/** The problems of the (only) session as they were frozen when it was created. */
export function readFrozenProblems(databasePath: string): FrozenProblem[] {
  return openReadOnly(databasePath, (db) =>
    (
      db.prepare('SELECT source_problem_id, problem FROM session_problems ORDER BY position').all() as {
        source_problem_id: number | null
        problem: string
      }[]
    ).map((row) =>
      FrozenProblemSchema.parse({ ...(JSON.parse(row.problem) as object), sourceProblemId: row.source_problem_id }),
    ),
  )
}

/**
 * What would give each hidden test away, by test name: its name, its arguments and its expected
 * value as JSON, and its string values as plain text. Left out: pieces too generic to mean
 * anything (`""`, `["q"]`: under 6 characters with under 3 letters or digits), and pieces the
 * candidate is shown anyway (a name that is also a word of the statement).
 */
export function hiddenTestPieces(problem: FrozenProblem, seenByCandidate: string): Map<string, string[]> {
  const telling = (piece: string): boolean =>
    (piece.length >= 6 || (piece.match(/[A-Za-z0-9]/g) ?? []).length >= 3) && !seenByCandidate.includes(piece)
  const pieces = new Map<string, string[]>()
  for (const test of problem.tests.filter((t) => t.hidden)) {
    const candidates = new Set([test.name, JSON.stringify(test.args), JSON.stringify(test.expected)])
    for (const value of [...test.args, test.expected]) {
      candidates.add(JSON.stringify(value))
      if (typeof value === 'string') candidates.add(value)
    }
    pieces.set(test.name, [...candidates].filter(telling))
  }
  return pieces
}

/** Whether the page may share memory with its workers: what Python's interrupt and interactive input() need. */
export const isCrossOriginIsolated = (page: Page): Promise<boolean> =>
  page.evaluate(() => (globalThis as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true)
