import { z } from 'zod'
import { DEFAULT_OUTPUT_LIMIT_BYTES, MAX_CODE_CHARS, RunStatusSchema } from './exec/run'
import { TestResultSchema } from './exec/test-result'
import { randomBytes, toBase64url } from './peer/base64'
import { LanguageSchema } from './problem'
import { fitRunEnding, type RunEnding } from './run-trim'

/** Who ran the code: the candidate on their page, or the interviewer in the app. */
export const RunSideSchema = z.enum(['candidate', 'interviewer'])
export type RunSide = z.infer<typeof RunSideSchema>

/** A plain run, the visible tests, or the hidden tests (interviewer only). */
export const RunKindSchema = z.enum(['run', 'tests', 'hidden-tests'])
export type RunKind = z.infer<typeof RunKindSchema>

/** What the candidate may run: hidden tests never leave the interviewer's machine. */
export const CandidateRunKindSchema = z.enum(['run', 'tests'])
export type CandidateRunKind = z.infer<typeof CandidateRunKindSchema>

/** Names one run within a session; the side that starts the run picks it. */
export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _')

/**
 * A new run id, for either side: 128 random bits in base64url. From crypto.getRandomValues, not
 * randomUUID, which exists only in secure contexts: the candidate's page may be plain http.
 */
export const newRunId = (): string => toBase64url(randomBytes(16))

/**
 * Stored output per stream, in characters. Output is capped at the runner's default limit in
 * UTF-8 bytes before it is stored, and a character is at least one byte, so capped output fits.
 */
export const MAX_STORED_OUTPUT_CHARS = DEFAULT_OUTPUT_LIMIT_BYTES
export const MAX_RUN_MESSAGE_CHARS = 2000
/** The most test cases one run has (as many as a RunRequest takes). */
export const MAX_RUN_TESTS = 500
/** The test results of one run as JSON text; larger ones are trimmed to it before they are stored. */
export const MAX_TEST_RESULTS_JSON_CHARS = 5_000_000

const fitsStorage = ({ tests, message }: RunEnding): boolean =>
  (message?.length ?? 0) <= MAX_RUN_MESSAGE_CHARS &&
  (tests === null || (tests.length <= MAX_RUN_TESTS && JSON.stringify(tests).length <= MAX_TEST_RESULTS_JSON_CHARS))

/**
 * A run's test results and message cut down, as the link's frames are, to what the host stores:
 * a run is trimmed rather than refused, so none is lost for printing too much in its tests.
 */
export const storableRunEnding = (ending: RunEnding): RunEnding => fitRunEnding(ending, fitsStorage, 'storage')

/** Far longer than any interview; guards against a clock gone wrong. */
export const MAX_RUN_DURATION_MS = 24 * 60 * 60 * 1000

/** One finished (or abandoned) run to store. A second record with the same runId replaces the first. */
export const RunRecordSchema = z
  .strictObject({
    sessionId: z.string().min(1).max(64),
    /** Picked by the host when absent. */
    runId: RunIdSchema.optional(),
    problem: z.number().int().nonnegative(),
    side: RunSideSchema,
    kind: RunKindSchema,
    language: LanguageSchema,
    code: z.string().max(MAX_CODE_CHARS, `must be at most ${MAX_CODE_CHARS} characters`),
    stdout: z.string().max(MAX_STORED_OUTPUT_CHARS, `must be at most ${MAX_STORED_OUTPUT_CHARS} characters`),
    stderr: z.string().max(MAX_STORED_OUTPUT_CHARS, `must be at most ${MAX_STORED_OUTPUT_CHARS} characters`),
    status: RunStatusSchema,
    /** Null when the run never reported its end (the link dropped, the session ended). */
    durationMs: z.number().nonnegative().max(MAX_RUN_DURATION_MS).nullable(),
    /** One per test case; null for a plain run or tests that never finished. */
    testResults: z.array(TestResultSchema).max(MAX_RUN_TESTS).nullable(),
    message: z.string().max(MAX_RUN_MESSAGE_CHARS).nullable().default(null),
    /** When the run started, in ms since the session started (like timeline events). */
    tMs: z.number().int().nonnegative(),
  })
  .refine((r) => r.side === 'interviewer' || r.kind !== 'hidden-tests', {
    message: 'hidden tests run only on the interviewer side',
    path: ['kind'],
  })
export type RunRecord = z.input<typeof RunRecordSchema>

export const StoredRunSchema = z.object({
  id: z.number().int().positive(),
  runId: RunIdSchema,
  problem: z.number().int().nonnegative(),
  side: RunSideSchema,
  kind: RunKindSchema,
  language: LanguageSchema,
  code: z.string(),
  /** SHA-256 of the code's UTF-8 bytes, hex: tells identical submissions apart cheaply. */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
  stdout: z.string(),
  stderr: z.string(),
  status: RunStatusSchema,
  durationMs: z.number().int().nonnegative().nullable(),
  testResults: z.array(TestResultSchema).nullable(),
  message: z.string().nullable(),
  tMs: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
})
export type StoredRun = z.infer<typeof StoredRunSchema>

/** The data of a `run` event on the session timeline: where replay puts a run marker. */
export const RunMarkSchema = z.object({
  runId: RunIdSchema,
  side: RunSideSchema,
  kind: RunKindSchema,
  status: RunStatusSchema,
})
export type RunMark = z.infer<typeof RunMarkSchema>
