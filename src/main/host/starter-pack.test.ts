import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostError } from '../../shared/host-errors'
import { PACK_FORMAT } from '../../shared/pack'
import { ProblemInputSchema, ProblemQuerySchema, type ProblemDraft } from '../../shared/problem'
import { openDatabase, type Db } from './database'
import { createProblemBank, type ProblemBank } from './problem-bank'
import { createSettingsStore } from './settings-store'
import { loadStarterPack } from './starter-pack'

const now = () => new Date('2026-11-23T10:00:00.000Z')
const options = { appVersion: '0.1.0', now }

let dir: string
let packPath: string
let db: Db
let bank: ProblemBank

function problem(slug: string): ProblemDraft {
  return {
    title: `Starter ${slug}`,
    slug,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve():\n    pass\n' },
    solution: { python: 'def solve():\n    return 1\n' },
    tests: [{ name: 'one', args: [], expected: 1 }],
  }
}

function writePack(slugs: string[]): void {
  writeFileSync(packPath, stringify({ format: PACK_FORMAT, version: 1, problems: slugs.map(problem) }))
}

function restart(): void {
  db?.close()
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  bank = createProblemBank(db, now)
}

const slugs = () =>
  bank
    .list(ProblemQuerySchema.parse({}))
    .items.map((p) => p.slug)
    .sort()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-starter-'))
  packPath = join(dir, 'starter-pack.yaml')
  writePack(['alpha', 'beta', 'gamma'])
  restart()
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('loadStarterPack', () => {
  it('loads the pack on the first start and records the app version', () => {
    const result = loadStarterPack(db, packPath, options)
    expect(result).toEqual({ loaded: true, created: ['alpha', 'beta', 'gamma'], ids: expect.any(Array) })
    expect(slugs()).toEqual(['alpha', 'beta', 'gamma'])
    expect(createSettingsStore(db).getInternal('starterPack.version')).toBe('0.1.0')
  })

  it('loads only once', () => {
    loadStarterPack(db, packPath, options)
    expect(loadStarterPack(db, packPath, options)).toEqual({ loaded: false })
    expect(slugs()).toEqual(['alpha', 'beta', 'gamma'])
  })

  it('keeps edits and deletions across restarts, even with a newer app and pack', () => {
    loadStarterPack(db, packPath, options)
    const [alpha, beta] = bank.list(ProblemQuerySchema.parse({})).items
    if (!alpha || !beta) throw new Error('starter problems missing')
    bank.update(alpha.id, ProblemInputSchema.parse({ ...problem('alpha'), title: 'My own alpha' }))
    bank.remove(beta.id)
    restart()
    writePack(['alpha', 'beta', 'gamma', 'delta'])
    expect(loadStarterPack(db, packPath, { ...options, appVersion: '0.2.0' })).toEqual({ loaded: false })
    expect(slugs()).toEqual(['alpha', 'gamma'])
    expect(bank.get(alpha.id).title).toBe('My own alpha')
  })

  it('never overwrites a problem the user already has under a starter slug', () => {
    const mine = bank.create(ProblemInputSchema.parse({ ...problem('beta'), title: 'Mine' }))
    const result = loadStarterPack(db, packPath, options)
    expect(result).toMatchObject({ loaded: true, created: ['alpha', 'gamma'] })
    expect(bank.get(mine.id).title).toBe('Mine')
  })

  it('records nothing when the pack file is missing or broken, so the next start retries', () => {
    rmSync(packPath)
    expect(() => loadStarterPack(db, packPath, options)).toThrow(/ENOENT/)
    writeFileSync(packPath, `format: ${PACK_FORMAT}\nversion: 1\nproblems:\n  - title: no slug\n`)
    expect(() => loadStarterPack(db, packPath, options)).toThrow(HostError)
    expect(createSettingsStore(db).getInternal('starterPack.version')).toBeNull()
    expect(slugs()).toEqual([])
    writePack(['alpha'])
    expect(loadStarterPack(db, packPath, options)).toMatchObject({ loaded: true, created: ['alpha'] })
  })
})
