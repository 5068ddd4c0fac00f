import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostError } from '../../shared/host-errors'
import { PACK_FORMAT, type PackSource } from '../../shared/pack'
import { ProblemInputSchema, ProblemQuerySchema, type Problem, type ProblemDraft } from '../../shared/problem'
import { openDatabase, type Db } from './database'
import { createPackIo, parsePack, type PackIo } from './pack-io'
import { createProblemBank, type ProblemBank } from './problem-bank'

interface Store {
  db: Db
  bank: ProblemBank
  packs: PackIo
}

let dir: string
const stores: Store[] = []
// Local time, so the file name shows the day the user exported on.
const clock = new Date(2026, 10, 23, 9, 30)

function newStore(name = 'duet.sqlite'): Store {
  const opened = openDatabase(join(dir, name))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  const db = opened.db
  const bank = createProblemBank(db, () => clock)
  const store = { db, bank, packs: createPackIo(db, bank, () => clock) }
  stores.push(store)
  return store
}

let store: Store

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-pack-'))
  store = newStore()
})

afterEach(() => {
  for (const s of stores.splice(0)) s.db.close()
  rmSync(dir, { recursive: true, force: true })
})

function draft(slug: string, overrides: Partial<ProblemDraft> = {}): ProblemDraft {
  return {
    title: `Problem ${slug}`,
    slug,
    difficulty: 'middle',
    tags: ['strings'],
    description: `Solve ${slug}.`,
    entryFunction: 'solve',
    starterCode: { python: 'def solve(s):\n    pass\n', javascript: 'function solve(s) {}\n' },
    solution: { python: 'def solve(s):\n    return s\n', javascript: 'function solve(s) { return s }\n' },
    tests: [
      { name: 'echo', args: ['a'], expected: 'a' },
      { name: 'hidden echo', args: ['b'], expected: 'b', hidden: true },
    ],
    ...overrides,
  }
}

function packText(problems: unknown[], header: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: PACK_FORMAT, version: 1, ...header, problems }, null, 2)
}

const json = (problems: unknown[], header: Record<string, unknown> = {}): PackSource => ({
  fileName: 'pack.json',
  text: packText(problems, header),
})

// What a pack carries: everything but the id and the timestamps, which belong to a database.
function contentOf(p: Problem) {
  return { ...p, id: 0, createdAt: '', updatedAt: '' }
}

function allProblems(s: Store): Problem[] {
  return s.bank.list(ProblemQuerySchema.parse({ limit: 1000 })).items.map((p) => s.bank.get(p.id))
}

function issuesOf(source: PackSource) {
  const parsed = parsePack(source)
  if (parsed.ok) throw new Error('expected the pack to be refused')
  return parsed.issues
}

