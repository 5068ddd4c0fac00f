import type { InjectionKey } from 'vue'
import type { IceServer } from '../../../shared/signaling/protocol'

/** How long gathering may take; a STUN or TURN server that has not answered by then will not help. */
export const ICE_CHECK_TIMEOUT_MS = 10_000

/** A candidate only a server can give: this machine's public address (srflx) or a TURN relay. */
export interface FoundCandidate {
  type: 'srflx' | 'relay'
  address: string
  /** The server that gave it, when the browser says. */
  url: string | null
}

export interface IceCheckReport {
  found: FoundCandidate[]
  /** What the browser reported about servers it could not use, once per server and error. */
  errors: { url: string; message: string }[]
  /** Gathering had not finished when the time ran out. */
  timedOut: boolean
}

/** The part of RTCPeerConnection the check uses, so tests can script one where WebRTC is missing. */
export type ProbePeer = Pick<
  RTCPeerConnection,
  'addEventListener' | 'createDataChannel' | 'createOffer' | 'setLocalDescription' | 'close' | 'iceGatheringState'
>
export type CreateProbePeer = (configuration: RTCConfiguration) => ProbePeer
export type IceChecker = (servers: readonly IceServer[]) => Promise<IceCheckReport>

/** Lets a test run the Settings page with a scripted checker: happy-dom has no WebRTC. */
export const iceCheckerKey: InjectionKey<IceChecker> = Symbol('ice-checker')

function browserPeer(configuration: RTCConfiguration): ProbePeer {
  if (typeof RTCPeerConnection !== 'function') {
    throw new Error('this window has no WebRTC (RTCPeerConnection is missing), so nothing can be tested here')
  }
  return new RTCPeerConnection(configuration)
}

/** `candidate:1 1 udp 1686052607 203.0.113.5 54321 typ srflx raddr …` → type and address. */
function partsOf(candidate: RTCIceCandidate): { type: string; address: string } {
  const fields = candidate.candidate.split(' ')
  const typ = fields.indexOf('typ')
  return {
    type: candidate.type ?? (typ >= 0 ? (fields[typ + 1] ?? '') : ''),
    address: candidate.address ?? fields[4] ?? '',
  }
}

/**
 * Gathers ICE candidates with the given servers, as a session would, and reports those only a
 * server can give. Nothing is sent anywhere but to the servers themselves.
 */
export async function checkIceServers(
  servers: readonly IceServer[],
  options: { timeoutMs?: number; createPeer?: CreateProbePeer } = {},
): Promise<IceCheckReport> {
  const timeoutMs = options.timeoutMs ?? ICE_CHECK_TIMEOUT_MS
  const peer = (options.createPeer ?? browserPeer)({ iceServers: servers.map((s) => ({ ...s })) })
  const found: FoundCandidate[] = []
  const errors = new Map<string, { url: string; message: string }>()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const finished = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs)
      peer.addEventListener('icecandidate', (event) => {
        if (event.candidate === null) {
          resolve(false)
          return
        }
        const { type, address } = partsOf(event.candidate)
        // `url` is in browsers but no longer in TypeScript's DOM types.
        const url = (event as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null
        if (type === 'srflx' || type === 'relay') found.push({ type, address, url })
      })
      peer.addEventListener('icegatheringstatechange', () => {
        if (peer.iceGatheringState === 'complete') resolve(false)
      })
      peer.addEventListener('icecandidateerror', (event) => {
        const text = event.errorText.trim().replace(/\.+$/, '') || 'no answer'
        const message = event.errorCode > 0 ? `${text} (error ${event.errorCode})` : text
        errors.set(`${event.url} ${message}`, { url: event.url, message })
      })
    })
    // A data channel gives the offer something to negotiate, which starts the gathering.
    peer.createDataChannel('duet-ice-check')
    await peer.setLocalDescription(await peer.createOffer())
    const timedOut = await finished
    return { found, errors: [...errors.values()], timedOut }
  } finally {
    clearTimeout(timer)
    peer.close()
  }
}

/** The verdict the Settings page shows: good news first, then each thing to look at. */
export interface IceVerdict {
  ok: boolean
  headline: string
  details: string[]
}

const isTurn = (url: string): boolean => url.startsWith('turn')
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

export function iceVerdictOf(
  servers: readonly IceServer[],
  report: IceCheckReport,
  timeoutMs = ICE_CHECK_TIMEOUT_MS,
): IceVerdict {
  const srflx = report.found.filter((c) => c.type === 'srflx')
  const relay = report.found.filter((c) => c.type === 'relay')
  const details = report.found.map(
    (c) =>
      `${c.type === 'relay' ? 'Relay (TURN)' : 'Public address (STUN)'}: ${c.address}${c.url ? ` from ${c.url}` : ''}`,
  )
  for (const error of report.errors) details.push(`${error.url}: ${error.message}`)
  const turnUrls = servers.flatMap((s) => [s.urls].flat()).filter(isTurn)
  if (turnUrls.length > 0 && relay.length === 0) {
    details.push(
      `No relay came from ${turnUrls.join(', ')}: check the username and credential, and that the server is reachable from here.`,
    )
  }
  if (report.found.length === 0) {
    const why = report.timedOut ? `within ${timeoutMs / 1000} s` : 'before gathering ended'
    return {
      ok: false,
      headline: `No STUN or TURN server answered ${why}. Check the URLs, the credentials and this network's firewall.`,
      details,
    }
  }
  const parts = [
    srflx.length > 0 ? plural(srflx.length, 'public address') : '',
    relay.length > 0 ? plural(relay.length, 'relay') : '',
  ]
  return {
    ok: true,
    headline: `Reachable: found ${parts.filter((p) => p !== '').join(' and ')}.`,
    details,
  }
}
