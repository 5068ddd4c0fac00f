import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from './database'
import { createSettingsStore, type SettingsStore } from './settings-store'

let dir: string
let db: Db
let store: SettingsStore

function reopen(): void {
  db?.close()
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  store = createSettingsStore(db)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-settings-'))
  reopen()
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const DEFAULTS = {
  theme: 'system',
  signaling: { mode: 'embedded', remoteUrl: '' },
  iceServers: [],
  interviewerName: 'Interviewer',
  defaultLanguage: 'python',
  defaultTimeLimitMinutes: null,
  rubric: ['Problem solving', 'Code quality', 'Communication', 'Testing'],
  retentionDays: null,
}

function storeRaw(key: string, json: string): void {
  db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, json)
}

describe('user settings', () => {
  it('gives the defaults on a new database', () => {
    expect(store.get()).toEqual(DEFAULTS)
  })

  it('keeps an update across a restart, one JSON value per key', () => {
    expect(store.update({ theme: 'dark' })).toEqual({ ...DEFAULTS, theme: 'dark' })
    reopen()
    expect(store.get()).toEqual({ ...DEFAULTS, theme: 'dark' })
    expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'theme', value: '"dark"' }])
  })

  it('leaves a key alone when the patch does not name it', () => {
    store.update({ theme: 'light' })
    expect(store.update({})).toEqual({ ...DEFAULTS, theme: 'light' })
    const signaling = { mode: 'remote' as const, remoteUrl: 'https://duet.example.com/x' }
    const iceServers = [{ urls: 'turn:turn.example.com:3478', username: 'duet', credential: 'pw' }]
    store.update({ signaling, iceServers })
    reopen()
    expect(store.get()).toEqual({ ...DEFAULTS, theme: 'light', signaling, iceServers })
  })

  it('keeps the interview defaults, the rubric in the order given and the retention', () => {
    const patch = {
      interviewerName: 'Grace Hopper',
      defaultLanguage: 'javascript' as const,
      defaultTimeLimitMinutes: 60,
      rubric: ['Testing', 'Design'],
      retentionDays: 180,
    }
    store.update(patch)
    reopen()
    expect(store.get()).toEqual({ ...DEFAULTS, ...patch })
    store.update({ defaultTimeLimitMinutes: null, retentionDays: null })
    expect(store.get()).toMatchObject({ defaultTimeLimitMinutes: null, retentionDays: null })
  })

  it('falls back to the default for a stored value that no longer fits, and ignores unknown keys', () => {
    storeRaw('theme', '"purple"')
    storeRaw('someday.feature', '{"on": true}')
    expect(store.get()).toEqual(DEFAULTS)
    storeRaw('theme', '42')
    // A remote mode whose URL no longer passes falls back to the embedded server, not to an error.
    storeRaw('signaling', '{"mode": "remote", "remoteUrl": "http://duet.example.com"}')
    storeRaw('iceServers', '[{"urls": "turn:turn.example.com"}]')
    storeRaw('rubric', '[]')
    storeRaw('interviewerName', '""')
    storeRaw('retentionDays', '0')
    expect(store.get()).toEqual(DEFAULTS)
  })

  it('does not show main-process keys', () => {
    store.putInternal('starterPack.version', '1.0.0')
    expect(store.get()).toEqual(DEFAULTS)
  })
})

describe('main-process keys', () => {
  it('round-trips the window state and the starter pack version', () => {
    expect(store.getInternal('window.state')).toBeNull()
    const state = { x: -1200, y: 40, width: 1280, height: 800, maximized: false }
    store.putInternal('window.state', state)
    store.putInternal('starterPack.version', '0.1.0')
    reopen()
    expect(store.getInternal('window.state')).toEqual(state)
    expect(store.getInternal('starterPack.version')).toBe('0.1.0')
  })

  it('reads a stored value that does not fit as absent', () => {
    storeRaw('window.state', '{"width": -5, "height": 800, "maximized": false}')
    expect(store.getInternal('window.state')).toBeNull()
    storeRaw('starterPack.version', '3')
    expect(store.getInternal('starterPack.version')).toBeNull()
  })

  it('refuses to store a value that does not fit', () => {
    expect(() => store.putInternal('window.state', { width: 1.5, height: 10, maximized: false })).toThrow()
    expect(store.getInternal('window.state')).toBeNull()
  })
})
