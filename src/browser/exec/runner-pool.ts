import type { Runner } from '../../shared/exec/run'
import type { Language } from '../../shared/problem'
import { createRunner } from './create-runner'

const runners = new Map<Language, Runner>()

/** The page's one runner for `language`, created (and started loading) on first use. */
export function getRunner(language: Language): Runner {
  let runner = runners.get(language)
  if (!runner) {
    runner = createRunner(language)
    runners.set(language, runner)
  }
  return runner
}

/** Starts loading `language`'s runtime now, so the first run does not wait for it. */
export function preloadRunner(language: Language): void {
  getRunner(language)
}
