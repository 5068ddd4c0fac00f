import { z } from 'zod'
import { MAX_CODE_CHARS, OutputStreamSchema, RunResultSchema } from '../exec/run'
import { CandidateProblemSchema, MAX_SESSION_PROBLEMS, SessionStatusSchema } from '../session'
import { LanguageSchema } from '../problem'
import { CandidateRunKindSchema, RunIdSchema } from '../run-record'

/** Frames on the peer link (data channel or relay), JSON text. Binary payloads are base64. */
const B64 = z
  .string()
  .max(2_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')

/** Host-authoritative session state; the candidate only ever receives it. */
export const SessionStateSchema = z.object({
  status: SessionStatusSchema,
  currentProblem: z.number().int().nonnegative(),
  /** Host clock, ms since the epoch, when the session went live; null before. */
  startedAt: z.number().int().nullable(),
  timeLimitMs: z.number().int().nullable(),
})
export type SessionState = z.infer<typeof SessionStateSchema>

/** The longest interviewer name a session.info carries (the settings allow no longer). */
export const MAX_INTERVIEWER_NAME_CHARS = 80

/** What the candidate's page shows before and during the interview. Never hidden tests. */
export const SessionInfoSchema = z.object({
  title: z.string().max(200),
  interviewerName: z.string().max(MAX_INTERVIEWER_NAME_CHARS),
  language: LanguageSchema,
  problems: z.array(CandidateProblemSchema).max(MAX_SESSION_PROBLEMS),
})
export type SessionInfo = z.infer<typeof SessionInfoSchema>

/**
 * The most parts one frame is sent in when its JSON is larger than a link frame (see
 * frame-parts.ts): about 750 KiB, which the signaling server's byte burst lets through at once in
 * relay mode.
 */
export const MAX_FRAME_PARTS = 16
/** Part ids count up per link and wrap here. */
export const MAX_PART_ID = 2 ** 31 - 1

/** The most output one `run.output` frame carries, in bytes of its JSON-encoded text. */
export const MAX_RUN_OUTPUT_FRAME_BYTES = 16 * 1024

export const LinkFrameSchema = z.discriminatedUnion('type', [
  /** Yjs sync protocol message (y-protocols/sync). */
  z.object({ type: z.literal('sync'), data: B64 }),
  /** Yjs awareness update (y-protocols/awareness): name, colour, cursor, selection. */
  z.object({ type: z.literal('awareness'), data: B64 }),
  /** host → candidate only. */
  z.object({ type: z.literal('session.info'), info: SessionInfoSchema }),
  /** host → candidate only. */
  z.object({ type: z.literal('session.state'), state: SessionStateSchema }),
  /** candidate → host: who is at the keyboard. */
  z.object({ type: z.literal('candidate.hello'), name: z.string().trim().min(2).max(80) }),
  /** candidate → host: what the recording marks on the timeline. */
  z.object({
    type: z.literal('event'),
    kind: z.enum(['focus-lost', 'focus-gained', 'paste']),
    problem: z.number().int().nonnegative(),
    chars: z.number().int().nonnegative().optional(),
  }),
  /**
   * candidate → host: a run began. `code` is null when it would not fit a frame: the host then
   * records its own copy of the problem's text. `agoMs`: how long before sending the run began
   * (frames kept while the link was down arrive late).
   */
  z.object({
    type: z.literal('run.started'),
    runId: RunIdSchema,
    problem: z.number().int().nonnegative(),
    kind: CandidateRunKindSchema,
    language: LanguageSchema,
    code: z.string().max(MAX_CODE_CHARS).nullable(),
    agoMs: z.number().int().nonnegative(),
  }),
  /** candidate → host: a piece of a run's output, coalesced; never past the run's output limit. */
  z.object({
    type: z.literal('run.output'),
    runId: RunIdSchema,
    stream: OutputStreamSchema,
    text: z.string().min(1).max(MAX_RUN_OUTPUT_FRAME_BYTES),
  }),
  /** candidate → host: how a run ended; per-test strings may be trimmed to fit the frame. */
  z.object({ type: z.literal('run.finished'), runId: RunIdSchema, result: RunResultSchema }),
  /** candidate → host: `t` is the candidate's clock, echoed back so it can time the round trip. */
  z.object({ type: z.literal('ping'), t: z.number() }),
  /**
   * host → candidate: the answer to a ping. `at` is the host's clock (ms since the epoch) when it
   * answered: the candidate's countdown follows the host's clock through it (src/shared/timer.ts).
   */
  z.object({ type: z.literal('pong'), t: z.number(), at: z.number().optional() }),
  z.object({ type: z.literal('bye'), reason: z.enum(['ended', 'replaced', 'closed']) }),
  /**
   * Either way: one piece of a frame too large to go whole (a session.info with long problems).
   * The texts of parts 0 to count-1 with one id, joined, are that frame's JSON.
   */
  z.object({
    type: z.literal('part'),
    id: z.number().int().nonnegative().max(MAX_PART_ID),
    index: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_FRAME_PARTS - 1),
    count: z.number().int().min(2).max(MAX_FRAME_PARTS),
    text: z.string(),
  }),
])
export type LinkFrame = z.infer<typeof LinkFrameSchema>
export type LinkFrameType = LinkFrame['type']
export type PartFrame = Extract<LinkFrame, { type: 'part' }>

/** Frames only the host may send; the host drops them (and counts them) when a candidate sends one. */
export const HOST_ONLY_FRAMES: ReadonlySet<LinkFrameType> = new Set(['session.info', 'session.state', 'pong', 'bye'])

/** Frames only the candidate sends; the candidate's page ignores them if one ever arrives. */
export const CANDIDATE_ONLY_FRAMES: ReadonlySet<LinkFrameType> = new Set([
  'candidate.hello',
  'ping',
  'event',
  'run.started',
  'run.output',
  'run.finished',
])
