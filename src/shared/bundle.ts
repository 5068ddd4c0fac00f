import { z } from 'zod'
import { RecommendationSchema, RubricScoreSchema, StarsSchema } from './evaluation'
import { RunStatusSchema } from './exec/run'
import { TestResultSchema } from './exec/test-result'
import { LanguageSchema } from './problem'
import { RunIdSchema, RunKindSchema, RunSideSchema } from './run-record'
import { EventKindSchema, FrozenProblemSchema, SessionStatusSchema } from './session'

/**
 * A session bundle (`.duet`): one interview, to be reviewed in another Duet install.
 *
 *     bytes 0–7      magic: ASCII `DUETSESS`
 *     bytes 8–11     header length H, unsigned 32-bit big-endian
 *     next H bytes   header: UTF-8 JSON (BundleHeaderSchema): format, version, payloadBytes, …
 *     next P bytes   payload: gzip of UTF-8 JSON (BundleContentSchema), P = header.payloadBytes
 *     last 32 bytes  SHA-256 of every byte before them
 *
 * The magic, the header's length, format, version and payloadBytes, and the trailing SHA-256 stay
 * where they are in every version, so any Duet can tell a damaged file from a newer one. The
 * link secret, host token and room id never travel: they are useless once the interview is over,
 * and an import makes fresh ones. Private notes and hidden tests do travel: the file is the
 * interviewer's. Bump BUNDLE_VERSION on any change to the header or the content.
 */
export const BUNDLE_MAGIC = 'DUETSESS'
export const BUNDLE_FORMAT = 'duet-session-bundle'
export const BUNDLE_VERSION = 1
export const BUNDLE_EXTENSION = '.duet'
export const BUNDLE_CHECKSUM_BYTES = 32
export const MAX_BUNDLE_HEADER_BYTES = 64 * 1024

/**
 * The largest file Duet exports or opens. Its base64 (4/3 of it) plus the call's JSON fits the
 * browser bridge's 25 MiB frames with room to spare; Electron IPC has no such limit.
 */
export const MAX_BUNDLE_BYTES = 16 * 1024 * 1024
/** The content once decompressed; guards against a small file that inflates without end. */
export const MAX_BUNDLE_CONTENT_BYTES = 256 * 1024 * 1024

/** The length of `bytes` bytes in padded base64. */
export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3)

/** "16 MB": sizes as people read them, in binary megabytes like the limits above. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return `${mb < 10 && !Number.isInteger(mb) ? mb.toFixed(1) : Math.round(mb)} MB`
}

/** Why a file over MAX_BUNDLE_BYTES is refused, the same in the UI (before reading it) and the host. */
export function tooLargeMessage(fileName: string): string {
  return (
    `${fileName} is larger than ${megabytes(MAX_BUNDLE_BYTES)}, the most a session bundle may be, and Duet ` +
    'never exports a larger one. Check that you chose the right file.'
  )
}

/** What every version's header holds: enough to check the file before reading anything else. */
export const BundleEnvelopeSchema = z.object({
  format: z.literal(BUNDLE_FORMAT, `must be "${BUNDLE_FORMAT}"`),
  version: z.number().int().positive(),
  payloadBytes: z.number().int().nonnegative().max(MAX_BUNDLE_BYTES),
})

export const BundleHeaderSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  payloadBytes: z.number().int().nonnegative().max(MAX_BUNDLE_BYTES),
  /** The content's length before compression. */
  contentBytes: z.number().int().nonnegative().max(MAX_BUNDLE_CONTENT_BYTES),
  exportedAt: z.iso.datetime(),
  /** The Duet that wrote the file, for people reading a support report. */
  appVersion: z.string().max(100),
})
export type BundleHeader = z.infer<typeof BundleHeaderSchema>

/**
 * Padded standard base64. No regular expression over the whole text: one that backtracks
 * overflows the stack on a snapshot of a few megabytes.
 */
