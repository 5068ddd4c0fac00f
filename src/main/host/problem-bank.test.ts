import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hostMethodNames, type HostHandlers } from '../../shared/host-api'
import { HostError } from '../../shared/host-errors'
import {
  problemInputOf,
  ProblemInputSchema,
  ProblemQuerySchema,
  type ProblemDraft,
  type ProblemQuery,
} from '../../shared/problem'
import { openDatabase, type Db } from './database'
import { createDispatch } from './dispatch'
import { createProblemBank, ftsQueryOf, type ProblemBank } from './problem-bank'

function draft(overrides: Partial<ProblemDraft> = {}): ProblemDraft {
  return {
    title: 'Two Sum',
    slug: 'two-sum',
    difficulty: 'junior',
    tags: ['arrays', 'hash map'],
    description: 'Return the indices of the two numbers that add up to the target.',
    entryFunction: 'two_sum',
    starterCode: {
      python: 'def two_sum(nums, target):\n    pass\n',
      javascript: 'function two_sum(nums, target) {}\n',
    },
    solution: { python: 'def two_sum(nums, target):\n    return [0, 1]\n', javascript: '' },
    tests: [
      { name: 'first', args: [[2, 7], 9], expected: [0, 1] },
      { name: 'second', args: [[3, 3], 6], expected: [0, 1], hidden: true },
      { name: 'third', args: [[1, 5, 4], 9], expected: [1, 2] },
    ],
    ...overrides,
  }
}

const input = (overrides: Partial<ProblemDraft> = {}) => ProblemInputSchema.parse(draft(overrides))
const query = (q: ProblemQuery = {}) => ProblemQuerySchema.parse(q)

let dir: string
let db: Db
let clock: Date
let bank: ProblemBank

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-bank-'))
  const opened = openDatabase(join(dir, 'duet.sqlite'))
  if (!opened.db) throw new Error(`database not ready: ${JSON.stringify(opened.status)}`)
  db = opened.db
  clock = new Date('2026-11-23T10:00:00.000Z')
  bank = createProblemBank(db, () => clock)
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

function hostErrorOf(run: () => unknown): HostError {
  try {
    run()
  } catch (error) {
    if (error instanceof HostError) return error
    throw error
  }
  throw new Error('expected a HostError')
}

describe('create and get', () => {
  it('stores every field and the tests in order, with timestamps from the clock', () => {
    const created = bank.create(input())
    expect(created).toEqual({
      ...input(),
      id: created.id,
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    })
    expect(created.tests.map((t) => t.name)).toEqual(['first', 'second', 'third'])
    expect(bank.get(created.id)).toEqual(created)
  })

  it('keeps JSON test values exactly', () => {
    const values = [null, true, 0, -1.5, 'text with "quotes"', [], {}, { nested: [1, { deep: null }] }]
    const created = bank.create(input({ tests: [{ name: 'json', args: values, expected: { all: values } }] }))
    expect(bank.get(created.id).tests[0]).toEqual({
      name: 'json',
      args: values,
      expected: { all: values },
      hidden: false,
    })
  })

  it('says not-found for a missing id', () => {
    const error = hostErrorOf(() => bank.get(4242))
    expect(error.code).toBe('not-found')
    expect(error.message).toContain('4242')
  })

  it('refuses a slug that another problem uses, naming it and its owner', () => {
    bank.create(input())
    const error = hostErrorOf(() => bank.create(input({ title: 'Another' })))
    expect(error.code).toBe('conflict')
    expect(error.message).toContain('"two-sum"')
    expect(error.issues).toEqual([{ path: 'slug', message: 'is already used by "Two Sum"' }])
    expect(bank.list(query()).total).toBe(1)
  })
})

describe('update', () => {
  it('replaces fields and tests, keeping the id and createdAt', () => {
    const created = bank.create(input())
    clock = new Date('2026-11-24T08:30:00.000Z')
    const updated = bank.update(
      created.id,
      input({ title: 'Two Sum II', tests: [{ name: 'only', args: [1], expected: 1, hidden: true }] }),
    )
    expect(updated.id).toBe(created.id)
    expect(updated.title).toBe('Two Sum II')
    expect(updated.createdAt).toBe('2026-11-23T10:00:00.000Z')
    expect(updated.updatedAt).toBe('2026-11-24T08:30:00.000Z')
    expect(updated.tests).toEqual([{ name: 'only', args: [1], expected: 1, hidden: true }])
    expect(db.prepare('SELECT count(*) AS n FROM problem_tests').get()).toEqual({ n: 1 })
  })

  it('keeps its own slug but refuses another problem’s', () => {
    const a = bank.create(input())
    bank.create(input({ slug: 'b', title: 'B' }))
    expect(bank.update(a.id, input({ description: 'changed' })).description).toBe('changed')
    const error = hostErrorOf(() => bank.update(a.id, input({ slug: 'b' })))
    expect(error.code).toBe('conflict')
    expect(error.issues).toEqual([{ path: 'slug', message: 'is already used by "B"' }])
    expect(bank.get(a.id).slug).toBe('two-sum')
  })

  it('says not-found for a missing id', () => {
    expect(hostErrorOf(() => bank.update(99, input())).code).toBe('not-found')
  })
})

