import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { Difficulty, Language, ProblemQuery, ProblemSummary } from '../../../shared/problem'
import { useHost } from '../host'
import { errorMessage } from '../lib/errors'

const PAGE_SIZE = 100

export interface BankFilters {
  text: string
  difficulty: Difficulty | ''
  tag: string
  language: Language | ''
}

/** The bank list and its filters; kept in a store so they survive a visit to a problem. */
export const useProblemBankStore = defineStore('problemBank', () => {
  const host = useHost()
  const filters = reactive<BankFilters>({ text: '', difficulty: '', tag: '', language: '' })
  const items = ref<ProblemSummary[]>([])
  const total = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const tags = ref<string[]>([])
  // Only the newest request may write the list: typing fast must not show an older answer.
  let generation = 0

  function query(offset: number): ProblemQuery {
    return {
      text: filters.text.trim(),
      difficulty: filters.difficulty || undefined,
      tag: filters.tag || undefined,
      language: filters.language || undefined,
      limit: PAGE_SIZE,
      offset,
    }
  }

  async function fetchPage(offset: number): Promise<void> {
    const current = ++generation
    loading.value = true
    try {
      const page = await host.problems.list(query(offset))
      if (current !== generation) return
      items.value = offset === 0 ? page.items : [...items.value, ...page.items]
      total.value = page.total
      error.value = null
      loaded.value = true
    } catch (e) {
      if (current === generation) error.value = errorMessage(e)
    } finally {
      if (current === generation) loading.value = false
    }
  }

  const load = (): Promise<void> => fetchPage(0)
  const loadMore = (): Promise<void> => fetchPage(items.value.length)

  async function loadTags(): Promise<void> {
    try {
      tags.value = await host.problems.tags()
    } catch {
      // The tag filter is a convenience; the list shows its own error if the host is down.
    }
  }

  function clearFilters(): void {
    Object.assign(filters, { text: '', difficulty: '', tag: '', language: '' })
  }

  host.on('problems.changed', () => {
    if (!loaded.value) return
    void load()
    void loadTags()
  })

  return { filters, items, total, loading, loaded, error, tags, load, loadMore, loadTags, clearFilters }
})
