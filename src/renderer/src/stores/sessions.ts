import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SessionSummary } from '../../../shared/session'
import { useHost } from '../host'
import { errorMessage } from '../lib/errors'

const newestFirst = (a: SessionSummary, b: SessionSummary): number => b.createdAt.localeCompare(a.createdAt)

/** The sessions list; reloads itself when the host says a session changed. */
export const useSessionsStore = defineStore('sessions', () => {
  const host = useHost()
  const items = ref<SessionSummary[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  // A reload started by an event may finish before an older one: only the newest may write.
  let generation = 0

  async function load(): Promise<void> {
    const current = ++generation
    loading.value = true
    try {
      const list = await host.sessions.list()
      if (current !== generation) return
      items.value = [...list].sort(newestFirst)
      error.value = null
      loaded.value = true
    } catch (e) {
      if (current === generation) error.value = errorMessage(e)
    } finally {
      if (current === generation) loading.value = false
    }
  }

  host.on('sessions.changed', () => {
    if (loaded.value) void load()
  })

  return { items, loading, loaded, error, load }
})
