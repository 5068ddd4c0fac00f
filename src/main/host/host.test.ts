import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostEventName } from '../../shared/host-api'
import type { HostReply } from '../../shared/host-errors'
import { PACK_FORMAT } from '../../shared/pack'
import type { ProblemDraft } from '../../shared/problem'
import { SettingsSchema } from '../../shared/settings'
import { databasePathIn, resolveDataDir } from './data-dir'
import { createHost, type Host, type HostOptions } from './host'
import { LATEST_SCHEMA_VERSION } from './migrations'

let dir: string
let dataDir: string
let packPath: string
let dbPath: string
const hosts: Host[] = []
const logged: string[] = []

function draft(slug: string): ProblemDraft {
  return {
    title: `Title ${slug}`,
    slug,
    difficulty: 'middle',
    entryFunction: 'solve',
    starterCode: { javascript: 'function solve() {}' },
    solution: { javascript: 'function solve() { return 1 }' },
    tests: [{ name: 'one', args: [], expected: 1 }],
  }
}

function start(overrides: Partial<HostOptions> = {}): Host {
  const host = createHost({
    dataDir,
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: packPath,
    now: () => new Date('2026-11-23T10:00:00.000Z'),
    log: (message) => logged.push(message),
    ...overrides,
  })
  hosts.push(host)
  return host
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

function errorOf(reply: HostReply) {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value)}`)
  return reply.error
}

function record(host: Host): [HostEventName, unknown][] {
  const events: [HostEventName, unknown][] = []
  host.onEvent((event, payload) => events.push([event, payload]))
  return events
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-host-'))
  dataDir = join(dir, 'data')
  resolveDataDir({}, dataDir)
  dbPath = databasePathIn(dataDir)
  packPath = join(dir, 'starter-pack.yaml')
  writeFileSync(packPath, stringify({ format: PACK_FORMAT, version: 1, problems: [draft('starter-one')] }))
  logged.length = 0
})

afterEach(() => {
  for (const host of hosts.splice(0)) host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a host on a healthy database', () => {
  it('reports itself and its database', async () => {
    const host = start()
    expect(valueOf(await host.dispatch('app.info', undefined))).toEqual({
      version: '0.1.0',
      runtime: 'browser-bridge',
      dataDir,
      databasePath: dbPath,
    })
    expect(valueOf(await host.dispatch('app.databaseStatus', undefined))).toEqual({
      state: 'ready',
      path: dbPath,
      schemaVersion: LATEST_SCHEMA_VERSION,
    })
  })

  it('loads the starter pack on the first start only', async () => {
    let host = start()
    const first = valueOf(await host.dispatch('problems.list', {})) as { items: { id: number; slug: string }[] }
    expect(first.items.map((p) => p.slug)).toEqual(['starter-one'])
    valueOf(await host.dispatch('problems.delete', { id: first.items[0]?.id }))
    host.close()
    host = start()
    expect(valueOf(await host.dispatch('problems.list', {}))).toEqual({ items: [], total: 0 })
  })

  it('runs every problem method end to end and emits problems.changed after each write', async () => {
    const host = start()
    const events = record(host)
    const created = valueOf(await host.dispatch('problems.create', draft('two-sum'))) as { id: number }
    const updated = valueOf(
      await host.dispatch('problems.update', { id: created.id, problem: { ...draft('two-sum'), title: 'Renamed' } }),
    )
    expect(updated).toMatchObject({ id: created.id, title: 'Renamed' })
    expect(valueOf(await host.dispatch('problems.get', { id: created.id }))).toEqual(updated)
    const copy = valueOf(await host.dispatch('problems.duplicate', { id: created.id })) as { id: number; slug: string }
    expect(copy.slug).toBe('two-sum-copy')
    expect(valueOf(await host.dispatch('problems.list', { text: 'renamed', limit: 1 }))).toMatchObject({ total: 2 })
    expect(valueOf(await host.dispatch('problems.tags', undefined))).toEqual([])

    const exported = valueOf(await host.dispatch('problems.export', { ids: [created.id], format: 'json' })) as {
      fileName: string
      text: string
    }
    const source = { fileName: exported.fileName, text: exported.text }
    expect(valueOf(await host.dispatch('problems.previewImport', source))).toEqual({
      problemCount: 1,
      conflicts: ['two-sum'],
    })
    expect(valueOf(await host.dispatch('problems.import', { source, onConflict: 'keep-both' }))).toEqual({
      created: [],
      replaced: [],
      skipped: [],
      renamed: [['two-sum', 'two-sum-2']],
    })
    expect(valueOf(await host.dispatch('problems.import', { source, onConflict: 'skip' }))).toMatchObject({
      skipped: ['two-sum'],
    })
    expect(valueOf(await host.dispatch('problems.delete', { id: copy.id }))).toEqual({ deleted: true })

    const imported = (
      valueOf(await host.dispatch('problems.list', { text: 'renamed' })) as { items: { id: number; slug: string }[] }
    ).items.find((p) => p.slug === 'two-sum-2')
    expect(events).toEqual([
      ['problems.changed', { ids: [created.id] }],
      ['problems.changed', { ids: [created.id] }],
      ['problems.changed', { ids: [copy.id] }],
      ['problems.changed', { ids: [imported?.id] }],
      ['problems.changed', { ids: [copy.id] }],
    ])
  })

  it('keeps settings and emits settings.changed; a listener can unsubscribe', async () => {
    const host = start()
    const events: unknown[] = []
    const stop = host.onEvent((event, payload) => events.push([event, payload]))
    const defaults = SettingsSchema.parse({})
    expect(valueOf(await host.dispatch('settings.get', undefined))).toEqual(defaults)
    expect(valueOf(await host.dispatch('settings.update', { theme: 'dark' }))).toEqual({ ...defaults, theme: 'dark' })
    stop()
    valueOf(await host.dispatch('settings.update', { theme: 'light' }))
    expect(events).toEqual([['settings.changed', { ...defaults, theme: 'dark' }]])
  })

  it('keeps running when a listener throws', async () => {
    const host = start()
    host.onEvent(() => {
      throw new Error('listener bug')
    })
    expect(valueOf(await host.dispatch('settings.update', { theme: 'dark' }))).toMatchObject({ theme: 'dark' })
    expect(logged).toContain('a listener of settings.changed failed')
  })

  it('answers bad input, unknown methods and missing rows with coded errors', async () => {
    const host = start()
    expect(errorOf(await host.dispatch('problems.create', { ...draft('x'), title: '' }))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'title', message: 'must not be empty' }],
    })
    expect(errorOf(await host.dispatch('settings.update', { theme: 'neon' }))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'theme' }],
    })
    expect(errorOf(await host.dispatch('problems.drop', {})).code).toBe('not-found')
    expect(errorOf(await host.dispatch('problems.get', { id: 999 })).code).toBe('not-found')
    expect(errorOf(await host.dispatch('app.moveDatabaseAside', undefined)).code).toBe('conflict')
  })

  it('remembers the window state across restarts', () => {
    let host = start()
    expect(host.readWindowState()).toBeNull()
    host.saveWindowState({ x: 10, y: 20, width: 1200, height: 800, maximized: true })
    host.close()
    host = start()
    expect(host.readWindowState()).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: true })
  })

  it('works without its starter pack and says why', async () => {
    const host = start({ starterPackPath: join(dir, 'missing.yaml') })
    expect(valueOf(await host.dispatch('problems.list', {}))).toEqual({ items: [], total: 0 })
    expect(logged.some((m) => m.includes('missing.yaml'))).toBe(true)
  })

  it('refuses calls after close', async () => {
    const host = start()
    host.close()
    expect(errorOf(await host.dispatch('settings.get', undefined)).code).toBe('database')
  })
})

describe('a host on a corrupt database', () => {
  let bytes: Buffer
  let walBytes: Buffer

  beforeEach(() => {
    bytes = randomBytes(8192)
    walBytes = randomBytes(1024)
    writeFileSync(dbPath, bytes)
    writeFileSync(`${dbPath}-wal`, walBytes)
  })

  it('answers problem and settings calls with a database error naming the file', async () => {
    const host = start()
    expect(valueOf(await host.dispatch('app.databaseStatus', undefined))).toMatchObject({
      state: 'corrupt',
      path: dbPath,
    })
    for (const [method, input] of [
      ['problems.list', {}],
      ['problems.create', draft('a')],
      ['settings.get', undefined],
    ] as const) {
      const error = errorOf(await host.dispatch(method, input))
      expect(error.code).toBe('database')
      expect(error.message).toContain(dbPath)
      expect(error.message).toContain('corrupt')
    }
    expect(host.readWindowState()).toBeNull()
    expect(() => host.saveWindowState({ width: 800, height: 600, maximized: false })).not.toThrow()
    expect(readFileSync(dbPath).equals(bytes)).toBe(true)
  })

  it('moves the file and its companions aside, never deleting, then starts fresh', async () => {
    const host = start()
    const events = record(host)
    const moved = valueOf(await host.dispatch('app.moveDatabaseAside', undefined)) as {
      movedTo: string
      status: unknown
    }
    expect(moved.movedTo).toBe(`${dbPath}.corrupt-2026-11-23T10-00-00-000Z`)
    expect(readFileSync(moved.movedTo).equals(bytes)).toBe(true)
    expect(readFileSync(`${moved.movedTo}-wal`).equals(walBytes)).toBe(true)
    expect(moved.status).toEqual({ state: 'ready', path: dbPath, schemaVersion: LATEST_SCHEMA_VERSION })
    expect(valueOf(await host.dispatch('problems.list', {}))).toMatchObject({ total: 1 })
    expect(events).toEqual([['problems.changed', { ids: [expect.any(Number)] }]])
    const fresh = new Database(dbPath, { readonly: true })
    expect(fresh.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    fresh.close()
  })

  it('does not overwrite an earlier moved-aside file with the same time', async () => {
    const first = valueOf(await start().dispatch('app.moveDatabaseAside', undefined)) as { movedTo: string }
    hosts.splice(0).forEach((h) => h.close())
    writeFileSync(dbPath, randomBytes(4096))
    const second = valueOf(await start().dispatch('app.moveDatabaseAside', undefined)) as { movedTo: string }
    expect(second.movedTo).not.toBe(first.movedTo)
    expect(readFileSync(first.movedTo).equals(bytes)).toBe(true)
    expect(existsSync(second.movedTo)).toBe(true)
  })
})

describe('a host on a database from a newer Duet', () => {
  it('refuses to use or move it and leaves it byte for byte', async () => {
    const newer = new Database(dbPath)
    newer.pragma('user_version = 99')
    newer.close()
    const bytes = readFileSync(dbPath)
    const host = start()
    expect(valueOf(await host.dispatch('app.databaseStatus', undefined))).toEqual({
      state: 'too-new',
      path: dbPath,
      fileVersion: 99,
      supportedVersion: LATEST_SCHEMA_VERSION,
    })
    const moveError = errorOf(await host.dispatch('app.moveDatabaseAside', undefined))
    expect(moveError.code).toBe('database')
    expect(moveError.message).toContain('left untouched')
    const listError = errorOf(await host.dispatch('problems.list', {}))
    expect(listError).toMatchObject({ code: 'database', message: expect.stringContaining(dbPath) })
    expect(listError.message).toContain('too new')
    expect(readFileSync(dbPath).equals(bytes)).toBe(true)
  })
})

describe('data folder', () => {
  it('uses DUET_DATA_DIR as an absolute path, creating it', () => {
    const relativePath = relative(process.cwd(), join(dir, 'custom', 'deep'))
    expect(isAbsolute(relativePath)).toBe(false)
    const resolved = resolveDataDir({ DUET_DATA_DIR: relativePath }, join(dir, 'default'))
    expect(resolved).toBe(join(dir, 'custom', 'deep'))
    expect(existsSync(resolved)).toBe(true)
    expect(existsSync(join(dir, 'default'))).toBe(false)
  })

  it('falls back to the default folder when the variable is unset or blank', () => {
    expect(resolveDataDir({ DUET_DATA_DIR: '  ' }, join(dir, 'default'))).toBe(join(dir, 'default'))
    expect(existsSync(join(dir, 'default'))).toBe(true)
    expect(databasePathIn(join(dir, 'default'))).toBe(join(dir, 'default', 'duet.sqlite'))
  })
})
