import {
  DEFAULT_TIMEOUT_MS,
  LANGUAGES,
  type Difficulty,
  type Language,
  type Problem,
  type ProblemDraft,
} from '../../../shared/problem'
import type { JsonValue } from '../../../shared/json'
import type { FieldIssue } from '../../../shared/validation'

/** One test case as the user types it: arguments and expected value stay text until saved. */
export interface TestCaseForm {
  /** Stable identity for list rendering while rows are added, removed and moved. */
  key: number
  name: string
  argsText: string
  expectedText: string
  hidden: boolean
}

export interface ProblemForm {
  title: string
  slug: string
  difficulty: Difficulty
  tagsText: string
  description: string
  entryFunction: string
  /** '' when the field is empty: the host then uses its default. */
  timeoutMs: number | ''
  starterCode: Record<Language, string>
  solution: Record<Language, string>
  tests: TestCaseForm[]
}

let nextKey = 1

export function newTestCase(fields: Partial<Omit<TestCaseForm, 'key'>> = {}): TestCaseForm {
  return { key: nextKey++, name: '', argsText: '[]', expectedText: 'null', hidden: false, ...fields }
}

function byLanguage(value: (language: Language) => string): Record<Language, string> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, value(l)])) as Record<Language, string>
}

export function emptyForm(): ProblemForm {
  return {
    title: '',
    slug: '',
    difficulty: 'junior',
    tagsText: '',
    description: '',
    entryFunction: '',
    timeoutMs: DEFAULT_TIMEOUT_MS,
    starterCode: byLanguage(() => ''),
    solution: byLanguage(() => ''),
    tests: [newTestCase({ name: 'example' })],
  }
}

export function formFromProblem(p: Problem): ProblemForm {
  return {
    title: p.title,
    slug: p.slug,
    difficulty: p.difficulty,
    tagsText: p.tags.join(', '),
    description: p.description,
    entryFunction: p.entryFunction,
    timeoutMs: p.timeoutMs,
    starterCode: byLanguage((l) => p.starterCode[l]),
    solution: byLanguage((l) => p.solution[l]),
    tests: p.tests.map((t) =>
      newTestCase({
        name: t.name,
        argsText: JSON.stringify(t.args),
        expectedText: JSON.stringify(t.expected),
        hidden: t.hidden,
      }),
    ),
  }
}

type JsonParse = { ok: true; value: JsonValue } | { ok: false; message: string }

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, message: `not valid JSON (${detail})` }
  }
}

/** The JSON problem of one test field, or null when the text is fine. */
export function argsError(text: string): string | null {
  const parsed = parseJson(text)
  if (!parsed.ok) return parsed.message
  return Array.isArray(parsed.value) ? null : 'must be a JSON array of arguments, like [1, "a"]'
}

export function expectedError(text: string): string | null {
  const parsed = parseJson(text)
  return parsed.ok ? null : parsed.message
}

export type DraftResult = { ok: true; draft: ProblemDraft } | { ok: false; issues: FieldIssue[] }

/**
 * Turns the form into what the host validates. Only what the host cannot judge — text that is
 * not JSON — is checked here; every other rule is the host's, so its messages are the truth.
 */
export function draftFromForm(form: ProblemForm): DraftResult {
  const issues: FieldIssue[] = []
  const tests = form.tests.map((t, i) => {
    const args = parseJson(t.argsText)
    const expected = parseJson(t.expectedText)
    const argsProblem = argsError(t.argsText)
    if (argsProblem) issues.push({ path: `tests[${i}].args`, message: argsProblem })
    if (!expected.ok) issues.push({ path: `tests[${i}].expected`, message: expected.message })
    return {
      name: t.name,
      args: args.ok && Array.isArray(args.value) ? args.value : [],
      expected: expected.ok ? expected.value : null,
      hidden: t.hidden,
    }
  })
  if (issues.length > 0) return { ok: false, issues }
  return {
    ok: true,
    draft: {
      title: form.title,
      slug: form.slug,
      difficulty: form.difficulty,
      tags: form.tagsText
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
      description: form.description,
      entryFunction: form.entryFunction,
      starterCode: { ...form.starterCode },
      solution: { ...form.solution },
      ...(form.timeoutMs === '' ? {} : { timeoutMs: Number(form.timeoutMs) }),
      tests,
    },
  }
}
