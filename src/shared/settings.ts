import { z } from 'zod'
import { LanguageSchema } from './problem'
import { IceServerSchema } from './signaling/protocol'

export const ThemeSchema = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof ThemeSchema>

export const REMOTE_URL_EXAMPLE = 'https://duet.example.com'
const NEEDS_HTTPS =
  `must be an https:// URL, like ${REMOTE_URL_EXAMPLE}: a candidate on the internet opens the link ` +
  'in a browser, which needs TLS (http:// is allowed only for localhost and 127.0.0.1, for testing)'
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1'])

/** What is wrong with a remote signaling URL, or null when links can be built on it. */
export function remoteUrlProblem(text: string): string | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return NEEDS_HTTPS
  }
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !local) return NEEDS_HTTPS
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password'
  // Links append `/s/{room}#{secret}` to it, so a query or fragment would swallow the room.
  if (url.search !== '' || url.hash !== '') return 'must not have a ?query or a #fragment'
  return null
}

/** The base of a signaling server run elsewhere; a path prefix (`https://host/duet`) is kept. */
export const RemoteUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .superRefine((text, ctx) => {
    const problem = remoteUrlProblem(text)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })

/**
 * `embedded`: the server inside this app, links on this machine's LAN address. `remote`: a
 * server deployed for candidates on the internet. The remote URL is kept, and checked only, while
 * remote is chosen, so switching back and forth loses nothing.
 */
export const SignalingSettingsSchema = z
  .strictObject({
    mode: z.enum(['embedded', 'remote']),
    remoteUrl: z.string().trim().max(2048),
  })
  .superRefine((value, ctx) => {
    if (value.mode === 'embedded') return
    const problem = remoteUrlProblem(value.remoteUrl)
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['remoteUrl'], message: problem })
  })
export type SignalingSettings = z.infer<typeof SignalingSettingsSchema>

export const IceServersSchema = z.array(IceServerSchema).max(32, 'must list at most 32 servers')

export const DEFAULT_INTERVIEWER_NAME = 'Interviewer'

/** The name the candidate's join screen shows; the link frame carries at most 80 characters. */
export const InterviewerNameSchema = z
  .string()
  .trim()
  .min(1, 'enter the name the candidate sees, like "Ada Lovelace"')
  .max(80, 'must be at most 80 characters')

/** Prefills a new session's time limit; null means no limit. The same bounds as a session's. */
export const DefaultTimeLimitSchema = z
  .number()
  .int('must be a whole number of minutes')
  .min(5, 'must be at least 5 minutes')
  .max(480, 'must be at most 480 minutes (8 hours)')
  .nullable()

export const MAX_RUBRIC_CRITERIA = 12
export const DEFAULT_RUBRIC = ['Problem solving', 'Code quality', 'Communication', 'Testing']

export const CriterionSchema = z
  .string()
  .trim()
  .min(1, 'enter a name for the criterion, or remove it')
  .max(60, 'must be at most 60 characters')

/**
 * The criteria each new evaluation scores from 1 to 4. An evaluation keeps its own copy, so
 * editing them never changes one already started.
 */
export const RubricSchema = z
  .array(CriterionSchema)
  .min(1, 'keep at least one criterion')
  .max(MAX_RUBRIC_CRITERIA, `must list at most ${MAX_RUBRIC_CRITERIA} criteria`)
  .superRefine((criteria, ctx) => {
    const seen = new Set<string>()
    criteria.forEach((criterion, index) => {
      const key = criterion.toLocaleLowerCase()
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `"${criterion}" is listed twice` })
      seen.add(key)
    })
  })

export const MAX_RETENTION_DAYS = 3650
const RETENTION_RANGE = `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (ten years)`

/**
 * How many days an ended interview is kept before Duet deletes it with everything recorded in it;
 * null keeps every interview forever.
 */
export const RetentionDaysSchema = z
  .number(RETENTION_RANGE)
  .int(RETENTION_RANGE)
  .min(1, RETENTION_RANGE)
  .max(MAX_RETENTION_DAYS, RETENTION_RANGE)
  .nullable()

/** User settings, stored one key per row; later features add keys with defaults here. */
export const SettingsSchema = z.object({
  theme: ThemeSchema.default('system'),
  signaling: SignalingSettingsSchema.default({ mode: 'embedded', remoteUrl: '' }),
  /** This app's side of the peer link; none is needed on a LAN, STUN/TURN help across the internet. */
  iceServers: IceServersSchema.default([]),
  interviewerName: InterviewerNameSchema.default(DEFAULT_INTERVIEWER_NAME),
  defaultLanguage: LanguageSchema.default('python'),
  defaultTimeLimitMinutes: DefaultTimeLimitSchema.default(null),
  rubric: RubricSchema.default(DEFAULT_RUBRIC),
  retentionDays: RetentionDaysSchema.default(null),
})
export type Settings = z.infer<typeof SettingsSchema>

/**
 * Each key optional and without its default: a patch names only what it changes. zod's
 * `.partial()` keeps the defaults, so it would reset every key the patch leaves out.
 */
export const SettingsPatchSchema = z.strictObject({
  theme: ThemeSchema.optional(),
  signaling: SignalingSettingsSchema.optional(),
  iceServers: IceServersSchema.optional(),
  interviewerName: InterviewerNameSchema.optional(),
  defaultLanguage: LanguageSchema.optional(),
  defaultTimeLimitMinutes: DefaultTimeLimitSchema.optional(),
  rubric: RubricSchema.optional(),
  retentionDays: RetentionDaysSchema.optional(),
})
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>

/** The answer of `settings.testSignaling`: reached and healthy, or why not, in words. */
export const SignalingTestSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative().optional(),
  error: z.string().optional(),
})
export type SignalingTest = z.infer<typeof SignalingTestSchema>

/** Where the embedded signaling server listens, and the base new links use with the saved settings. */
export const SignalingStatusSchema = z.object({
  /** `http://192.168.1.20:8787`; null while the embedded server is not running. */
  embeddedUrl: z.string().nullable(),
  /** The embedded or the remote URL, whichever the settings choose; null when there is none. */
  linkBase: z.string().nullable(),
})
export type SignalingStatus = z.infer<typeof SignalingStatusSchema>

/** The answer of `app.openDataFolder`: opened on the desktop, or why not, with the path to copy. */
export const OpenFolderResultSchema = z.discriminatedUnion('opened', [
  z.object({ opened: z.literal(true), path: z.string() }),
  z.object({ opened: z.literal(false), path: z.string(), reason: z.string() }),
])
export type OpenFolderResult = z.infer<typeof OpenFolderResultSchema>