describe('remove', () => {
  it('deletes the problem and its tests, then says not-found', () => {
    const created = bank.create(input())
    bank.remove(created.id)
    expect(hostErrorOf(() => bank.get(created.id)).code).toBe('not-found')
    expect(db.prepare('SELECT count(*) AS n FROM problem_tests').get()).toEqual({ n: 0 })
    expect(hostErrorOf(() => bank.remove(created.id)).code).toBe('not-found')
  })
})

describe('duplicate', () => {
  it('copies everything under a new slug and a "(copy)" title', () => {
    const source = bank.create(input())
    const first = bank.duplicate(source.id)
    const second = bank.duplicate(source.id)
    expect(first.slug).toBe('two-sum-copy')
    expect(second.slug).toBe('two-sum-copy-2')
    expect(first.title).toBe('Two Sum (copy)')
    expect(first.id).not.toBe(source.id)
    expect(first.tests).toEqual(source.tests)
    expect(first.starterCode).toEqual(source.starterCode)
  })

  it('keeps a long slug and title within their limits', () => {
    const slug = `${'a'.repeat(39)}-${'b'.repeat(40)}`
    const source = bank.create(input({ slug, title: 'T'.repeat(200) }))
    const copies = [bank.duplicate(source.id), bank.duplicate(source.id)]
    for (const copy of copies) {
      expect(ProblemInputSchema.safeParse(problemInputOf(copy)).success).toBe(true)
      expect(copy.slug.length).toBeLessThanOrEqual(80)
      expect(copy.title).toMatch(/ \(copy\)$/)
    }
    expect(copies[0]?.slug).not.toBe(copies[1]?.slug)
  })

  it('says not-found for a missing id', () => {
    expect(hostErrorOf(() => bank.duplicate(7)).code).toBe('not-found')
  })
})

describe('tags', () => {
  it('lists every tag once, sorted', () => {
    bank.create(input({ tags: ['graphs', 'arrays'] }))
    bank.create(input({ slug: 'b', tags: ['arrays', 'dp'] }))
    expect(bank.tags()).toEqual(['arrays', 'dp', 'graphs'])
  })
})

describe('list', () => {
  beforeEach(() => {
    bank.create(input())
    bank.create(
      input({
        title: 'binary search',
        slug: 'binary-search',
        difficulty: 'middle',
        tags: ['search'],
        description: 'Find the target in a sorted array.',
        starterCode: { python: '', javascript: 'function find() {}' },
      }),
    )
    bank.create(
      input({
        title: 'Café Orders',
        slug: 'cafe-orders',
        difficulty: 'senior',
        tags: ['Graphs'],
        description: 'Schedule orders so that no two sum to more than the limit.',
        // Whitespace that only JavaScript's trim knows still means "no code".
        starterCode: { python: 'def orders(): pass', javascript: ' \u3000\n\u00a0\ufeff ' },
      }),
    )
    bank.create(
      input({ title: 'Zigzag', slug: 'zigzag', tags: [], description: 'Walk a matrix.', difficulty: 'middle' }),
    )
  })

  const titles = (q: ProblemQuery = {}) => bank.list(query(q)).items.map((p) => p.title)

  it('orders by title without regard to case, with summaries', () => {
    const page = bank.list(query())
    expect(page.total).toBe(4)
    expect(page.items.map((p) => p.title)).toEqual(['binary search', 'Café Orders', 'Two Sum', 'Zigzag'])
    expect(page.items[2]).toEqual({
      id: expect.any(Number),
      title: 'Two Sum',
      slug: 'two-sum',
      difficulty: 'junior',
      tags: ['arrays', 'hash map'],
      languages: ['python', 'javascript'],
      visibleTestCount: 2,
      hiddenTestCount: 1,
      updatedAt: '2026-11-23T10:00:00.000Z',
    })
    expect(page.items[0]?.languages).toEqual(['javascript'])
    expect(page.items[1]?.languages).toEqual(['python'])
  })

  it('pages with limit and offset, total counting every match', () => {
    expect(bank.list(query({ limit: 2, offset: 1 }))).toMatchObject({ total: 4 })
    expect(titles({ limit: 2, offset: 1 })).toEqual(['Café Orders', 'Two Sum'])
    expect(titles({ offset: 10 })).toEqual([])
  })

  it('finds every word as a prefix, in title, slug, description and tags', () => {
    expect(titles({ text: 'two su' })).toEqual(['Two Sum', 'Café Orders'])
    expect(titles({ text: 'sorted' })).toEqual(['binary search'])
    expect(titles({ text: 'hash' })).toEqual(['Two Sum'])
    expect(titles({ text: 'zigz' })).toEqual(['Zigzag'])
    expect(titles({ text: 'two matrix' })).toEqual([])
    expect(bank.list(query({ text: 'two su' })).total).toBe(2)
  })

  it('ranks a hit in the title above one in the description', () => {
    expect(titles({ text: 'sum' })).toEqual(['Two Sum', 'Café Orders'])
  })

  it('ignores accents', () => {
    expect(titles({ text: 'cafe' })).toEqual(['Café Orders'])
    expect(titles({ text: 'CAFÉ' })).toEqual(['Café Orders'])
  })

  it('filters by difficulty, tag and language, alone and with text', () => {
    expect(titles({ difficulty: 'middle' })).toEqual(['binary search', 'Zigzag'])
    expect(titles({ tag: 'graphs' })).toEqual(['Café Orders'])
    expect(titles({ tag: ' ARRAYS ' })).toEqual(['Two Sum'])
    expect(titles({ language: 'javascript' })).toEqual(['binary search', 'Two Sum', 'Zigzag'])
    expect(titles({ language: 'python' })).toEqual(['Café Orders', 'Two Sum', 'Zigzag'])
    expect(titles({ text: 'two', difficulty: 'senior' })).toEqual(['Café Orders'])
    expect(titles({ text: 'two', tag: 'arrays', language: 'python', difficulty: 'junior' })).toEqual(['Two Sum'])
    expect(bank.list(query({ text: 'two', language: 'javascript' }))).toMatchObject({ total: 1 })
  })

  it('treats search operators and quotes as plain text', () => {
    const hostile = [
      '"',
      '""',
      '*',
      ':',
      '-',
      '(',
      ')',
      '^',
      'two" OR "zig',
      'NEAR(two sum)',
      'title:two',
      'AND',
      'OR two',
      'NOT',
      '{title slug}: two',
      "'; DROP TABLE problems; --",
      '\u0000',
      '\u0301',
      '(((',
      'two AND',
      'a'.repeat(200),
    ]
    for (const text of hostile) expect(() => bank.list(query({ text })), text).not.toThrow()
    expect(titles({ text: '"two"' })).toEqual(['Two Sum', 'Café Orders'])
    expect(titles({ text: '-sum' })).toEqual(['Two Sum', 'Café Orders'])
    expect(titles({ text: 'two*' })).toEqual(['Two Sum', 'Café Orders'])
    expect(titles({ text: 'zig*zag' })).toEqual([])
    expect(titles({ text: 'two" OR "zig' })).toEqual([])
    expect(titles({ text: 'NOT two' })).toEqual([])
    // Only punctuation: no words to search for, so nothing narrows the list.
    expect(bank.list(query({ text: ' * - : ' })).total).toBe(4)
    expect(bank.list(query()).total).toBe(4)
  })
})

