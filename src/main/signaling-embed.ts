import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import { z } from 'zod'
import { parseIceServers } from '../../signaling/ice-servers'
import type { LogSink } from '../../signaling/log'
import { startSignalingServer, type SignalingServer } from '../../signaling/server'
import type { IceServer } from '../shared/signaling/protocol'
import { describeIssues, parseWith } from '../shared/validation'
import type { SignalingInfo } from './host/sessions'

export const DEFAULT_SIGNALING_PORT = 8787
/** Every interface: the candidate's browser is on another machine of the same network. */
export const DEFAULT_SIGNALING_HOST = '0.0.0.0'

export type InterfaceTable = ReturnType<typeof networkInterfaces>

export interface EmbeddedSignalingConfig {
  /** Tried first; when it is taken, any free port. 0 means any free port. */
  port: number
  host: string
  iceServers: IceServer[]
}

export interface EmbeddedSignalingOptions extends EmbeddedSignalingConfig {
  /** The candidate page build: `candidate-web/dist` in development, `resources/candidate-web` packaged. */
  candidateDir: string
  /** Read on every call, so a link follows the machine to a new network. */
  interfaces?: () => InterfaceTable
  log?: LogSink
}

export interface EmbeddedSignaling {
  server: SignalingServer
  /** The base URL for links, with the machine's current LAN address, and the ICE servers. */
  info(): SignalingInfo
  close(): Promise<void>
}

const PortSchema = z.coerce
  .number({ error: 'must be 0 to 65535' })
  .int()
  .min(0, 'must be 0 to 65535')
  .max(65535, 'must be 0 to 65535')

const EnvSchema = z.object({
  DUET_SIGNALING_PORT: PortSchema.default(DEFAULT_SIGNALING_PORT),
  DUET_SIGNALING_HOST: z.string().trim().min(1).default(DEFAULT_SIGNALING_HOST),
})

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])

function setOrUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

/**
 * Where to listen and which ICE servers to hand out: flags first, then `DUET_SIGNALING_PORT`,
 * `DUET_SIGNALING_HOST` and `DUET_ICE_SERVERS`, then the defaults.
 */
export function embeddedSignalingConfig(
  flags: { port?: number | undefined; host?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; value: EmbeddedSignalingConfig } | { ok: false; message: string } {
  const parsed = parseWith(EnvSchema, {
    DUET_SIGNALING_PORT: flags.port === undefined ? setOrUndefined(env['DUET_SIGNALING_PORT']) : undefined,
    DUET_SIGNALING_HOST: flags.host === undefined ? setOrUndefined(env['DUET_SIGNALING_HOST']) : undefined,
  })
  if (!parsed.ok) return { ok: false, message: describeIssues(parsed.issues) }
  const iceServers = parseIceServers(env['DUET_ICE_SERVERS'])
  if (!iceServers.ok) return iceServers
  return {
    ok: true,
    value: {
      port: flags.port ?? parsed.value.DUET_SIGNALING_PORT,
      host: flags.host ?? parsed.value.DUET_SIGNALING_HOST,
      iceServers: iceServers.value,
    },
  }
}

/** The first external IPv4 address, skipping link-local ones (no DHCP answer); loopback when there is none. */
export function lanAddress(table: InterfaceTable): string {
  const addresses = Object.values(table).flatMap((list): NetworkInterfaceInfo[] => list ?? [])
  const lan = addresses.find((a) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.'))
  return lan?.address ?? '127.0.0.1'
}

/** The host part of links: the LAN address when listening everywhere, else the address listened on. */
export function advertisedHost(bindHost: string, table: InterfaceTable): string {
  if (WILDCARD_HOSTS.has(bindHost)) return lanAddress(table)
  if (bindHost === 'localhost') return '127.0.0.1'
  return bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost
}

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE'
}

/**
 * Runs the signaling server inside this process (the desktop app or the browser bridge), so an
 * interview on one network needs no setup: links point at this machine's LAN address.
 */
export async function startEmbeddedSignaling(options: EmbeddedSignalingOptions): Promise<EmbeddedSignaling> {
  const interfaces = options.interfaces ?? networkInterfaces
  const serverOptions = {
    host: options.host,
    candidateDir: options.candidateDir,
    iceServers: options.iceServers,
    ...(options.log ? { log: options.log } : {}),
  }
  let server: SignalingServer
  try {
    server = await startSignalingServer({ ...serverOptions, port: options.port })
  } catch (error) {
    // Another Duet (or anything else) holds the port: a link only needs some port.
    if (!isAddressInUse(error) || options.port === 0) throw error
    server = await startSignalingServer({ ...serverOptions, port: 0 })
  }
  return {
    server,
    info: () => ({
      baseUrl: `http://${advertisedHost(options.host, interfaces())}:${server.port}`,
      iceServers: options.iceServers,
    }),
    close: () => server.close(),
  }
}
