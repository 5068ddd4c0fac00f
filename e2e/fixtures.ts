import { test as base } from '@playwright/test'
import { startBridgeProcess, type BridgeProcess } from './bridge'

/** Each test gets its own bridge process on its own SQLite file. */
export const test = base.extend<{ bridge: BridgeProcess }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  bridge: async ({}, use) => {
    const bridge = await startBridgeProcess()
    await use(bridge)
    await bridge.stop()
  },
})

export { expect } from '@playwright/test'
