import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import type { HostApi } from '../../../shared/host-api'
import App from '../App.vue'
import { codeEditorModeKey } from '../code-editor/mode'
import { hostPlugin } from '../host'
import { createAppRouter } from '../router'

export interface MountedApp {
  wrapper: VueWrapper
  router: Router
}

/**
 * The whole app, as main.ts builds it, on a given host and route. Code editors are plain
 * textareas: Monaco needs a real browser. `provide` adds to what the app provides (an
 * in-memory peer link, say).
 */
export async function mountApp(
  api: HostApi,
  path = '/problems',
  provide: Record<symbol, unknown> = {},
): Promise<MountedApp> {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(App, {
    attachTo: document.body,
    global: {
      plugins: [[hostPlugin, api], createPinia(), router],
      provide: { [codeEditorModeKey]: 'plain', ...provide },
    },
  })
  await router.isReady()
  await flushPromises()
  return { wrapper, router }
}

/**
 * Retries an assertion until it passes: host calls, debounces and route changes take a few ticks.
 * An async assertion (one that reads from the host) is awaited, so its failure counts too.
 */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await flushPromises()
    try {
      await assertion()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

/** A selector for a data-testid, the same hooks the Playwright tests use. */
export const tid = (id: string): string => `[data-testid="${id}"]`
