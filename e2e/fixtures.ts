import { test as base } from '@playwright/test'
import { startBridgeProcess, type BridgeProcess } from './bridge'

/** Each test gets its own bridge process on its own SQLite file. */
export const test = base.extend<{ bridge: BridgeProcess }>({
  bridge: async ({}, use) => {
    const bridge = await startBridgeProcess()
    await use(bridge)
    await bridge.stop()
  },
})

export { expect } from '@playwright/test'
