import { z } from 'zod'
import type { Role } from '../signaling/protocol'
import { randomBytes, toBase64url } from './base64'
import type { LinkKeys } from './keys'
import { openEnvelope, ReplayGuard, seal, sealLabel, type OpenFailure } from './sealed'
import { PeerSignalSchema } from './transport'

/**
 * The encrypted conversation through the signaling server: SDP/ICE under the `signal` key and
 * relayed link frames under the `relay` key.
 *
 * A session starts with a handshake: the guest sends `hello` with a fresh nonce, the host answers
 * `welcome` with a fresh nonce of its own, and the session id is both nonces. Every later blob
 * carries that id and a number that only goes up, so a blob from an earlier session (an old tab, a
 * connection before a refresh) or a replayed one is refused. A replayed hello can only start a
 * session nobody completes: the server could do as much by dropping frames.
 */

const Nonce = z.string().regex(/^[A-Za-z0-9_-]{22}$/)
const Gen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** How the host wants this session to connect: a WebRTC attempt numbered `gen`, or relay at once. */
export const PlanSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('direct'), gen: Gen }),
  z.object({ mode: z.literal('relay') }),
])
export type Plan = z.infer<typeof PlanSchema>

/** What flows in a session on the signal key, after the handshake. */
export const SessionSignalSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('peer'), gen: Gen, data: PeerSignalSchema }),
  /** The sender gave up on the data channel: both sides use relay for the rest of the session. */
  z.object({ k: z.literal('relay') }),
])
export type SessionSignal = z.infer<typeof SessionSignalSchema>

const HelloSchema = z.object({ k: z.literal('hello'), nonce: Nonce, instance: Nonce })
/** `instance` names the host's page load (absent from older hosts): a guest can tell a host started again. */
const WelcomeSchema = z.object({ k: z.literal('welcome'), plan: PlanSchema, instance: Nonce.optional() })
const SignalBodySchema = z.discriminatedUnion('k', [HelloSchema, WelcomeSchema, ...SessionSignalSchema.options])

/** Why an incoming blob was dropped. */
export type ChannelDrop = OpenFailure | 'invalid' | 'stale'

export type SignalIn =
  | { kind: 'hello'; instance: string }
  | { kind: 'welcome'; plan: Plan; instance: string | null }
  | { kind: 'signal'; body: SessionSignal }
  | { kind: 'dropped'; reason: ChannelDrop }

export type RelayIn = { kind: 'frame'; value: unknown } | { kind: 'dropped'; reason: ChannelDrop }

const newNonce = (): string => toBase64url(randomBytes(16))

interface Session {
  sid: string
  signalSeq: number
  relaySeq: number
  signalGuard: ReplayGuard
  relayGuard: ReplayGuard
}

export class SecureChannel {
  private readonly out: { signal: string; relay: string }
  private readonly in: { signal: string; relay: string }
  /** Guest: the nonce of the hello awaiting its welcome. */
  private pendingNonce: string | null = null
  private session: Session | null = null

  constructor(
    private readonly role: Role,
    private readonly keys: Pick<LinkKeys, 'signal' | 'relay'>,
  ) {
    const other: Role = role === 'host' ? 'guest' : 'host'
    this.out = { signal: sealLabel('signal', role), relay: sealLabel('relay', role) }
    this.in = { signal: sealLabel('signal', other), relay: sealLabel('relay', other) }
  }

  /** A session is established: blobs can be sealed for the other side and accepted from it. */
  get ready(): boolean {
    return this.session !== null
  }

  /** The other side went away: nothing is sent or accepted until the next handshake. */
  reset(): void {
    this.session = null
    this.pendingNonce = null
  }

  /** Guest: starts a new session; `instance` names this page load, so the host can tell a reconnect from a new tab. */
  hello(instance: string): Promise<string> {
    this.reset()
    this.pendingNonce = newNonce()
    return this.sealSignalEnvelope('', 0, { k: 'hello', nonce: this.pendingNonce, instance })
  }

  /** Host: answers the hello that started the current session; `instance` names this page load. */
  async welcome(plan: Plan, instance: string): Promise<string | null> {
    return this.session ? this.sealSignalEnvelope(this.session.sid, 0, { k: 'welcome', plan, instance }) : null
  }

  async sealSignal(body: SessionSignal): Promise<string | null> {
    const session = this.session
    return session ? this.sealSignalEnvelope(session.sid, ++session.signalSeq, body) : null
  }

  async sealRelay(frame: unknown): Promise<string | null> {
    const session = this.session
    if (!session) return null
    return seal(this.keys.relay, this.out.relay, { sid: session.sid, seq: ++session.relaySeq, body: frame })
  }

  async openSignal(blob: string): Promise<SignalIn> {
    const opened = await openEnvelope(this.keys.signal, this.in.signal, blob)
    if (!opened.ok) return { kind: 'dropped', reason: opened.failure }
    const { envelope } = opened
    const body = SignalBodySchema.safeParse(envelope.body)
    if (!body.success) return { kind: 'dropped', reason: 'invalid' }
    switch (body.data.k) {
      case 'hello':
        if (this.role !== 'host') return { kind: 'dropped', reason: 'invalid' }
        this.begin(`${newNonce()}.${body.data.nonce}`)
        return { kind: 'hello', instance: body.data.instance }
      case 'welcome': {
        // Only the welcome for the latest hello counts; an earlier or repeated one is stale.
        const [, guestNonce] = envelope.sid.split('.')
        if (this.role !== 'guest' || this.pendingNonce === null || guestNonce !== this.pendingNonce) {
          return { kind: 'dropped', reason: 'stale' }
        }
        this.pendingNonce = null
        this.begin(envelope.sid)
        return { kind: 'welcome', plan: body.data.plan, instance: body.data.instance ?? null }
      }
      default:
        if (!this.session?.signalGuard.accept(envelope)) return { kind: 'dropped', reason: 'stale' }
        return { kind: 'signal', body: body.data }
    }
  }

  async openRelay(blob: string): Promise<RelayIn> {
    const opened = await openEnvelope(this.keys.relay, this.in.relay, blob)
    if (!opened.ok) return { kind: 'dropped', reason: opened.failure }
    if (!this.session?.relayGuard.accept(opened.envelope)) return { kind: 'dropped', reason: 'stale' }
    return { kind: 'frame', value: opened.envelope.body }
  }

  private begin(sid: string): void {
    this.session = {
      sid,
      signalSeq: 0,
      relaySeq: 0,
      signalGuard: new ReplayGuard(sid),
      relayGuard: new ReplayGuard(sid),
    }
  }

  private sealSignalEnvelope(sid: string, seq: number, body: z.input<typeof SignalBodySchema>): Promise<string> {
    return seal(this.keys.signal, this.out.signal, { sid, seq, body })
  }
}
