import { z } from 'zod'
import { JsonValueSchema } from './json'

export const LANGUAGES = ['python', 'javascript'] as const
export const LanguageSchema = z.enum(LANGUAGES)
export type Language = z.infer<typeof LanguageSchema>

export const DIFFICULTIES = ['junior', 'middle', 'senior'] as const
export const DifficultySchema = z.enum(DIFFICULTIES)
export type Difficulty = z.infer<typeof DifficultySchema>

export const DEFAULT_TIMEOUT_MS = 10_000

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
// An identifier valid in both Python and JavaScript.
const ENTRY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/

// Strict: a misspelt key (`hiden: true`) must be an error, never a hidden test turned visible.
export const TestCaseSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  args: z.array(JsonValueSchema),
  expected: JsonValueSchema,
  hidden: z.boolean().default(false),
})
export type TestCase = z.infer<typeof TestCaseSchema>

const CodeByLanguageSchema = z.object({
  python: z.string().max(100_000, 'must be at most 100,000 characters').default(''),
  javascript: z.string().max(100_000, 'must be at most 100,000 characters').default(''),
})
export type CodeByLanguage = z.infer<typeof CodeByLanguageSchema>

const TagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z0-9+#.\- ]+$/, 'may hold letters, digits, spaces and + # . -')

/** A problem as the user writes it: in the editor form or in a pack file. */
export const ProblemInputSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    slug: z
      .string()
      .trim()
      .min(1, { error: 'must not be empty', abort: true })
      .max(80, 'must be at most 80 characters')
      .regex(SLUG_PATTERN, 'use lowercase letters, digits and single hyphens, like "two-sum"'),
    difficulty: DifficultySchema,
    tags: z
      .array(TagSchema)
      .max(20, 'at most 20 tags')
      .default([])
      .transform((tags) => [...new Set(tags)]),
    description: z.string().max(50_000, 'must be at most 50,000 characters').default(''),
    entryFunction: z
      .string()
      .trim()
      .regex(ENTRY_PATTERN, 'must be a function name: letters, digits and _, not starting with a digit'),
    starterCode: CodeByLanguageSchema,
    solution: CodeByLanguageSchema,
    timeoutMs: z
      .number()
      .int()
      .min(100, 'must be at least 100 ms')
      .max(120_000, 'must be at most 120,000 ms')
      .default(DEFAULT_TIMEOUT_MS),
    tests: z.array(TestCaseSchema).max(200, 'at most 200 tests').default([]),
  })
  .superRefine((p, ctx) => {
    if (languagesOf(p).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['starterCode'], message: 'give starter code in at least one language' })
    }
  })
export type ProblemInput = z.infer<typeof ProblemInputSchema>
/** What a form or file may leave out: defaults fill it in. */
export type ProblemDraft = z.input<typeof ProblemInputSchema>

/** A problem supports a language when it has starter code in it. */
export function languagesOf(p: { starterCode: CodeByLanguage }): Language[] {
  return LANGUAGES.filter((l) => p.starterCode[l].trim() !== '')
}

const TimestampSchema = z.iso.datetime()

export const ProblemSchema = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  slug: z.string(),
  difficulty: DifficultySchema,
  tags: z.array(z.string()),
  description: z.string(),
  entryFunction: z.string(),
  starterCode: CodeByLanguageSchema,
  solution: CodeByLanguageSchema,
  timeoutMs: z.number().int(),
  tests: z.array(TestCaseSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
})
export type Problem = z.infer<typeof ProblemSchema>

/** The editable part of a stored problem: what an edit form or an exported pack holds. */
export function problemInputOf(p: Problem): ProblemInput {
  return {
    title: p.title,
    slug: p.slug,
    difficulty: p.difficulty,
    tags: p.tags,
    description: p.description,
    entryFunction: p.entryFunction,
    starterCode: p.starterCode,
    solution: p.solution,
    timeoutMs: p.timeoutMs,
    tests: p.tests,
  }
}

export const ProblemSummarySchema = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  slug: z.string(),
  difficulty: DifficultySchema,
  tags: z.array(z.string()),
  languages: z.array(LanguageSchema),
  visibleTestCount: z.number().int().nonnegative(),
  hiddenTestCount: z.number().int().nonnegative(),
  updatedAt: TimestampSchema,
})
export type ProblemSummary = z.infer<typeof ProblemSummarySchema>

export const ProblemQuerySchema = z.object({
  text: z.string().max(200, 'must be at most 200 characters').default(''),
  difficulty: DifficultySchema.optional(),
  tag: z.string().max(40).optional(),
  language: LanguageSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).default(0),
})
export type ProblemQuery = z.input<typeof ProblemQuerySchema>

export const ProblemPageSchema = z.object({
  items: z.array(ProblemSummarySchema),
  total: z.number().int().nonnegative(),
})
export type ProblemPage = z.infer<typeof ProblemPageSchema>
