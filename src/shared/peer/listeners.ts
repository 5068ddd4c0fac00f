/**
 * A set of callbacks. A callback that throws must not break the caller's own bookkeeping (a
 * socket handler, a queue), so its error is rethrown on its own, where it is still reported.
 */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>()

  add(listener: (...args: A) => void): () => void {
    this.set.add(listener)
    return () => this.set.delete(listener)
  }

  emit(...args: A): void {
    for (const listener of [...this.set]) {
      try {
        listener(...args)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }
}

/** Runs async tasks one at a time in call order; a task that fails is reported the same way and the next one runs. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve()
  private pending = 0

  /** True when no task is waiting or running: one that could run now would not overtake another. */
  get idle(): boolean {
    return this.pending === 0
  }

  run(task: () => Promise<void>): void {
    this.pending++
    this.tail = this.tail
      .then(task)
      .catch((error: unknown) => {
        queueMicrotask(() => {
          throw error
        })
      })
      .finally(() => {
        this.pending--
      })
  }
}
