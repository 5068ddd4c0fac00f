import { z } from 'zod'
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

/** User settings, stored one key per row; later features add keys with defaults here. */
export const SettingsSchema = z.object({
  theme: ThemeSchema.default('system'),
  signaling: SignalingSettingsSchema.default({ mode: 'embedded', remoteUrl: '' }),
  /** This app's side of the peer link; none is needed on a LAN, STUN/TURN help across the internet. */
  iceServers: IceServersSchema.default([]),
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
})
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>

/** The answer of `settings.testSignaling`: reached and healthy, or why not, in words. */
export const SignalingTestSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative().optional(),
  error: z.string().optional(),
})
export type SignalingTest = z.infer<typeof SignalingTestSchema>
