import type * as Monaco from 'monaco-editor/editor/editor.api'

export type MonacoApi = typeof Monaco

let loading: Promise<MonacoApi> | undefined

/** Loads Monaco once, on first use, so the bank list opens without waiting for the editor. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= import('./monaco-setup').then((m) => m.monaco)
  // A failed load may be retried by the next editor that opens.
  loading.catch(() => {
    loading = undefined
  })
  return loading
}
