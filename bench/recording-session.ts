import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { databasePathIn } from '../src/main/host/data-dir'
import { createHost, type Host } from '../src/main/host/host'
import { createRecorder, type AppendBatch } from '../src/renderer/src/session/recorder'
import type { HostApi } from '../src/shared/host-api'
import { createHostClient } from '../src/shared/host-client'
import { problemIndexOf, problemText, seedProblems } from '../src/shared/sync/doc'

/*
 * The synthetic session: 60 minutes of steady typing over three problems, seeded so that every
 * run records the same session. The candidate works in bursts of 10–40 s at 4–6 edits/s, then
 * pauses: three pauses in four last 1–4 s (reading, thinking), one in four 6–40 s (an idle gap).
 * In a burst, 8 % of keystrokes are typos taken back with a backspace, 2 % move the cursor to
 * the start of another line, and one edit in 200 deletes a whole line; every other keystroke
 * types the next character of plausible code. That averages ≈ 3.8 edits/s, ≈ 13,000 Yjs updates
 * in the hour. On top: a paste of 100–400 characters every ~8 minutes, a run every ~3 minutes, the
 * tab losing focus every ~10 minutes (away 5–60 s), the interviewer switching problems at 20 and
 * 40 minutes and typing a short comment into the code three times. The candidate's document
 * sends each update to the interviewer's, as the live link does, and the interviewer's is recorded.
 */
export const SESSION_MS = 60 * 60 * 1000
export const SESSION_PROBLEMS = 3
const START = Date.UTC(2030, 0, 1, 9, 0, 0)
/** The recorder's batching interval; the simulation flushes on it as the recorder's timer would. */
const FLUSH_MS = 250

const CODE_LINES = [
  'def solve(nums, target):',
  '    seen = {}',
  '    for i, n in enumerate(nums):',
  '        if target - n in seen:',
  '            return [seen[target - n], i]',
  '        seen[n] = i',
  '    return []',
  '',
  'class Node:',
  '    def __init__(self, value, children=None):',
  '        self.value = value',
  '        self.children = children or []',
  '',
  'def walk(node, depth=0):',
  '    stack = [(node, depth)]',
  '    while stack:',
  '        current, level = stack.pop()',
  '        total += current.value * level',
  '        stack.extend((c, level + 1) for c in current.children)',
  '    return total',
  '# try the edge case with an empty list first',
  'print(solve([2, 7, 11, 15], 9))',
  '    if not nums:',
  '        return None',
  '    left, right = 0, len(nums) - 1',
  '    while left < right:',
  '        mid = (left + right) // 2',
]

/** A small seeded generator (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One recorded session in a real SQLite file, through the real recorder and host. */
export interface RecordedSession {
  host: Host
  api: HostApi
  sessionId: string
  databasePath: string
  /** Every batch the recorder sent, as it sent it. */
  batches: AppendBatch[]
  /** How many bytes the database file grew by while the session was recorded. */
  growthBytes: number
  dispose(): void
}

const STARTER_PACK = resolve(fileURLToPath(new URL('.', import.meta.url)), '../resources/problems/starter-pack.yaml')

