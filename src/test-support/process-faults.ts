// Test-only, Node-only: hostile-input tests fail on any unhandled rejection or uncaught exception,
// not only on those that happen to reach the test's own promise chain.

export interface ProcessFaults {
  /** Every fault seen since `watchProcessFaults`, as readable text. */
  readonly seen: string[]
  stop(): void
}

export function watchProcessFaults(): ProcessFaults {
  const seen: string[] = []
  const record =
    (kind: string) =>
    (error: unknown): void => {
      seen.push(`${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    }
  const onRejection = record('unhandled rejection')
  const onException = record('uncaught exception')
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    seen,
    stop() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    },
  }
}
