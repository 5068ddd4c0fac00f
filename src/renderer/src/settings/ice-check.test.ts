import { describe, expect, it } from 'vitest'
import type { IceServer } from '../../../shared/signaling/protocol'
import { checkIceServers, iceVerdictOf, type ProbePeer } from './ice-check'

/**
 * happy-dom has no RTCPeerConnection, so these run against a peer that plays back what
 * Chromium's gathering emits (the candidate lines are copied from a real gathering). What is
 * tested is how the check listens, finishes, times out and cleans up.
 */
class ScriptedPeer extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'new'
  configuration: RTCConfiguration
  closed = false
  channels: string[] = []
  described = false

  constructor(configuration: RTCConfiguration) {
    super()
    this.configuration = configuration
  }

  createDataChannel(label: string): RTCDataChannel {
    this.channels.push(label)
    return {} as RTCDataChannel
  }

  createOffer(): Promise<RTCSessionDescriptionInit> {
    return Promise.resolve({ type: 'offer', sdp: 'v=0' })
  }

  setLocalDescription(): Promise<void> {
    this.described = true
    this.iceGatheringState = 'gathering'
    return Promise.resolve()
  }

  close(): void {
    this.closed = true
  }

  candidate(line: string, url: string | null = null): void {
    const candidate = { candidate: line, type: null, address: null } as unknown as RTCIceCandidate
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate, url }))
  }

  error(url: string, errorCode: number, errorText: string): void {
    this.dispatchEvent(Object.assign(new Event('icecandidateerror'), { url, errorCode, errorText }))
  }

  complete(): void {
    this.iceGatheringState = 'complete'
    this.dispatchEvent(new Event('icegatheringstatechange'))
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }))
  }
}

const HOST = 'candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host generation 0'
const SRFLX = 'candidate:2 1 udp 1686052607 203.0.113.7 50000 typ srflx raddr 10.0.0.5 rport 50000 generation 0'
const RELAY = 'candidate:3 1 udp 41885439 198.51.100.9 61000 typ relay raddr 203.0.113.7 rport 50000 generation 0'

const stun: IceServer = { urls: 'stun:stun.example.com:3478' }
const turn: IceServer = { urls: 'turn:turn.example.com:3478', username: 'duet', credential: 'pw' }

/** Starts a check on a scripted peer and hands both back once the offer is set. */
async function started(servers: IceServer[], timeoutMs = 60_000) {
  let peer: ScriptedPeer | undefined
  const result = checkIceServers(servers, {
    timeoutMs,
    createPeer: (configuration) => (peer = new ScriptedPeer(configuration)) as unknown as ProbePeer,
  })
  await new Promise((resolve) => setTimeout(resolve, 0))
  if (!peer?.described) throw new Error('the check did not set an offer')
  return { peer, result }
}

describe('checkIceServers', () => {
  it('gathers with exactly the servers given and keeps only what a server gave', async () => {
    const { peer, result } = await started([stun, turn])
    expect(peer.configuration).toEqual({ iceServers: [stun, turn] })
    expect(peer.channels).toEqual(['duet-ice-check'])
    peer.candidate(HOST)
    peer.candidate(SRFLX, 'stun:stun.example.com:3478')
    peer.candidate(RELAY, 'turn:turn.example.com:3478?transport=udp')
    peer.complete()
    await expect(result).resolves.toEqual({
      found: [
        { type: 'srflx', address: '203.0.113.7', url: 'stun:stun.example.com:3478' },
        { type: 'relay', address: '198.51.100.9', url: 'turn:turn.example.com:3478?transport=udp' },
      ],
      errors: [],
      timedOut: false,
    })
    expect(peer.closed).toBe(true)
  })

  it('reports each server error once, and stops at the time limit', async () => {
    const { peer, result } = await started([turn], 50)
    peer.error('turn:turn.example.com:3478?transport=udp', 401, 'Unauthorized')
    peer.error('turn:turn.example.com:3478?transport=udp', 401, 'Unauthorized')
    peer.error('stun:stun.example.com:3478', 701, '')
    // Chromium's own wording when a name does not resolve.
    peer.error('stun:nowhere.example:3478', 701, 'STUN host lookup received error.')
    await expect(result).resolves.toEqual({
      found: [],
      errors: [
        { url: 'turn:turn.example.com:3478?transport=udp', message: 'Unauthorized (error 401)' },
        { url: 'stun:stun.example.com:3478', message: 'no answer (error 701)' },
        { url: 'stun:nowhere.example:3478', message: 'STUN host lookup received error (error 701)' },
      ],
      timedOut: true,
    })
    expect(peer.closed).toBe(true)
  })

  it('says plainly when the window has no WebRTC', async () => {
    await expect(checkIceServers([stun])).rejects.toThrow(
      'this window has no WebRTC (RTCPeerConnection is missing), so nothing can be tested here',
    )
  })
})

describe('iceVerdictOf', () => {
  it('counts what was found and warns about a TURN server that gave no relay', () => {
    const verdict = iceVerdictOf([stun, turn], {
      found: [{ type: 'srflx', address: '203.0.113.7', url: null }],
      errors: [],
      timedOut: false,
    })
    expect(verdict).toEqual({
      ok: true,
      headline: 'Reachable: found 1 public address.',
      details: [
        'Public address (STUN): 203.0.113.7',
        'No relay came from turn:turn.example.com:3478: check the username and credential, and that the server is reachable from here.',
      ],
    })
  })

  it('is good news with both kinds, and a failure with none', () => {
    const both = iceVerdictOf([stun, turn], {
      found: [
        { type: 'srflx', address: '203.0.113.7', url: null },
        { type: 'relay', address: '198.51.100.9', url: null },
        { type: 'relay', address: '198.51.100.10', url: null },
      ],
      errors: [],
      timedOut: false,
    })
    expect(both.headline).toBe('Reachable: found 1 public address and 2 relays.')
    const none = iceVerdictOf([stun], { found: [], errors: [], timedOut: false })
    expect(none).toEqual({
      ok: false,
      headline:
        "No STUN or TURN server answered before gathering ended. Check the URLs, the credentials and this network's firewall.",
      details: [],
    })
  })
})
