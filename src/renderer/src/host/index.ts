import { inject, type App, type InjectionKey } from 'vue'
import type { HostApi } from '../../../shared/host-api'
import { createHostClient } from '../../../shared/host-client'
import { bridgeUrl, createBridgeTransport } from './bridge-transport'
import { createPreloadTransport } from './preload-transport'

export const hostKey: InjectionKey<HostApi> = Symbol('duet-host')

/** Electron gives the page `window.duet`; anywhere else the UI talks to the browser bridge. */
export function connectHost(): HostApi {
  const transport = window.duet
    ? createPreloadTransport(window.duet)
    : createBridgeTransport(bridgeUrl(window.location.origin))
  return createHostClient(transport)
}

/** Provides the host API to the whole app (components and Pinia setup stores alike). */
export function hostPlugin(app: App, api: HostApi): void {
  app.provide(hostKey, api)
}

export function useHost(): HostApi {
  const api = inject(hostKey)
  if (!api) throw new Error('The host API was not provided: install hostPlugin on the app.')
  return api
}
