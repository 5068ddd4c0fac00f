import { resolve } from 'node:path'
import { build } from 'vite'
import { rendererConfig } from '../vite.renderer.config'

/** The e2e tests drive production builds: the interviewer UI (bridge) and the candidate page (signaling). */
export default async function globalSetup(): Promise<void> {
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn' })
  await build({ configFile: resolve(import.meta.dirname, '../candidate-web/vite.config.ts'), logLevel: 'warn' })
}
