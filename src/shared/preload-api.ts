import type { HostReply } from './host-errors'
import type { HostEventName, HostMethodName } from './host-api'

type Namespace<M extends string> = M extends `${infer N}.${string}` ? N : never

/**
 * What the preload exposes as `window.duet`: one named function per host method, answering with
 * the raw reply envelope (the renderer's host client parses it), and `on` for host events.
 */
export type DuetPreloadApi = {
  [N in Namespace<HostMethodName>]: {
    [M in HostMethodName as M extends `${N}.${infer F}` ? F : never]: (input: unknown) => Promise<HostReply>
  }
} & {
  on(event: HostEventName, handler: (payload: unknown) => void): () => void
}

/** The IPC channel of one host method; the main process handles each channel separately. */
export function ipcChannelOf(method: HostMethodName): string {
  return `duet:${method}`
}

export const IPC_EVENT_CHANNEL = 'duet:event'
