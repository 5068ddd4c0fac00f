import { z } from 'zod'
import { AppInfoSchema, DatabaseStatusSchema, MovedAsideSchema } from './app-status'
import {
  ConflictPolicySchema,
  ExportRequestSchema,
  ExportedPackSchema,
  ImportPreviewSchema,
  ImportResultSchema,
  PackSourceSchema,
} from './pack'
import { ProblemInputSchema, ProblemPageSchema, ProblemQuerySchema, ProblemSchema } from './problem'
import {
  AppendEventsSchema,
  RecordingSchema,
  SessionConnectionSchema,
  SessionCreateSchema,
  SessionSchema,
  SessionStatusSchema,
  SessionSummarySchema,
} from './session'
import { RunRecordSchema, StoredRunSchema } from './run-record'
import {
  OpenFolderResultSchema,
  RemoteUrlSchema,
  SettingsPatchSchema,
  SettingsSchema,
  SignalingStatusSchema,
  SignalingTestSchema,
} from './settings'
import { EvaluationDraftSchema, EvaluationRefSchema, EvaluationSchema, EvaluationSummarySchema } from './evaluation'
import { HistoryPageSchema, HistoryQuerySchema } from './history'
import { MAX_EXTENSION_MINUTES } from './timer'
import { NoteIdSchema, NoteInputSchema, NoteSchema, NoteUpdateSchema } from './notes'
import { ReportPdfRequestSchema, ReportPdfSchema } from './report/pdf'
import {
  BundleExportRequestSchema,
  BundleFileSchema,
  BundleImportResultSchema,
  BundleInspectionSchema,
  ExportedBundleSchema,
} from './bundle'

const IdSchema = z.object({ id: z.number().int().positive() })
const SessionIdSchema = z.object({ id: z.string().min(1).max(64) })

/**
 * The whole contract between the interviewer UI and its host (Electron main or the browser
 * bridge): every method, named `namespace.method`, with the schema of its input and output.
 * The host parses every input; the client parses every output.
 */
