import { HostError, HostReplySchema } from './host-errors'
import {
  hostEvents,
  hostMethodNames,
  hostMethods,
  type HostApi,
  type HostEventName,
  type HostMethodName,
} from './host-api'

/** How a client reaches its host: Electron IPC through the preload, or the bridge's WebSocket. */
export interface HostTransport {
  invoke(method: HostMethodName, input: unknown): Promise<unknown>
  subscribe(event: HostEventName, handler: (payload: unknown) => void): () => void
}

/** Builds the typed, namespaced API over a transport, parsing every reply and event. */
export function createHostClient(transport: HostTransport): HostApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const method of hostMethodNames) {
    const [namespace, name] = method.split('.') as [string, string]
    api[namespace] ??= {}
    api[namespace][name] = async (input: unknown) => {
      const reply = HostReplySchema.safeParse(await transport.invoke(method, input))
      if (!reply.success) throw new HostError('internal', `The host sent a malformed reply to ${method}.`)
      if (!reply.data.ok) {
        const { code, message, issues } = reply.data.error
        throw new HostError(code, message, issues)
      }
      const output = hostMethods[method].output.safeParse(reply.data.value)
      if (!output.success) throw new HostError('internal', `The host sent an invalid result for ${method}.`)
      return output.data
    }
  }
  const on = (event: HostEventName, handler: (payload: unknown) => void): (() => void) =>
    transport.subscribe(event, (payload) => {
      const parsed = hostEvents[event].safeParse(payload)
      if (parsed.success) handler(parsed.data)
    })
  return Object.assign(api, { on }) as unknown as HostApi
}
