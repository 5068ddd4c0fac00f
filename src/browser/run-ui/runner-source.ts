import { inject, type InjectionKey } from 'vue'
import type { Runner } from '../../shared/exec/run'
import type { Language } from '../../shared/problem'
import { getRunner, preloadRunner } from '../exec/runner-pool'
import { FailedRunner } from './failed-runner'

/** Where the views get their runners: the page's worker pool, or in tests a scripted runner. */
export interface RunnerSource {
  get(language: Language): Runner
  /** Starts loading the language's runtime ahead of the first run. */
  preload(language: Language): void
}

export const workerRunners: RunnerSource = { get: getRunner, preload: preloadRunner }

export const runnerSourceKey: InjectionKey<RunnerSource> = Symbol('runner-source')

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * The provided source, made safe to call from a view: a runner that cannot be created (no Worker
 * in this browser, say) becomes one that reports why, rather than an exception in a render.
 */
export function useRunnerSource(): RunnerSource {
  const source = inject(runnerSourceKey, workerRunners)
  return {
    get(language) {
      try {
        return source.get(language)
      } catch (error) {
        return new FailedRunner(language, `Code cannot run in this browser: ${describe(error)}`)
      }
    },
    preload(language) {
      try {
        source.preload(language)
      } catch {
        // The same failure shows, in words, once a view asks for the runner.
      }
    },
  }
}
