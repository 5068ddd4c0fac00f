import { BRIDGE_PATH, BridgeMessageSchema, type BridgeRequest } from '../../../shared/bridge-protocol'
import type { HostEventName } from '../../../shared/host-api'
import type { HostTransport } from '../../../shared/host-client'
import { HostError } from '../../../shared/host-errors'

export interface SocketHandlers {
  open(): void
  message(data: unknown): void
  close(): void
}

export interface BridgeSocket {
  send(data: string): void
  close(): void
}

/** Opens a socket and reports to the handlers; injectable so the reconnect logic can be tested. */
export type OpenSocket = (url: string, on: SocketHandlers) => BridgeSocket

export const openWebSocket: OpenSocket = (url, on) => {
  const ws = new WebSocket(url)
  ws.onopen = () => on.open()
  ws.onmessage = (event) => on.message(event.data)
  // A failed connection fires `error` and then `close`; `close` alone is enough.
  ws.onclose = () => on.close()
  return ws
}

export interface BridgeTransportOptions {
  openSocket?: OpenSocket
  /** Delay before the first reconnect attempt; doubled after each failure. */
  minDelayMs?: number
  maxDelayMs?: number
  /** A call still unanswered after this long is rejected, so a lost frame cannot hang the UI. */
  callTimeoutMs?: number
}

export interface BridgeTransport extends HostTransport {
  /** Closes the socket for good and stops reconnecting. */
  close(): void
}

export function bridgeUrl(origin: string): string {
  return `${origin.replace(/^http/, 'ws')}${BRIDGE_PATH}`
}

interface PendingCall {
  request: BridgeRequest
  sent: boolean
  timer: ReturnType<typeof setTimeout>
  resolve(reply: unknown): void
  reject(error: Error): void
}

/**
 * The host API over the browser bridge's WebSocket. Calls made while the socket is down wait
 * for the next connection; calls that cannot be answered because the socket closed are rejected
 * with a HostError, as are calls left unanswered for too long, so the UI shows what happened
 * instead of spinning forever.
 */
export function createBridgeTransport(url: string, options: BridgeTransportOptions = {}): BridgeTransport {
  const openSocket = options.openSocket ?? openWebSocket
  const minDelayMs = options.minDelayMs ?? 250
  const maxDelayMs = options.maxDelayMs ?? 5000
  const callTimeoutMs = options.callTimeoutMs ?? 60_000

  const pending = new Map<number, PendingCall>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let socket: BridgeSocket | null = null
  let connected = false
  let failures = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let closed = false
  let nextId = 1

  /** Takes a call out of the pending set; the caller resolves or rejects it. */
  function settle(id: number): PendingCall | undefined {
    const call = pending.get(id)
    pending.delete(id)
    clearTimeout(call?.timer)
    return call
  }

  function send(call: PendingCall): void {
    socket?.send(JSON.stringify(call.request))
    call.sent = true
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return
    let frame: unknown
    try {
      frame = JSON.parse(data)
    } catch {
      return
    }
    const message = BridgeMessageSchema.safeParse(frame)
    if (!message.success) return
    if (message.data.type === 'reply') {
      settle(message.data.id)?.resolve(message.data.reply)
    } else {
      for (const listener of listeners.get(message.data.event) ?? []) listener(message.data.payload)
    }
  }

  function handleClose(): void {
    const wasConnected = connected
    connected = false
    socket = null
    const reason = wasConnected
      ? 'Lost the connection to the Duet host before it answered. Reconnecting — try again in a moment.'
      : `Cannot reach the Duet host at ${url}. Is the bridge still running?`
    for (const id of [...pending.keys()]) settle(id)?.reject(new HostError('internal', reason))
    if (closed) return
    const delay = Math.min(maxDelayMs, minDelayMs * 2 ** failures)
    failures += 1
    retryTimer = setTimeout(connect, delay)
  }

  function connect(): void {
    retryTimer = undefined
    socket = openSocket(url, {
      open() {
        connected = true
        failures = 0
        for (const call of pending.values()) if (!call.sent) send(call)
      },
      message: handleMessage,
      close: handleClose,
    })
  }

  connect()

  return {
    invoke(method, input) {
      if (closed) return Promise.reject(new HostError('internal', 'The connection to the Duet host was closed.'))
      return new Promise((resolve, reject) => {
        const id = nextId++
        const timer = setTimeout(() => {
          const seconds = Math.round(callTimeoutMs / 1000)
          settle(id)?.reject(new HostError('internal', `The Duet host did not answer ${method} within ${seconds} s.`))
        }, callTimeoutMs)
        const call: PendingCall = { request: { type: 'call', id, method, input }, sent: false, timer, resolve, reject }
        pending.set(id, call)
        if (connected) send(call)
        else if (retryTimer !== undefined) {
          // Someone is waiting: try now rather than at the end of the backoff.
          clearTimeout(retryTimer)
          connect()
        }
      })
    },
    subscribe(event: HostEventName, handler) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(handler)
      return () => set.delete(handler)
    },
    close() {
      closed = true
      clearTimeout(retryTimer)
      socket?.close()
    },
  }
}
