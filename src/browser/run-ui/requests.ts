import { DEFAULT_OUTPUT_LIMIT_BYTES, type RunRequest, type RunTestCase } from '../../shared/exec/run'
import type { Language } from '../../shared/problem'

export interface ProblemRunSettings {
  language: Language
  code: string
  /** The problem's own time limit per run. */
  timeoutMs: number
}

/** The code run as a program; `stdin` only when the page cannot ask for input while it runs. */
export function programRequest(settings: ProblemRunSettings, stdin?: string): RunRequest {
  return {
    language: settings.language,
    code: settings.code,
    timeoutMs: settings.timeoutMs,
    outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
    ...(stdin === undefined ? {} : { stdin }),
  }
}

/** The code's entry function called with each test's arguments. Only what a test case needs goes. */
export function testsRequest(
  settings: ProblemRunSettings & { entryFunction: string },
  tests: readonly RunTestCase[],
): RunRequest {
  return {
    ...programRequest(settings),
    entryFunction: settings.entryFunction,
    tests: tests.map(({ name, args, expected }) => ({ name, args, expected })),
  }
}