function isPaddedBase64(text: string): boolean {
  if (text.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(text)) return false
  const padding = text.indexOf('=')
  return padding === -1 || (padding >= text.length - 2 && /^=+$/.test(text.slice(padding)))
}
const Base64Schema = z.string().refine(isPaddedBase64, 'must be padded base64')
const TimeSchema = z.iso.datetime()
const MsSchema = z.number().int().nonnegative()
const IndexSchema = z.number().int().nonnegative()

/** A session id travels with the session: it is how an import knows the session is already here. */
export const BundleSessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _')

export const BundleSessionSchema = z.strictObject({
  id: BundleSessionIdSchema,
  title: z.string().max(1000),
  candidateName: z.string().max(1000),
  language: LanguageSchema,
  status: SessionStatusSchema,
  timeLimitMs: z.number().int().positive().nullable(),
  currentProblem: IndexSchema,
  signalingUrl: z.string().max(2000),
  createdAt: TimeSchema,
  startedAt: TimeSchema.nullable(),
  endedAt: TimeSchema.nullable(),
  /** When the link stopped opening, in ms since the epoch. */
  expiresAt: z.number().int(),
})

/** A frozen problem; the bank it came from stays behind, so its source id does too. */
export const BundleProblemSchema = FrozenProblemSchema.omit({ sourceProblemId: true })

/** Yjs updates are bytes; other events JSON text, possibly empty; null when the row had none. */
export const BundleEventDataSchema = z.union([
  z.null(),
  z.strictObject({ text: z.string() }),
  z.strictObject({ bytes: Base64Schema }),
])

export const BundleEventSchema = z.strictObject({
  /** The id in the exporting database, rising within the session: snapshots name it; an import keeps it. */
  id: z.number().int().positive(),
  tMs: MsSchema,
  kind: EventKindSchema,
  problem: IndexSchema.nullable(),
  data: BundleEventDataSchema,
})

export const BundleSnapshotSchema = z.strictObject({
  tMs: MsSchema,
  /** An event id of this bundle, or 0 for a state before any event. */
  lastEventId: z.number().int().nonnegative(),
  /** The bytes as the recording stores them: a Yjs state update, or one deflated behind a marker. */
  state: Base64Schema,
})

export const BundleRunSchema = z.strictObject({
  runId: RunIdSchema,
  problem: IndexSchema,
  side: RunSideSchema,
  kind: RunKindSchema,
  language: LanguageSchema,
  code: z.string(),
  codeHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  stdout: z.string(),
  stderr: z.string(),
  status: RunStatusSchema,
  durationMs: MsSchema.nullable(),
  testResults: z.array(TestResultSchema).nullable(),
  message: z.string().nullable(),
  tMs: MsSchema,
  createdAt: TimeSchema,
})

export const BundleNoteSchema = z.strictObject({
  tMs: MsSchema,
  problem: IndexSchema.nullable(),
  text: z.string(),
  createdAt: TimeSchema,
  updatedAt: TimeSchema,
})

export const BundleEvaluationSchema = z.strictObject({
  recommendation: RecommendationSchema.nullable(),
  summary: z.string(),
  criteria: z.array(z.strictObject({ label: z.string(), score: RubricScoreSchema.nullable() })),
  score: z.number().nullable(),
  completedAt: TimeSchema.nullable(),
  updatedAt: TimeSchema,
  problems: z.array(z.strictObject({ position: IndexSchema, stars: StarsSchema.nullable(), comment: z.string() })),
})

const BundleContentFieldsSchema = z.strictObject({
  session: BundleSessionSchema,
  /** In the session's order: a run's or note's `problem` is an index into this list. */
  problems: z.array(BundleProblemSchema).max(50),
  /** In the order they were recorded, ids rising. */
  events: z.array(BundleEventSchema),
  snapshots: z.array(BundleSnapshotSchema),
  runs: z.array(BundleRunSchema),
  notes: z.array(BundleNoteSchema),
  evaluation: BundleEvaluationSchema.nullable(),
})
type BundleContentFields = z.infer<typeof BundleContentFieldsSchema>

type Path = (string | number)[]

