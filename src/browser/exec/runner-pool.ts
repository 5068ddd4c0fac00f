import type { Runner } from '../../shared/exec/run'
import type { Language } from '../../shared/problem'
import { createRunner, type CreateRunnerOptions } from './create-runner'

const runners = new Map<Language, Runner>()
let options: CreateRunnerOptions = {}

/**
 * How this page's runners are made; call before the first runner is asked for (the interviewer's
 * app asks for a fresh Python per run). A runner made earlier would keep the old options, so that
 * is refused.
 */
export function configureRunners(next: CreateRunnerOptions): void {
  if (runners.size > 0) throw new Error('configureRunners must be called before the first runner is created.')
  options = next
}

/** The page's one runner for `language`, created (and started loading) on first use. */
export function getRunner(language: Language): Runner {
  let runner = runners.get(language)
  if (!runner) {
    runner = createRunner(language, options)
    runners.set(language, runner)
  }
  return runner
}

/** Starts loading `language`'s runtime now, so the first run does not wait for it. */
export function preloadRunner(language: Language): void {
  getRunner(language)
}
