import { readonly, ref } from 'vue'
import { errorMessage } from '../lib/errors'

/** `unsaved`: a change waits for typing to pause; `failed`: the last save failed and is retried. */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'failed'

export interface AutosaveOptions {
  /** Stores the form as it is when called, so a save always takes the newest values. */
  save: () => Promise<void>
  /** How long typing must pause before a save. */
  delayMs: number
  /** The first wait before a failed save is tried again; it doubles up to a minute. */
  retryMs?: number
}

const MAX_RETRY_MS = 60_000

/**
 * Saves a form as it changes: after a pause in typing, at once on `flush` (blur, leaving the
 * page), one save at a time and always the newest value, retrying a failed save until it works.
 */
export function createAutosave(options: AutosaveOptions) {
  const state = ref<SaveState>('saved')
  const error = ref<string | null>(null)
  let changes = 0
  let savedChanges = 0
  let running: Promise<boolean> | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let retryMs = options.retryMs ?? 2000
  let disposed = false

  function wait(ms: number): void {
    clearTimeout(timer)
    if (!disposed) timer = setTimeout(() => void flush(), ms)
  }

  /** One save of the current value; true when it was stored. */
  async function saveOnce(): Promise<boolean> {
    const target = changes
    state.value = 'saving'
    try {
      await options.save()
      savedChanges = Math.max(savedChanges, target)
      error.value = null
      retryMs = options.retryMs ?? 2000
      return true
    } catch (e) {
      error.value = errorMessage(e)
      return false
    }
  }

  /** Saves now whatever is not saved yet, and resolves once it is stored or has failed. */
  async function flush(): Promise<void> {
    clearTimeout(timer)
    for (;;) {
      if (running) {
        // Another flush owns that save and, should it fail, the retry.
        if (!(await running)) return
        continue
      }
      if (savedChanges >= changes) break
      running = saveOnce()
      const stored = await running
      running = null
      if (!stored) {
        state.value = 'failed'
        wait(retryMs)
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)
        return
      }
    }
    state.value = 'saved'
  }

  /** Records a change; it is saved once typing pauses. */
  function changed(): void {
    changes++
    if (state.value !== 'saving' && state.value !== 'failed') state.value = 'unsaved'
    wait(options.delayMs)
  }

  /** Stops timers; a save already under way still finishes. */
  function dispose(): void {
    disposed = true
    clearTimeout(timer)
  }

  /** Marks everything so far as stored, after something else saved it (completing, say). */
  function markSaved(): void {
    savedChanges = changes
    clearTimeout(timer)
    error.value = null
    state.value = 'saved'
  }

  return { state: readonly(state), error: readonly(error), changed, flush, dispose, markSaved }
}

export type Autosave = ReturnType<typeof createAutosave>
