import { build } from 'vite'
import { rendererConfig } from '../vite.renderer.config'

/** The e2e tests drive the production build of the UI, served by the real browser bridge. */
export default async function globalSetup(): Promise<void> {
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn' })
}