/** A real host in a temp folder: the same services and dispatch the app and the bridge run. */
export function startBenchHost(): { host: Host; api: HostApi; databasePath: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'duet-bench-recording-'))
  const dataDir = join(root, 'data')
  const host = createHost({
    dataDir,
    runtime: 'browser-bridge',
    appVersion: 'bench',
    starterPackPath: STARTER_PACK,
    signaling: () => ({ baseUrl: 'http://127.0.0.1:8787', iceServers: [] }),
  })
  const api = createHostClient({
    invoke: (method, input) => host.dispatch(method, input),
    subscribe: () => () => undefined,
  })
  return {
    host,
    api,
    databasePath: databasePathIn(dataDir),
    dispose() {
      host.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/**
 * The size of the database file with everything written so far moved into it: a TRUNCATE
 * checkpoint (from a second connection, as any reader may do) empties the write-ahead log.
 */
export function checkpointedSize(databasePath: string): number {
  const db = new Database(databasePath)
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  return statSync(databasePath).size
}

export async function createBenchSession(api: HostApi): Promise<string> {
  const { items } = await api.problems.list({})
  const ids = items.slice(0, SESSION_PROBLEMS).map((p) => p.id)
  if (ids.length < SESSION_PROBLEMS) throw new Error(`the starter pack has fewer than ${SESSION_PROBLEMS} problems`)
  const session = await api.sessions.create({ language: 'python', problems: { mode: 'pick', ids } })
  await api.sessions.setStatus({ id: session.id, status: 'live' })
  return session.id
}

/** Records the synthetic session into a fresh host and measures how much the file grew. */
export async function recordSyntheticSession(): Promise<RecordedSession> {
  const { host, api, databasePath, dispose } = startBenchHost()
  const session = await api.sessions.get({ id: await createBenchSession(api) })
  const sizeBefore = checkpointedSize(databasePath)

  let now = START
  const candidate = new Y.Doc()
  const interviewer = new Y.Doc()
  const batches: AppendBatch[] = []
  // The live link: each side's updates reach the other at once.
  candidate.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'link') Y.applyUpdate(interviewer, update, 'link')
  })
  interviewer.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'link') Y.applyUpdate(candidate, update, 'link')
  })
  const recorder = createRecorder({
    sessionId: session.id,
    doc: interviewer,
    append: (batch) => {
      batches.push(batch)
      return api.recording.append(batch)
    },
    now: () => now,
    startedAt: () => START,
    problemOf: (transaction) => {
      const touched = [...interviewer.share].filter(([, type]) => transaction.changed.has(type))
      return touched.length === 1 ? problemIndexOf(touched[0]?.[0] ?? '') : null
    },
    onTrouble: (error) => {
      if (error !== null) throw error
    },
  })
  seedProblems(
    interviewer,
    session.problems.map((p) => p.starterCode.python),
  )

  const random = seededRandom(2030)
  const between = (low: number, high: number): number => low + random() * (high - low)
  let problem = 0
  const cursors = Array.from({ length: SESSION_PROBLEMS }, (_, i) => problemText(candidate, i).length)
  let line = 0
  let column = 0
  let nextFlush = FLUSH_MS
  let nextPaste = between(6, 10) * 60_000
  let nextRun = between(2, 4) * 60_000
  let nextFocusLoss = between(8, 12) * 60_000
  const switches = [20 * 60_000, 40 * 60_000]
  const comments = [12 * 60_000, 31 * 60_000, 52 * 60_000]
  let runs = 0

  async function advanceTo(t: number): Promise<void> {
    while (nextFlush <= t) {
      now = START + nextFlush
      await recorder.flush()
      nextFlush += FLUSH_MS
    }
    now = START + t
  }

  const text = (): Y.Text => problemText(candidate, problem)
  const clampCursor = (): number => {
    cursors[problem] = Math.min(cursors[problem] ?? 0, text().length)
    return cursors[problem] ?? 0
  }
  function insert(chars: string): void {
    const at = clampCursor()
    text().insert(at, chars)
    cursors[problem] = at + chars.length
  }
  function nextChar(): string {
    const source = `${CODE_LINES[line % CODE_LINES.length]}\n`
    const char = source[column] ?? '\n'
    column++
    if (column >= source.length) {
      line = Math.floor(random() * CODE_LINES.length)
      column = 0
    }
    return char
  }
  function backspace(): void {
    const at = clampCursor()
    if (at > 0) text().delete(at - 1, 1)
    cursors[problem] = Math.max(0, at - 1)
  }
  let typoPending = false
  /** One keystroke: a character, a typo or its backspace, a cursor move, or a whole line deleted. */
  function keystroke(): void {
    if (typoPending) {
      typoPending = false
      backspace()
      return
    }
    const roll = random()
    if (roll < 0.08) {
      insert(String.fromCharCode(97 + Math.floor(random() * 26)))
      typoPending = true
    } else if (roll < 0.1) {
      const content = text().toString()
      const starts = [0, ...[...content.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)]
      cursors[problem] = starts[Math.floor(random() * starts.length)] ?? 0
    } else if (roll < 0.105) {
      const content = text().toString()
      const at = clampCursor()
      const start = content.lastIndexOf('\n', at - 1) + 1
      const end = content.indexOf('\n', at)
      const length = (end === -1 ? content.length : end + 1) - start
      if (length > 0) text().delete(start, length)
      cursors[problem] = start
    } else {
      insert(nextChar())
    }
  }

  let t = 0
  while (t < SESSION_MS) {
    const burstEnd = Math.min(SESSION_MS, t + between(10_000, 40_000))
    const rate = between(4, 6)
    while (t < burstEnd) {
      t += (1000 / rate) * between(0.6, 1.4)
      await advanceTo(t)
      keystroke()
      if (t >= nextPaste) {
        const chars = Array.from({ length: Math.floor(between(100, 400)) }, nextChar).join('')
        insert(chars)
        recorder.event('paste', problem, { chars: chars.length })
        nextPaste += between(6, 10) * 60_000
      }
      if (t >= nextRun) {
        runs++
        const mark = { runId: `bench-run-${runs}`, side: 'candidate', kind: 'run', status: runs % 3 ? 'ok' : 'error' }
        recorder.event('run', problem, mark)
        nextRun += between(2, 4) * 60_000
      }
    }
    let pause = random() < 0.75 ? between(1000, 4000) : between(6000, 40_000)
    const away = t >= nextFocusLoss
    if (away) {
      recorder.event('focus-lost', problem)
      pause = between(5000, 60_000)
      nextFocusLoss += between(8, 12) * 60_000
    }
    t = Math.min(SESSION_MS, t + pause)
    await advanceTo(t)
    if (away) recorder.event('focus-gained', problem)
    const switchAt = switches[0]
    if (switchAt !== undefined && t >= switchAt) {
      switches.shift()
      recorder.event('problem', problem + 1, { from: problem, to: problem + 1 })
      problem++
    }
    const commentAt = comments[0]
    if (commentAt !== undefined && t >= commentAt) {
      comments.shift()
      problemText(interviewer, problem).insert(0, '# interviewer: mind the empty input\n')
    }
  }
  await recorder.stop()
  const growthBytes = checkpointedSize(databasePath) - sizeBefore
  candidate.destroy()
  interviewer.destroy()
  return { host, api, sessionId: session.id, databasePath, batches, growthBytes, dispose }
}
