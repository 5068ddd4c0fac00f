import { z } from 'zod'
import { HostError } from '../../shared/host-errors'
import { JsonValueSchema } from '../../shared/json'
import {
  DifficultySchema,
  ProblemSchema,
  ProblemSummarySchema,
  type Language,
  type Problem,
  type ProblemInput,
  type ProblemPage,
  type ProblemQuerySchema,
  type ProblemSummary,
} from '../../shared/problem'
import { describeIssues, parseWith } from '../../shared/validation'
import type { Db } from './database'

export type ParsedProblemQuery = z.output<typeof ProblemQuerySchema>

export interface ProblemBank {
  list(query: ParsedProblemQuery): ProblemPage
  get(id: number): Problem
  create(input: ProblemInput): Problem
  update(id: number, input: ProblemInput): Problem
  remove(id: number): void
  duplicate(id: number): Problem
  tags(): string[]
  /** The problem that holds `slug`, if any. */
  slugOwner(slug: string): { id: number; title: string } | null
  /** `base`, or `base-2`, `base-3`…: the first slug that no problem holds and `reserved` does not list. */
  freeSlug(base: string, reserved?: ReadonlySet<string>): string
}

const SLUG_MAX = 80
const TITLE_MAX = 200
const COPY_SUFFIX = ' (copy)'

// Every character String.prototype.trim removes, so SQL decides "has starter code" exactly as languagesOf does.
const JS_WHITESPACE = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c))
  .filter((ch) => ch.trim() === '')
  .join('')

// Characters the unicode61 tokenizer keeps; a search word without any of them is an empty FTS phrase.
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u

const STARTER_COLUMN: Record<Language, string> = {
  python: 'p.starter_python',
  javascript: 'p.starter_javascript',
}

/**
 * Each word as a quoted prefix term, all required: `two su` → `"two"* AND "su"*`. Quoting makes
 * every FTS operator (`-`, `:`, `*`, `(`, `NEAR`…) plain text; inner quotes are doubled.
 */
export function ftsQueryOf(text: string): string | null {
  const terms = text
    .split(/\s+/u)
    .filter((word) => TOKEN_CHAR.test(word))
    .map((word) => `"${word.replaceAll('"', '""')}"*`)
  return terms.length === 0 ? null : terms.join(' AND ')
}

function jsonText<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' })
        return z.NEVER
      }
    })
    .pipe(schema)
}

const TagsColumnSchema = jsonText(z.array(z.string()))
const FlagSchema = z.union([z.literal(0), z.literal(1)]).transform((n) => n === 1)

// Checked as a whole, with the rest of the problem, by ProblemSchema.
const TestRowSchema = z.object({
  name: z.string(),
  args: jsonText(z.array(JsonValueSchema)),
  expected: jsonText(JsonValueSchema),
  hidden: FlagSchema,
})

const ProblemRowSchema = z
  .object({
    id: z.number(),
    slug: z.string(),
    title: z.string(),
    difficulty: z.string(),
    tags: TagsColumnSchema,
    description: z.string(),
    entry_function: z.string(),
    starter_python: z.string(),
    starter_javascript: z.string(),
    solution_python: z.string(),
    solution_javascript: z.string(),
    timeout_ms: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    difficulty: r.difficulty,
    tags: r.tags,
    description: r.description,
    entryFunction: r.entry_function,
    starterCode: { python: r.starter_python, javascript: r.starter_javascript },
    solution: { python: r.solution_python, javascript: r.solution_javascript },
    timeoutMs: r.timeout_ms,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }))

const SummaryRowSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    slug: z.string(),
    difficulty: DifficultySchema,
    tags: TagsColumnSchema,
    has_python: FlagSchema,
    has_javascript: FlagSchema,
    visible_tests: z.number(),
    hidden_tests: z.number(),
    updated_at: z.string(),
  })
  .transform((r): ProblemSummary => ({
    id: r.id,
    title: r.title,
    slug: r.slug,
    difficulty: r.difficulty,
    tags: r.tags,
    languages: [...(r.has_python ? (['python'] as const) : []), ...(r.has_javascript ? (['javascript'] as const) : [])],
    visibleTestCount: r.visible_tests,
    hiddenTestCount: r.hidden_tests,
    updatedAt: r.updated_at,
  }))
  .pipe(ProblemSummarySchema)

