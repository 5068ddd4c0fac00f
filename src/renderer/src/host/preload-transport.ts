import type { HostTransport } from '../../../shared/host-client'
import { HostError } from '../../../shared/host-errors'
import type { DuetPreloadApi } from '../../../shared/preload-api'

declare global {
  interface Window {
    /** Present only inside Electron, where the preload exposes the host API. */
    duet?: DuetPreloadApi
  }
}

type PreloadMethod = (input: unknown) => Promise<unknown>

/** Carries host calls over the preload's named methods; the host client parses the replies. */
export function createPreloadTransport(duet: DuetPreloadApi): HostTransport {
  const namespaces = duet as unknown as Record<string, Record<string, PreloadMethod> | undefined>
  return {
    invoke(method, input) {
      const [namespace = '', name = ''] = method.split('.')
      const fn = namespaces[namespace]?.[name]
      if (!fn) return Promise.reject(new HostError('internal', `This version of Duet does not offer ${method}.`))
      return fn(input)
    },
    subscribe(event, handler) {
      return duet.on(event, handler)
    },
  }
}