function thrownBy(run: () => unknown): HostError {
  try {
    run()
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a HostError')
}

describe('export then import', () => {
  const tricky = draft('tricky', {
    title: 'Tricky: "quotes" & # hashes',
    tags: ['yes', 'null', '1.0', 'c++'],
    description: '# Heading\n\n- item: with colon\n\ttab\ntrailing spaces   \n\n\n',
    starterCode: { python: 'def solve(s):\r\n    return "yes"  \r\n', javascript: '' },
    solution: { python: '  leading spaces\n', javascript: 'no newline' },
    timeoutMs: 2500,
    tests: [
      {
        name: 'values',
        args: [null, true, 'null', '0123', -0.5, 1e21, [], {}, { 'key: x': ['- a'] }],
        expected: { on: 'off', '': '~' },
      },
      { name: 'unicode ✓ ünï', args: ['\u2028 \u0000 😀'], expected: '😀', hidden: true },
    ],
  })

  for (const format of ['yaml', 'json'] as const) {
    it(`round-trips exactly through ${format}`, () => {
      const ids = [
        store.bank.create(ProblemInputSchema.parse(tricky)),
        store.bank.create(ProblemInputSchema.parse(draft('plain'))),
      ].map((p) => p.id)
      const exported = store.packs.exportPack(ids, format)
      expect(exported.fileName).toBe(`duet-problems-2026-11-23.${format}`)
      expect(exported.problemCount).toBe(2)

      const target = newStore('other.sqlite')
      const { result } = target.packs.importPack({ fileName: exported.fileName, text: exported.text }, 'skip')
      expect(result).toEqual({ created: ['tricky', 'plain'], replaced: [], skipped: [], renamed: [] })
      const original = ids.map((id) => contentOf(store.bank.get(id)))
      expect(
        allProblems(target)
          .map(contentOf)
          .sort((a, b) => a.slug.localeCompare(b.slug)),
      ).toEqual([...original].sort((a, b) => a.slug.localeCompare(b.slug)))
    })
  }

  it('writes a readable, versioned file', () => {
    const { id } = store.bank.create(ProblemInputSchema.parse(draft('plain')))
    const exported = store.packs.exportPack([id, id], 'yaml')
    expect(exported.problemCount).toBe(1)
    expect(exported.text).toContain('python: |\n')
    expect(parseYaml(exported.text)).toMatchObject({
      format: PACK_FORMAT,
      version: 1,
      exportedAt: clock.toISOString(),
      problems: [{ slug: 'plain', tests: [{ name: 'echo', hidden: false }, { hidden: true }] }],
    })
  })

  it('says not-found for an id that does not exist', () => {
    expect(thrownBy(() => store.packs.exportPack([404], 'json')).code).toBe('not-found')
  })
})

describe('reading a pack', () => {
  it('chooses the format by extension, or by the first character', () => {
    const yamlText = `format: ${PACK_FORMAT}\nversion: 1\nproblems:\n  - ${JSON.stringify(draft('a'))}\n`
    expect(parsePack({ fileName: 'pack.yml', text: yamlText }).ok).toBe(true)
    expect(parsePack({ fileName: 'PACK.YAML', text: yamlText }).ok).toBe(true)
    expect(parsePack({ fileName: 'pack', text: yamlText }).ok).toBe(true)
    expect(parsePack({ fileName: 'pack.txt', text: `\uFEFF  ${packText([draft('a')])}` }).ok).toBe(true)
    // A .json file is read as JSON, so a YAML body gets a JSON syntax error.
    expect(issuesOf({ fileName: 'pack.json', text: yamlText })[0]?.message).toMatch(/^not valid JSON/)
  })

  it('gives line and column of a YAML syntax error', () => {
    const text = `format: ${PACK_FORMAT}\nversion: 1\nproblems:\n  - title: Two Sum\n    title: again\n`
    expect(issuesOf({ fileName: 'pack.yaml', text })).toEqual([
      { path: 'line 5, column 5', message: 'not valid YAML: Map keys must be unique' },
    ])
    const badIndent = `format: ${PACK_FORMAT}\nversion: 1\nproblems:\n  - title: Two Sum\n   slug: two-sum\n`
    expect(issuesOf({ fileName: 'pack.yaml', text: badIndent })[0]?.path).toBe('line 5, column 1')
  })

  it('gives line and column of a JSON syntax error', () => {
    const text = `{\n  "format": "${PACK_FORMAT}",\n  "version" 1\n}`
    expect(issuesOf({ fileName: 'pack.json', text })).toEqual([
      { path: 'line 3, column 13', message: "not valid JSON: Expected ':' after property name" },
    ])
    expect(issuesOf({ fileName: 'pack.json', text: '{\n  "a": [1,' })[0]?.path).toBe('line 2, column 11')
  })

  it('names the path of a missing field as required', () => {
    const broken = draft('a')
    broken.tests = [{ name: 'ok', args: [], expected: 1 }, { name: 'no expected', args: [] } as never]
    const source = json([broken])
    expect(issuesOf(source)).toEqual([{ path: 'problems[0].tests[1].expected', message: 'required' }])
    const error = thrownBy(() => store.packs.previewImport(source))
    expect(error.code).toBe('invalid-input')
    expect(error.message).toBe('The pack file has 1 problem: problems[0].tests[1].expected: required')
  })

  it('lists every invalid field of every problem', () => {
    const issues = issuesOf(json([draft('a'), draft('b', { difficulty: 'easy' as never }), draft('c', { title: '' })]))
    expect(issues.map((i) => i.path)).toEqual(['problems[1].difficulty', 'problems[2].title'])
    const error = thrownBy(() => store.packs.importPack(json([draft('x', { slug: 'X X' }), { title: 1 }]), 'skip'))
    expect(error.message).toMatch(/^The pack file has \d+ problems: problems\[0\]\.slug: .*; and \d+ more$/)
  })

  it('refuses a pack from a newer Duet with a clear message', () => {
    expect(issuesOf(json([{ anything: 'new' }], { version: 2 }))).toEqual([
      {
        path: 'version',
        message: 'made by a newer Duet (format version 2; this Duet reads 1) — update Duet to import it',
      },
    ])
  })

  it('refuses a file that is not a Duet pack', () => {
    expect(issuesOf(json([draft('a')], { format: 'leetcode-export' }))).toEqual([
      { path: 'format', message: `must be "${PACK_FORMAT}"` },
    ])
    expect(issuesOf({ fileName: 'pack.yaml', text: '- 1\n- 2\n' })[0]?.path).toBe('(file)')
    expect(issuesOf({ fileName: 'pack.yaml', text: '' })[0]?.path).toBe('(file)')
  })

  it('refuses a slug that appears twice in the file', () => {
    expect(issuesOf(json([draft('a'), draft('b'), draft('a')]))).toEqual([
      { path: 'problems[2].slug', message: '"a" is already the slug of problems[0]' },
    ])
  })

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`)
    }
    expect(issuesOf({ fileName: 'pack.yaml', text: levels.join('\n') })[0]?.message).toMatch(/alias/i)
  })
})

describe('importing', () => {
  let existing: Problem

  beforeEach(() => {
    existing = store.bank.create(ProblemInputSchema.parse(draft('two-sum', { title: 'My edited Two Sum' })))
  })

  const incoming = () => json([draft('two-sum', { title: 'Two Sum from the pack' }), draft('new-one')])

  it('previews the count and the slugs that already exist', () => {
    expect(store.packs.previewImport(incoming())).toEqual({ problemCount: 2, conflicts: ['two-sum'] })
    expect(allProblems(store)).toHaveLength(1)
  })

  it('skips conflicts', () => {
    const { result, changedIds } = store.packs.importPack(incoming(), 'skip')
    expect(result).toEqual({ created: ['new-one'], replaced: [], skipped: ['two-sum'], renamed: [] })
    expect(changedIds).toHaveLength(1)
    expect(store.bank.get(existing.id).title).toBe('My edited Two Sum')
  })

  it('replaces conflicts in place, keeping the id', () => {
    const { result, changedIds } = store.packs.importPack(incoming(), 'replace')
    expect(result).toEqual({ created: ['new-one'], replaced: ['two-sum'], skipped: [], renamed: [] })
    expect(changedIds).toContain(existing.id)
    expect(store.bank.get(existing.id).title).toBe('Two Sum from the pack')
    expect(allProblems(store)).toHaveLength(2)
  })

  it('keeps both under a new slug that no problem of the file takes', () => {
    const source = json([draft('two-sum'), draft('two-sum-2'), draft('new-one')])
    const { result } = store.packs.importPack(source, 'keep-both')
    expect(result).toEqual({
      created: ['two-sum-2', 'new-one'],
      replaced: [],
      skipped: [],
      renamed: [['two-sum', 'two-sum-3']],
    })
    expect(store.bank.get(existing.id).title).toBe('My edited Two Sum')
    expect(
      allProblems(store)
        .map((p) => p.slug)
        .sort(),
    ).toEqual(['new-one', 'two-sum', 'two-sum-2', 'two-sum-3'])
  })

  it('writes nothing when one problem of the file is invalid', () => {
    const before = allProblems(store)
    expect(() =>
      store.packs.importPack(json([draft('fine'), draft('broken', { entryFunction: '' })]), 'replace'),
    ).toThrow(HostError)
    expect(allProblems(store)).toEqual(before)
  })

  it('writes nothing when the database fails in the middle of the import', () => {
    // A real SQLite failure on the third write, after two problems were already written.
    store.db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON problems WHEN new.slug = 'boom'
      BEGIN SELECT RAISE(ABORT, 'boom refused'); END`)
    const before = allProblems(store)
    const source = json([draft('two-sum', { title: 'Replaced?' }), draft('first'), draft('boom'), draft('last')])
    expect(() => store.packs.importPack(source, 'replace')).toThrow(/boom refused/)
    expect(allProblems(store)).toEqual(before)
    expect(store.db.prepare('SELECT count(*) AS n FROM problem_tests').get()).toEqual({ n: existing.tests.length })
  })
})