const SlugOwnerSchema = z.object({ id: z.number(), title: z.string() })
const CountSchema = z.object({ total: z.number() })
const TagRowsSchema = z.array(z.object({ tag: z.string() }))

/** Parses what SQLite returned; a row that does not fit means the file was changed behind our back. */
function fromDisk<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = parseWith(schema, value)
  if (parsed.ok) return parsed.value
  throw new HostError('database', `${what} is unreadable in the database: ${describeIssues(parsed.issues)}`)
}

function notFound(id: number): HostError {
  return new HostError('not-found', `There is no problem with id ${id}.`)
}

function rowOf(input: ProblemInput, timestamp: string) {
  return {
    slug: input.slug,
    title: input.title,
    difficulty: input.difficulty,
    tags: JSON.stringify(input.tags),
    description: input.description,
    entry_function: input.entryFunction,
    starter_python: input.starterCode.python,
    starter_javascript: input.starterCode.javascript,
    solution_python: input.solution.python,
    solution_javascript: input.solution.javascript,
    timeout_ms: input.timeoutMs,
    updated_at: timestamp,
  }
}

/** The problem bank over one database: every write is one transaction; times come from `now`. */
export function createProblemBank(db: Db, now: () => Date): ProblemBank {
  const statements = {
    problem: db.prepare('SELECT * FROM problems WHERE id = ?'),
    tests: db.prepare('SELECT name, args, expected, hidden FROM problem_tests WHERE problem_id = ? ORDER BY position'),
    insert: db.prepare(`
      INSERT INTO problems (slug, title, difficulty, tags, description, entry_function, starter_python,
        starter_javascript, solution_python, solution_javascript, timeout_ms, created_at, updated_at)
      VALUES (@slug, @title, @difficulty, @tags, @description, @entry_function, @starter_python,
        @starter_javascript, @solution_python, @solution_javascript, @timeout_ms, @updated_at, @updated_at)`),
    update: db.prepare(`
      UPDATE problems SET slug = @slug, title = @title, difficulty = @difficulty, tags = @tags,
        description = @description, entry_function = @entry_function, starter_python = @starter_python,
        starter_javascript = @starter_javascript, solution_python = @solution_python,
        solution_javascript = @solution_javascript, timeout_ms = @timeout_ms, updated_at = @updated_at
      WHERE id = @id`),
    deleteTests: db.prepare('DELETE FROM problem_tests WHERE problem_id = ?'),
    insertTest: db.prepare(
      'INSERT INTO problem_tests (problem_id, position, name, args, expected, hidden) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    remove: db.prepare('DELETE FROM problems WHERE id = ?'),
    slugOwner: db.prepare('SELECT id, title FROM problems WHERE slug = ?'),
    tags: db.prepare('SELECT DISTINCT j.value AS tag FROM problems p, json_each(p.tags) j ORDER BY tag'),
  }
  const listStatements = new Map<string, ReturnType<Db['prepare']>>()
  const prepared = (sql: string) => {
    let statement = listStatements.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      listStatements.set(sql, statement)
    }
    return statement
  }

  function slugOwner(slug: string): { id: number; title: string } | null {
    const row: unknown = statements.slugOwner.get(slug)
    return row === undefined ? null : fromDisk(SlugOwnerSchema, row, `The problem with slug "${slug}"`)
  }

  function assertSlugFree(slug: string, exceptId: number | null): void {
    const owner = slugOwner(slug)
    if (owner && owner.id !== exceptId) {
      const issue = `is already used by "${owner.title}"`
      throw new HostError('conflict', `The slug "${slug}" ${issue}.`, [{ path: 'slug', message: issue }])
    }
  }

  function writeTests(problemId: number, input: ProblemInput): void {
    statements.deleteTests.run(problemId)
    input.tests.forEach((t, position) => {
      statements.insertTest.run(
        problemId,
        position,
        t.name,
        JSON.stringify(t.args),
        JSON.stringify(t.expected),
        t.hidden ? 1 : 0,
      )
    })
  }

  function get(id: number): Problem {
    const row: unknown = statements.problem.get(id)
    if (row === undefined) throw notFound(id)
    const what = `Problem ${id}`
    const base = fromDisk(ProblemRowSchema, row, what)
    const tests = statements.tests.all(id).map((t) => fromDisk(TestRowSchema, t, `A test of problem ${id}`))
    return fromDisk(ProblemSchema, { ...base, tests }, what)
  }

  const create = db.transaction((input: ProblemInput): Problem => {
    assertSlugFree(input.slug, null)
    const id = Number(statements.insert.run(rowOf(input, now().toISOString())).lastInsertRowid)
    writeTests(id, input)
    return get(id)
  })

  const update = db.transaction((id: number, input: ProblemInput): Problem => {
    if (statements.problem.get(id) === undefined) throw notFound(id)
    assertSlugFree(input.slug, id)
    statements.update.run({ ...rowOf(input, now().toISOString()), id })
    writeTests(id, input)
    return get(id)
  })

  const remove = db.transaction((id: number): void => {
    if (statements.remove.run(id).changes === 0) throw notFound(id)
  })

  function freeSlug(base: string, reserved: ReadonlySet<string> = new Set()): string {
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `-${n}`
      // Cut the base so the suffixed slug still fits the length limit and stays a valid slug.
      const candidate = base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, '') + suffix
      if (!reserved.has(candidate) && slugOwner(candidate) === null) return candidate
    }
  }

  const duplicate = db.transaction((id: number): Problem => {
    const source = get(id)
    return create({
      ...source,
      slug: freeSlug(`${source.slug}-copy`),
      title: source.title.slice(0, TITLE_MAX - COPY_SUFFIX.length) + COPY_SUFFIX,
    })
  })

  function list(query: ParsedProblemQuery): ProblemPage {
    const where: string[] = []
    const params: Record<string, string | number> = { limit: query.limit, offset: query.offset }
    let from = 'problems p'
    let order = 'p.title COLLATE NOCASE, p.id'
    const match = ftsQueryOf(query.text)
    if (match !== null) {
      from = 'problems_fts JOIN problems p ON p.id = problems_fts.rowid'
      where.push('problems_fts MATCH @match')
      params.match = match
      // Weights per column (title, slug, description, tags): a hit in the title counts most.
      order = 'bm25(problems_fts, 10.0, 5.0, 1.0, 3.0), p.title COLLATE NOCASE, p.id'
    }
    if (query.difficulty) {
      where.push('p.difficulty = @difficulty')
      params.difficulty = query.difficulty
    }
    if (query.tag !== undefined && query.tag.trim() !== '') {
      where.push('EXISTS (SELECT 1 FROM json_each(p.tags) j WHERE j.value = @tag)')
      params.tag = query.tag.trim().toLowerCase()
    }
    if (query.language) {
      where.push(`trim(${STARTER_COLUMN[query.language]}, @ws) <> ''`)
      params.ws = JS_WHITESPACE
    }
    const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`
    const rows = prepared(`
      SELECT p.id, p.title, p.slug, p.difficulty, p.tags, p.updated_at,
        trim(p.starter_python, @ws) <> '' AS has_python,
        trim(p.starter_javascript, @ws) <> '' AS has_javascript,
        (SELECT count(*) FROM problem_tests t WHERE t.problem_id = p.id AND t.hidden = 0) AS visible_tests,
        (SELECT count(*) FROM problem_tests t WHERE t.problem_id = p.id AND t.hidden = 1) AS hidden_tests
      FROM ${from} ${whereSql} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all({ ...params, ws: JS_WHITESPACE })
    const countParams = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'limit' && k !== 'offset'))
    const count: unknown = prepared(`SELECT count(*) AS total FROM ${from} ${whereSql}`).get(countParams)
    return {
      items: rows.map((row) => fromDisk(SummaryRowSchema, row, 'A problem')),
      total: fromDisk(CountSchema, count, 'The problem count').total,
    }
  }

  function tags(): string[] {
    return fromDisk(TagRowsSchema, statements.tags.all(), 'The tag list').map((r) => r.tag)
  }

  return { list, get, create, update, remove, duplicate, tags, slugOwner, freeSlug }
}
