import type { SignalingSettings, SignalingTest } from '../../shared/settings'
import { HealthSchema, type IceServer } from '../../shared/signaling/protocol'
import type { SignalingInfo } from './sessions'

export const HEALTH_TIMEOUT_MS = 5000

/**
 * Settings' ICE servers first, then the embedded server's (`DUET_ICE_SERVERS`) that are not
 * already listed. Merged rather than overridden: the environment is how a machine is set up,
 * Settings how the interviewer adds a STUN/TURN server, and dropping either would be a surprise.
 * The embedded server also hands its own to the candidate's page (`/config`), so keeping them
 * here keeps both ends on the same servers.
 */
export function mergeIceServers(fromSettings: readonly IceServer[], fromEmbedded: readonly IceServer[]): IceServer[] {
  const seen = new Set<string>()
  const merged: IceServer[] = []
  for (const server of [...fromSettings, ...fromEmbedded]) {
    const key = JSON.stringify([[server.urls].flat(), server.username, server.credential])
    if (seen.has(key)) continue
    seen.add(key)
    merged.push(server)
  }
  return merged
}

/**
 * Where links point now: the remote URL when Settings say remote (the embedded server may keep
 * running, unused), else the embedded server, or null when it is not running.
 */
export function chooseSignaling(
  settings: { signaling: SignalingSettings; iceServers: readonly IceServer[] },
  embedded: SignalingInfo | null,
): SignalingInfo | null {
  const baseUrl = settings.signaling.mode === 'remote' ? settings.signaling.remoteUrl : embedded?.baseUrl
  if (baseUrl === undefined) return null
  return { baseUrl, iceServers: mergeIceServers(settings.iceServers, embedded?.iceServers ?? []) }
}

/** `https://host/duet` → `https://host/duet/healthz`, beside the `/s/` and `/ws` paths of links. */
export function healthUrlOf(baseUrl: string): string {
  const base = new URL(baseUrl)
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}/healthz`
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function codeOf(error: unknown): string | undefined {
  const { code, errors } = (error ?? {}) as { code?: unknown; errors?: unknown }
  if (typeof code === 'string') return code
  // Node tries every address of a name (IPv6 and IPv4) and gathers their failures.
  return Array.isArray(errors) ? codeOf(errors[0]) : undefined
}

function describeFailure(error: unknown, url: URL, timeoutMs: number): string {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s.`
  const cause = error instanceof Error ? error.cause : undefined
  const code = codeOf(cause) ?? codeOf(error)
  if (code === 'ECONNREFUSED') {
    return `nothing listens at ${url.host} (connection refused). Is the server running there?`
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the name ${url.hostname} does not resolve.`
  if (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `its TLS certificate is not trusted (${code}); a candidate's browser would refuse it too.`
  }
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
  const detail = message.replace(/\.+$/, '')
  return code === undefined ? `${detail}.` : `${detail} (${code}).`
}

/**
 * Asks a signaling server for its health report, from the host process (no CORS, the same
 * network path the app's own WebSocket takes). Never throws: the answer says what went wrong.
 */
export async function testSignaling(
  baseUrl: string,
  options: { fetch: typeof fetch; timeoutMs?: number },
): Promise<SignalingTest> {
  const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS
  const target = healthUrlOf(baseUrl)
  const started = performance.now()
  try {
    const response = await options.fetch(target, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) {
      return { ok: false, error: `${target} answered HTTP ${response.status}; is this a Duet signaling server?` }
    }
    // Read as text: a timeout while the body arrives is still a timeout, not a bad report.
    const text = await response.text()
    if (!HealthSchema.safeParse(parseJson(text)).success) {
      return { ok: false, error: `${target} answered, but not with a Duet signaling server's health report.` }
    }
    return { ok: true, latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    return { ok: false, error: `Could not reach ${target}: ${describeFailure(error, new URL(target), timeoutMs)}` }
  }
}
