import { HostError, type HostErrorCode } from '../../../shared/host-errors'
import type { RunRecord } from '../../../shared/run-record'

export interface RunStoreOptions {
  record: (run: RunRecord) => Promise<unknown>
  /** Called with the error while storing fails, and with null once a run is stored again. */
  onTrouble?: (error: unknown) => void
  retryDelayMs?: number
}

export interface RunStore {
  /**
   * Stores a run after the ones before it. Resolves once stored; a failure of the host is retried
   * until it works, and only a run the host refuses (invalid, or a conflict) rejects.
   */
  save(run: RunRecord): Promise<void>
  /** Resolves once every run saved so far is stored or refused. */
  flush(): Promise<void>
}

const MAX_RETRY_DELAY_MS = 5000
const REFUSALS: ReadonlySet<HostErrorCode> = new Set(['invalid-input', 'conflict'])

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Stores runs one at a time, in order, so a replacement of a run never lands before the run. */
export function createRunStore(options: RunStoreOptions): RunStore {
  const { record, onTrouble = () => undefined, retryDelayMs = 250 } = options
  let chain: Promise<void> = Promise.resolve()

  async function store(run: RunRecord): Promise<void> {
    for (let delay = retryDelayMs; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      try {
        await record(run)
        onTrouble(null)
        return
      } catch (error) {
        onTrouble(error)
        // Refused (invalid, or replacing a run that has ended): sending it again cannot succeed.
        if (error instanceof HostError && REFUSALS.has(error.code)) throw error
        await sleep(delay)
      }
    }
  }

  return {
    save(run) {
      const saved = chain.then(() => store(run))
      // The chain never stays rejected: later runs must not wait on a refused one forever.
      chain = saved.catch(() => undefined)
      return saved
    },
    flush: () => chain,
  }
}