export const hostMethods = {
  'app.info': { input: z.void(), output: AppInfoSchema },
  'app.databaseStatus': { input: z.void(), output: DatabaseStatusSchema },
  'app.moveDatabaseAside': { input: z.void(), output: MovedAsideSchema },
  /** Shows the data folder in the desktop's file manager; where there is none, says why, with the path. */
  'app.openDataFolder': { input: z.void(), output: OpenFolderResultSchema },

  'problems.list': { input: ProblemQuerySchema, output: ProblemPageSchema },
  'problems.get': { input: IdSchema, output: ProblemSchema },
  'problems.create': { input: ProblemInputSchema, output: ProblemSchema },
  'problems.update': { input: z.object({ id: IdSchema.shape.id, problem: ProblemInputSchema }), output: ProblemSchema },
  'problems.delete': { input: IdSchema, output: z.object({ deleted: z.literal(true) }) },
  'problems.duplicate': { input: IdSchema, output: ProblemSchema },
  'problems.tags': { input: z.void(), output: z.array(z.string()) },
  'problems.previewImport': { input: PackSourceSchema, output: ImportPreviewSchema },
  'problems.import': {
    input: z.object({ source: PackSourceSchema, onConflict: ConflictPolicySchema }),
    output: ImportResultSchema,
  },
  'problems.export': { input: ExportRequestSchema, output: ExportedPackSchema },

  'sessions.create': { input: SessionCreateSchema, output: SessionSchema },
  'sessions.get': { input: SessionIdSchema, output: SessionSchema },
  'sessions.list': { input: z.void(), output: z.array(SessionSummarySchema) },
  'sessions.setStatus': { input: SessionIdSchema.extend({ status: SessionStatusSchema }), output: SessionSchema },
  'sessions.setCurrentProblem': {
    input: SessionIdSchema.extend({ index: z.number().int().nonnegative() }),
    output: SessionSchema,
  },
  /**
   * Adds minutes to a live session's time limit (counted from now once the time is up); the
   * host UI then sends the new state to the candidate.
   */
  'sessions.extendTime': {
    input: SessionIdSchema.extend({ minutes: z.number().int().min(1).max(MAX_EXTENSION_MINUTES) }),
    output: SessionSchema,
  },
  /** Deletes a session that is not live with everything recorded in it; refuses a live one. */
  'sessions.delete': { input: SessionIdSchema, output: z.object({ deleted: z.literal(true) }) },
  /** Everything the host UI needs to open the room: the link, the signaling socket, ICE servers. */
  'sessions.connection': { input: SessionIdSchema, output: SessionConnectionSchema },

  'recording.append': { input: AppendEventsSchema, output: z.object({ stored: z.number().int() }) },
  'recording.load': { input: z.object({ sessionId: z.string().min(1) }), output: RecordingSchema },

  /** Stores a run of either side and marks it on the session timeline; the same runId replaces. */
  'runs.record': { input: RunRecordSchema, output: StoredRunSchema },
  /** A session's runs by the time they started. */
  'runs.list': { input: z.object({ sessionId: z.string().min(1) }), output: z.array(StoredRunSchema) },

  'settings.get': { input: z.void(), output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
  /** Asks a remote signaling server for its `/healthz` from the host process, before it is saved. */
  'settings.testSignaling': { input: z.object({ url: RemoteUrlSchema }), output: SignalingTestSchema },
  /** Where the embedded server listens and where new links point with the saved settings. */
  'settings.signalingStatus': { input: z.void(), output: SignalingStatusSchema },

  /** Private notes: stored here, never sent to the candidate. */
  'notes.add': { input: NoteInputSchema, output: NoteSchema },
  'notes.list': { input: z.object({ sessionId: z.string().min(1) }), output: z.array(NoteSchema) },
  'notes.update': { input: NoteUpdateSchema, output: NoteSchema },
  'notes.delete': { input: z.object({ id: NoteIdSchema }), output: z.object({ deleted: z.literal(true) }) },

  /** The session's evaluation; the first call starts it, freezing the rubric from the settings. */
  'evaluations.get': { input: EvaluationRefSchema, output: EvaluationSchema },
  /** Stores a draft, complete or not, as the interviewer types. */
  'evaluations.save': { input: EvaluationDraftSchema, output: EvaluationSchema },
  /** Stores the draft and marks it complete, or refuses naming each required part that is missing. */
  'evaluations.complete': { input: EvaluationDraftSchema, output: EvaluationSchema },
  'evaluations.list': { input: z.void(), output: z.array(EvaluationSummarySchema) },

  /** One session as a portable `.duet` file (base64), to import into another Duet. */
  'bundles.export': { input: BundleExportRequestSchema, output: ExportedBundleSchema },
  /** Reads and checks a `.duet` file, says what it holds and whether it is here already; writes nothing. */
  'bundles.inspect': { input: BundleFileSchema, output: BundleInspectionSchema },
  /** Imports a `.duet` file's session in one transaction, or refuses and writes nothing. */
  'bundles.import': { input: BundleFileSchema, output: BundleImportResultSchema },

  /** Past and present sessions for the History page: text search, filters, sorting and paging. */
  'history.search': { input: HistoryQuerySchema, output: HistoryPageSchema },

  /** Prints a report's HTML to PDF; refused where this host has no printer (then save HTML and print it). */
  'reports.pdf': { input: ReportPdfRequestSchema, output: ReportPdfSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

/** Events the host pushes to every open UI. */
export const hostEvents = {
  'problems.changed': z.object({ ids: z.array(z.number().int()) }),
  'settings.changed': SettingsSchema,
  'sessions.changed': z.object({ id: z.string() }),
} as const satisfies Record<string, z.ZodType>

export type HostMethods = typeof hostMethods
export type HostMethodName = keyof HostMethods
export type HostEventName = keyof typeof hostEvents
export type HostInput<M extends HostMethodName> = z.input<HostMethods[M]['input']>
export type HostParsedInput<M extends HostMethodName> = z.output<HostMethods[M]['input']>
export type HostOutput<M extends HostMethodName> = z.output<HostMethods[M]['output']>
export type HostEventPayload<E extends HostEventName> = z.output<(typeof hostEvents)[E]>

export const hostMethodNames = Object.keys(hostMethods) as HostMethodName[]
export const hostEventNames = Object.keys(hostEvents) as HostEventName[]

export function isHostMethodName(name: unknown): name is HostMethodName {
  return typeof name === 'string' && Object.hasOwn(hostMethods, name)
}

export function isHostEventName(name: unknown): name is HostEventName {
  return typeof name === 'string' && Object.hasOwn(hostEvents, name)
}

type Namespace<M extends string> = M extends `${infer N}.${string}` ? N : never

/** `problems.list` becomes `api.problems.list(input)`. */
export type HostApi = {
  [N in Namespace<HostMethodName>]: {
    [M in HostMethodName as M extends `${N}.${infer F}` ? F : never]: (input: HostInput<M>) => Promise<HostOutput<M>>
  }
} & {
  on<E extends HostEventName>(event: E, handler: (payload: HostEventPayload<E>) => void): () => void
}

/** The implementation side: one function per method, taking the parsed input. */
export type HostHandlers = {
  [M in HostMethodName]: (input: HostParsedInput<M>) => HostOutput<M> | Promise<HostOutput<M>>
}
