import type { RunResult, Runner, RunnerStatus } from '../../shared/exec/run'
import type { Language } from '../../shared/problem'

/** Stands in for a runner that could not even be created: it says why, and every run fails with that. */
export class FailedRunner implements Runner {
  readonly stopMode = 'respawn' as const
  readonly interactiveInput = false
  private readonly failure: RunnerStatus

  constructor(
    readonly language: Language,
    readonly reason: string,
  ) {
    this.failure = { state: 'failed', progress: null, error: reason }
  }

  status(): RunnerStatus {
    return this.failure
  }

  onStatus(): () => void {
    return () => undefined
  }

  ready(): Promise<void> {
    return Promise.reject(new Error(this.reason))
  }

  run(): Promise<RunResult> {
    return Promise.reject(new Error(this.reason))
  }

  stop(): void {}

  dispose(): void {}
}