/** What the schema of one row cannot see: references between rows. */
function crossIssues(content: BundleContentFields): { path: Path; message: string }[] {
  const issues: { path: Path; message: string }[] = []
  const problemCount = content.problems.length
  const checkProblem = (index: number | null, path: Path) => {
    if (index !== null && index >= problemCount) {
      issues.push({ path, message: `must be below ${problemCount}, the number of problems` })
    }
  }
  if (content.session.currentProblem > 0) checkProblem(content.session.currentProblem, ['session', 'currentProblem'])
  const eventIds = new Set<number>()
  let lastId = 0
  content.events.forEach((event, i) => {
    if (event.id <= lastId) issues.push({ path: ['events', i, 'id'], message: 'must be greater than the id before it' })
    lastId = Math.max(lastId, event.id)
    eventIds.add(event.id)
  })
  content.snapshots.forEach((snapshot, i) => {
    if (snapshot.lastEventId !== 0 && !eventIds.has(snapshot.lastEventId)) {
      issues.push({ path: ['snapshots', i, 'lastEventId'], message: 'names no event of this bundle' })
    }
  })
  const runIds = new Map<string, number>()
  content.runs.forEach((run, i) => {
    checkProblem(run.problem, ['runs', i, 'problem'])
    const first = runIds.get(run.runId)
    if (first === undefined) runIds.set(run.runId, i)
    else issues.push({ path: ['runs', i, 'runId'], message: `is already the id of runs[${first}]` })
    if (run.kind === 'hidden-tests' && run.side !== 'interviewer') {
      issues.push({ path: ['runs', i, 'kind'], message: 'hidden tests run only on the interviewer side' })
    }
  })
  content.notes.forEach((note, i) => checkProblem(note.problem, ['notes', i, 'problem']))
  const positions = new Set<number>()
  content.evaluation?.problems.forEach((rating, i) => {
    const path = ['evaluation', 'problems', i, 'position']
    checkProblem(rating.position, path)
    if (positions.has(rating.position)) issues.push({ path, message: 'rates a problem rated before' })
    positions.add(rating.position)
  })
  return issues
}

/** Everything a bundle carries about one session. */
export const BundleContentSchema = BundleContentFieldsSchema.superRefine((content, ctx) => {
  for (const { path, message } of crossIssues(content)) ctx.addIssue({ code: 'custom', message, path })
})
export type BundleContent = z.infer<typeof BundleContentSchema>

/** A `.duet` file as it crosses the host API: its name, and its bytes as padded base64. */
export const BundleFileSchema = z.object({
  fileName: z.string().min(1).max(260),
  data: z
    .string()
    .max(
      base64Length(MAX_BUNDLE_BYTES),
      `the file is larger than ${megabytes(MAX_BUNDLE_BYTES)}, the most a session bundle may hold`,
    ),
})
export type BundleFile = z.infer<typeof BundleFileSchema>

export const BundleExportRequestSchema = z.object({ sessionId: z.string().min(1).max(64) })

export const ExportedBundleSchema = z.object({
  /** `duet-<candidate>-<date>.duet` */
  fileName: z.string(),
  /** The file's bytes as padded base64. */
  data: z.string(),
  bytes: z.number().int().positive(),
})
export type ExportedBundle = z.infer<typeof ExportedBundleSchema>

/** What a bundle holds, read and checked in full, without writing anything. */
export const BundleInspectionSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  candidateName: z.string(),
  language: LanguageSchema,
  status: SessionStatusSchema,
  createdAt: TimeSchema,
  startedAt: TimeSchema.nullable(),
  endedAt: TimeSchema.nullable(),
  problemTitles: z.array(z.string()),
  events: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  notes: z.number().int().nonnegative(),
  hasEvaluation: z.boolean(),
  exportedAt: TimeSchema,
  /** The session is in this database already: importing it would be refused. */
  alreadyPresent: z.boolean(),
})
export type BundleInspection = z.infer<typeof BundleInspectionSchema>

export const BundleImportResultSchema = z.object({ sessionId: z.string() })
