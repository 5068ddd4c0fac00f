import { z } from 'zod'
import { DifficultySchema, LanguageSchema, ProblemSchema, TestCaseSchema } from './problem'
import { IceServerSchema } from './signaling/protocol'

export const SessionStatusSchema = z.enum(['created', 'live', 'ended'])
export type SessionStatus = z.infer<typeof SessionStatusSchema>

/** The most problems one session holds. */
export const MAX_SESSION_PROBLEMS = 5
const TOO_MANY_PROBLEMS = `choose at most ${MAX_SESSION_PROBLEMS} problems`

/** How the interviewer chooses problems: at random by difficulty, or by hand. */
export const ProblemChoiceSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('random'),
    difficulty: DifficultySchema,
    count: z.number().int().min(1, 'choose at least 1 problem').max(MAX_SESSION_PROBLEMS, TOO_MANY_PROBLEMS),
  }),
  z.object({
    mode: z.literal('pick'),
    ids: z
      .array(z.number().int().positive())
      .min(1, 'choose at least 1 problem')
      .max(MAX_SESSION_PROBLEMS, TOO_MANY_PROBLEMS),
  }),
])
export type ProblemChoice = z.infer<typeof ProblemChoiceSchema>

export const SessionCreateSchema = z.strictObject({
  candidateName: z.string().trim().max(80, 'must be at most 80 characters').default(''),
  title: z.string().trim().max(120, 'must be at most 120 characters').default(''),
  language: LanguageSchema,
  problems: ProblemChoiceSchema,
  timeLimitMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(480).nullable().default(null),
})
export type SessionCreate = z.input<typeof SessionCreateSchema>

/** A problem as it was when the session was created; editing the bank later never changes it. */
export const FrozenProblemSchema = ProblemSchema.omit({ id: true, createdAt: true, updatedAt: true }).extend({
  sourceProblemId: z.number().int().positive().nullable(),
})
export type FrozenProblem = z.infer<typeof FrozenProblemSchema>

export const SessionSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  /** The link secret (256 bits, base64url): only ever in the link's fragment and on this machine. */
  secret: z.string(),
  title: z.string(),
  candidateName: z.string(),
  language: LanguageSchema,
  status: SessionStatusSchema,
  timeLimitMs: z.number().int().nullable(),
  currentProblem: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  problems: z.array(FrozenProblemSchema),
})
export type Session = z.infer<typeof SessionSchema>

export const SessionSummarySchema = SessionSchema.omit({ secret: true, problems: true }).extend({
  problemTitles: z.array(z.string()),
})
export type SessionSummary = z.infer<typeof SessionSummarySchema>

/** What the candidate may see of a problem: never the solution, never a hidden test. */
export const CandidateProblemSchema = z.object({
  title: z.string(),
  difficulty: DifficultySchema,
  description: z.string(),
  entryFunction: z.string(),
  starterCode: z.string(),
  tests: z.array(TestCaseSchema.extend({ hidden: z.literal(false) })),
  timeoutMs: z.number().int(),
})
export type CandidateProblem = z.infer<typeof CandidateProblemSchema>

export function candidateViewOf(problem: FrozenProblem, language: z.infer<typeof LanguageSchema>): CandidateProblem {
  return {
    title: problem.title,
    difficulty: problem.difficulty,
    description: problem.description,
    entryFunction: problem.entryFunction,
    starterCode: problem.starterCode[language],
    tests: problem.tests.filter((t) => !t.hidden).map((t) => ({ ...t, hidden: false as const })),
    timeoutMs: problem.timeoutMs,
  }
}

/** Kinds of the append-only timeline. `yjs` carries a Yjs update; the rest are events. */
export const EventKindSchema = z.enum([
  'yjs',
  'join',
  'leave',
  'reconnect',
  'mode',
  'problem',
  'status',
  'focus-lost',
  'focus-gained',
  'paste',
  /** A run of either side; JSON data is a RunMark (src/shared/run-record.ts). */
  'run',
  /** The interviewer added time; JSON data `{ addedMs, timeLimitMs }`. */
  'timer',
  /** Nothing was recorded for a while; JSON data is GapData (src/shared/replay/gap.ts). */
  'gap',
])
export type EventKind = z.infer<typeof EventKindSchema>

export const RecordedEventSchema = z.object({
  tMs: z.number().int().nonnegative(),
  kind: EventKindSchema,
  problem: z.number().int().nonnegative().nullable().default(null),
  /** Base64: a Yjs update for `yjs`, JSON text for other kinds. */
  data: z.string().max(1_000_000).default(''),
})
export type RecordedEvent = z.input<typeof RecordedEventSchema>

export const AppendEventsSchema = z.object({
  sessionId: z.string().min(1),
  events: z.array(RecordedEventSchema).min(1).max(5000),
  /** A full document state to store with this batch (at least every 30 s or 500 updates). */
  snapshot: z
    .object({
      tMs: z.number().int().nonnegative(),
      state: z.string().max(20_000_000),
      /**
       * Yjs's update encoding of `state`. The recorder sends V2, which the host stores as it is (it
       * deflates to half of V1); `recording.load` always gives V1 back.
       */
      encoding: z.enum(['v1', 'v2']).default('v1'),
    })
    .optional(),
})

export const StoredEventSchema = z.object({
  id: z.number().int().positive(),
  tMs: z.number().int().nonnegative(),
  kind: EventKindSchema,
  problem: z.number().int().nonnegative().nullable(),
  data: z.string(),
})
export type StoredEvent = z.infer<typeof StoredEventSchema>

export const StoredSnapshotSchema = z.object({
  tMs: z.number().int().nonnegative(),
  /** The id of the last event whose effect the state includes. */
  lastEventId: z.number().int().nonnegative(),
  state: z.string(),
})

export const RecordingSchema = z.object({
  events: z.array(StoredEventSchema),
  snapshots: z.array(StoredSnapshotSchema),
})
export type Recording = z.infer<typeof RecordingSchema>

export const SessionConnectionSchema = z.object({
  roomId: z.string(),
  secret: z.string(),
  /** Random, stored with the session, never derived from the secret: only this machine can be host. */
  hostToken: z.string(),
  /** `{signalingBase}/s/{roomId}#{secret}` */
  link: z.string(),
  /** The signaling WebSocket, e.g. `ws://192.168.1.20:8787/ws`. */
  signalingUrl: z.string(),
  iceServers: z.array(IceServerSchema),
  expiresAt: z.number().int(),
})
export type SessionConnection = z.infer<typeof SessionConnectionSchema>
