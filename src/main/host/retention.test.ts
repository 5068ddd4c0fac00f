import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { HostApi, HostEventName } from '../../shared/host-api'
import { createHostClient } from '../../shared/host-client'
import { PACK_FORMAT, PACK_VERSION } from '../../shared/pack'
import type { SessionStatus } from '../../shared/session'
import { databasePathIn } from './data-dir'
import { createHost, type Host } from './host'
import { RETENTION_INTERVAL_MS } from './retention'

const DAY_MS = 24 * 60 * 60 * 1000
const START = Date.parse('2026-01-01T09:00:00.000Z')

let dir: string
let clock: number
let host: Host | null
let api: HostApi
let events: [HostEventName, unknown][]
let logged: string[]

function open(): void {
  host = createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: join(dir, 'starter-pack.json'),
    now: () => new Date(clock),
    log: (message) => logged.push(message),
  })
  const opened = host
  opened.onEvent((event, payload) => events.push([event, payload]))
  api = createHostClient({
    invoke: (method, input) => opened.dispatch(method, input),
    subscribe: (event, handler) => opened.onEvent((name, payload) => name === event && handler(payload)),
  })
}

function close(): void {
  host?.close()
  host = null
}

/** A session taken to `status` on day `day`, named after what the test expects of it. */
async function session(name: string, day: number, status: SessionStatus): Promise<string> {
  clock = START + day * DAY_MS
  const { id } = await api.sessions.create({
    candidateName: name,
    language: 'python',
    problems: { mode: 'random', difficulty: 'junior', count: 1 },
  })
  if (status !== 'created') await api.sessions.setStatus({ id, status: 'live' })
  if (status === 'ended') await api.sessions.setStatus({ id, status: 'ended' })
  return id
}

async function names(): Promise<string[]> {
  return (await api.sessions.list()).map((s) => s.candidateName).sort()
}

/** Moves the clock to `day` and lets the hourly timer fire once. */
function hourLater(day: number): void {
  clock = START + day * DAY_MS
  vi.advanceTimersByTime(RETENTION_INTERVAL_MS)
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  dir = mkdtempSync(join(tmpdir(), 'duet-retention-'))
  const problem = {
    title: 'Two Sum',
    slug: 'two-sum',
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve():\n    pass\n' },
    solution: {},
  }
  writeFileSync(
    join(dir, 'starter-pack.json'),
    JSON.stringify({ format: PACK_FORMAT, version: PACK_VERSION, problems: [problem] }),
  )
  clock = START
  events = []
  logged = []
  open()
})

afterEach(() => {
  close()
  vi.useRealTimers()
  rmSync(dir, { recursive: true, force: true })
})

describe('retention', () => {
  it('is off by default: nothing is ever deleted', async () => {
    await expect(api.settings.get()).resolves.toMatchObject({ retentionDays: null })
    await session('Old', 0, 'ended')
    hourLater(5000)
    close()
    open()
    expect(await names()).toEqual(['Old'])
    expect(logged).toEqual([])
  })

  it('deletes ended sessions older than N days every hour, never live or scheduled ones', async () => {
    const old = await session('Ended on day 0', 0, 'ended')
    await session('Live since day 0', 0, 'live')
    await session('Scheduled on day 0', 0, 'created')
    const recent = await session('Ended on day 20', 20, 'ended')
    await api.settings.update({ retentionDays: 30 })
    events.length = 0

    hourLater(29.9)
    expect(await names()).toHaveLength(4)
    hourLater(30.1)
    expect(await names()).toEqual(['Ended on day 20', 'Live since day 0', 'Scheduled on day 0'])
    expect(events).toEqual([['sessions.changed', { id: old }]])
    expect(logged).toEqual(['retention: deleted 1 ended session older than 30 days'])

    hourLater(50.1)
    expect(await names()).toEqual(['Live since day 0', 'Scheduled on day 0'])
    expect(events.at(-1)).toEqual(['sessions.changed', { id: recent }])
    await expect(api.history.search({})).resolves.toMatchObject({ total: 2 })
  })

  it('applies at open, counting from the creation when an ended session has no end time', async () => {
    await session('Ended on day 0', 0, 'ended')
    await session('Ended on day 9', 9, 'ended')
    await session('Ended on day 10', 10, 'ended')
    await api.settings.update({ retentionDays: 7 })
    close()
    // As an imported session may be: ended, with no end time stored.
    const db = new Database(databasePathIn(join(dir, 'data')))
    db.prepare("UPDATE sessions SET ended_at = NULL WHERE candidate_name = 'Ended on day 9'").run()
    db.close()

    clock = START + 16.5 * DAY_MS
    open()
    expect(await names()).toEqual(['Ended on day 10'])
    expect(logged).toEqual(['retention: deleted 2 ended sessions older than 7 days'])
  })

  it('stops its timer when the host closes', () => {
    expect(vi.getTimerCount()).toBe(1)
    close()
    expect(vi.getTimerCount()).toBe(0)
  })
})
