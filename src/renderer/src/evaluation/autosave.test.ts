import { describe, expect, it } from 'vitest'
import { createAutosave } from './autosave'

/** A save the test finishes by hand, recording the value it stored. */
class ManualStore {
  value = 0
  stored: number[] = []
  pending: { resolve: () => void; reject: (error: Error) => void }[] = []

  save = (): Promise<void> => {
    const value = this.value
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        resolve: () => {
          this.stored.push(value)
          resolve()
        },
        reject,
      })
    })
  }

  finish(): void {
    this.pending.shift()?.resolve()
  }

  fail(message: string): void {
    this.pending.shift()?.reject(new Error(message))
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

// A delay no test waits for: saves happen only through flush, so nothing here depends on timing.
const NEVER = 60 * 60 * 1000

describe('autosave', () => {
  it('is saved until something changes, then unsaved, saving and saved again', async () => {
    const store = new ManualStore()
    const autosave = createAutosave({ save: store.save, delayMs: NEVER })
    expect(autosave.state.value).toBe('saved')
    store.value = 1
    autosave.changed()
    expect(autosave.state.value).toBe('unsaved')
    const flushed = autosave.flush()
    expect(autosave.state.value).toBe('saving')
    store.finish()
    await flushed
    expect(autosave.state.value).toBe('saved')
    expect(store.stored).toEqual([1])
    autosave.dispose()
  })

  it('runs one save at a time and then saves the newest value once more', async () => {
    const store = new ManualStore()
    const autosave = createAutosave({ save: store.save, delayMs: NEVER })
    store.value = 1
    autosave.changed()
    const first = autosave.flush()
    store.value = 2
    autosave.changed()
    store.value = 3
    autosave.changed()
    const second = autosave.flush()
    expect(store.pending).toHaveLength(1)
    store.finish()
    await tick()
    expect(store.pending).toHaveLength(1)
    store.finish()
    await Promise.all([first, second])
    expect(store.stored).toEqual([1, 3])
    expect(autosave.state.value).toBe('saved')
    autosave.dispose()
  })

  it('does nothing on flush when nothing changed', async () => {
    const store = new ManualStore()
    const autosave = createAutosave({ save: store.save, delayMs: NEVER })
    await autosave.flush()
    expect(store.pending).toHaveLength(0)
    autosave.dispose()
  })

  it('keeps a failure visible and tries again, then clears it', async () => {
    const store = new ManualStore()
    const autosave = createAutosave({ save: store.save, delayMs: NEVER, retryMs: NEVER })
    store.value = 7
    autosave.changed()
    const failed = autosave.flush()
    store.fail('The database file is locked.')
    await failed
    expect(autosave.state.value).toBe('failed')
    expect(autosave.error.value).toBe('The database file is locked.')

    // A later change does not hide the failure; the next save that works does.
    autosave.changed()
    expect(autosave.state.value).toBe('failed')
    const retried = autosave.flush()
    store.finish()
    await retried
    expect(autosave.state.value).toBe('saved')
    expect(autosave.error.value).toBeNull()
    expect(store.stored).toEqual([7])
    autosave.dispose()
  })

  it('saves by itself once typing pauses', async () => {
    const store = new ManualStore()
    const autosave = createAutosave({ save: store.save, delayMs: 1 })
    store.value = 5
    autosave.changed()
    while (store.pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    store.finish()
    while (autosave.state.value !== 'saved') await tick()
    expect(store.stored).toEqual([5])
    autosave.dispose()
  })
})