describe('ftsQueryOf', () => {
  it('quotes each word as a prefix term and doubles inner quotes', () => {
    expect(ftsQueryOf('two  su')).toBe('"two"* AND "su"*')
    expect(ftsQueryOf('a"b -c')).toBe('"a""b"* AND "-c"*')
    expect(ftsQueryOf(' ( ) * ')).toBeNull()
  })
})

describe('through the host dispatch', () => {
  function dispatchOver(b: ProblemBank) {
    const unused = Object.fromEntries(
      hostMethodNames.map((m) => [
        m,
        () => {
          throw new Error(`${m} is not part of this test`)
        },
      ]),
    )
    const handlers = {
      ...unused,
      'problems.create': (p) => b.create(p),
      'problems.update': ({ id, problem }) => b.update(id, problem),
      'problems.list': (q) => b.list(q),
    } as HostHandlers
    return createDispatch(handlers, () => {})
  }

  it('names each invalid field and says what is wrong', async () => {
    const dispatch = dispatchOver(bank)
    const reply = await dispatch('problems.create', {
      ...draft(),
      title: '  ',
      slug: 'Two Sum',
      difficulty: 'expert',
      entryFunction: '1st',
      starterCode: { python: ' ', javascript: '' },
      tests: [{ args: [], expected: 1 }],
    })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.code).toBe('invalid-input')
    const byPath = Object.fromEntries(reply.error.issues.map((i) => [i.path, i.message]))
    expect(byPath).toMatchObject({
      title: 'must not be empty',
      slug: 'use lowercase letters, digits and single hyphens, like "two-sum"',
      entryFunction: 'must be a function name: letters, digits and _, not starting with a digit',
      'tests[0].name': 'required',
    })
    expect(byPath.difficulty).toContain('junior')
    expect(bank.list(query()).total).toBe(0)
  })

  it('asks for starter code in at least one language', async () => {
    const reply = await dispatchOver(bank)('problems.create', draft({ starterCode: { python: ' \n' } }))
    expect(reply).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'starterCode', message: 'give starter code in at least one language' }] },
    })
  })

  it('refuses an out-of-range query', async () => {
    const reply = await dispatchOver(bank)('problems.list', { limit: 0, text: 'x'.repeat(201) })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.issues.map((i) => i.path).sort()).toEqual(['limit', 'text'])
  })

  it('carries a slug conflict with its field issue', async () => {
    const dispatch = dispatchOver(bank)
    expect((await dispatch('problems.create', draft())).ok).toBe(true)
    expect(await dispatch('problems.create', draft())).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'The slug "two-sum" is already used by "Two Sum".',
        issues: [{ path: 'slug', message: 'is already used by "Two Sum"' }],
      },
    })
  })
})
