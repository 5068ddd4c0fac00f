import { onBeforeUnmount, watch, type WatchSource } from 'vue'

/** How long typing in a search box waits for a pause before it searches. */
export const SEARCH_DELAY_MS = 250

/**
 * Runs `load` when the search `text` changes, once typing pauses, and at once when any of the
 * other `filters` changes. Returns `searchNow`, for Enter.
 */
export function useDebouncedSearch(
  text: WatchSource<string>,
  filters: WatchSource<unknown>,
  load: () => Promise<void>,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined

  function searchNow(): void {
    clearTimeout(timer)
    timer = undefined
    void load()
  }

  watch(text, () => {
    clearTimeout(timer)
    timer = setTimeout(searchNow, SEARCH_DELAY_MS)
  })
  watch(filters, searchNow)
  onBeforeUnmount(() => clearTimeout(timer))
  return searchNow
}
