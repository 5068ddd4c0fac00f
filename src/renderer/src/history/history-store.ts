import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import {
  HISTORY_PAGE_MAX,
  HistoryQuerySchema,
  type HistoryRow,
  type HistorySort,
  type ParsedHistoryQuery,
} from '../../../shared/history'
import type { SessionStatus } from '../../../shared/session'
import { parseWith, type FieldIssue, type Parsed } from '../../../shared/validation'
import { useHost } from '../host'
import { errorMessage } from '../lib/errors'
import { RECOMMENDATION_CHOICES, type RecommendationChoice } from './labels'

export const HISTORY_PAGE_SIZE = 50

/** What the History page's fields hold; '' is "any" for each filter. */
export interface HistoryFilters {
  text: string
  /** `YYYY-MM-DD`, as a date input gives it. */
  from: string
  to: string
  status: SessionStatus | ''
  recommendation: RecommendationChoice | ''
  minScore: number | ''
  maxScore: number | ''
  sort: HistorySort
}

const emptyFilters = (): HistoryFilters => ({
  text: '',
  from: '',
  to: '',
  status: '',
  recommendation: '',
  minScore: '',
  maxScore: '',
  sort: 'newest',
})

/**
 * The History page's search: its filters (kept while the interviewer opens a session and comes
 * back), the rows loaded so far and the total. Reloads itself when a session changes or goes.
 */
export const useHistoryStore = defineStore('history', () => {
  const host = useHost()
  const filters = reactive(emptyFilters())
  const rows = ref<HistoryRow[]>([])
  const total = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  /** Filters the host would refuse (a range backwards), shown at their fields instead of searching. */
  const issues = ref<FieldIssue[]>([])
  // A search started by typing may finish after a newer one: only the newest may write.
  let generation = 0

  /** Whether anything narrows the list (the order does not). */
  const filtered = computed(
    () =>
      filters.text.trim() !== '' ||
      [filters.from, filters.to, filters.status, filters.recommendation, filters.minScore, filters.maxScore].some(
        (value) => value !== '',
      ),
  )

  function queryOf(offset: number, limit: number): Parsed<ParsedHistoryQuery> {
    const choice = RECOMMENDATION_CHOICES.find((c) => c.value === filters.recommendation)
    return parseWith(HistoryQuerySchema, {
      text: filters.text,
      from: filters.from === '' ? null : filters.from,
      to: filters.to === '' ? null : filters.to,
      statuses: filters.status === '' ? [] : [filters.status],
      recommendations: choice ? [...choice.filter] : [],
      minScore: filters.minScore === '' ? null : filters.minScore,
      maxScore: filters.maxScore === '' ? null : filters.maxScore,
      sort: filters.sort,
      offset,
      limit,
    })
  }

  async function fetch(query: ParsedHistoryQuery, append: boolean): Promise<void> {
    const current = ++generation
    loading.value = true
    try {
      const page = await host.history.search(query)
      if (current !== generation) return
      rows.value = append ? [...rows.value, ...page.rows] : page.rows
      total.value = page.total
      error.value = null
      loaded.value = true
    } catch (e) {
      if (current === generation) error.value = errorMessage(e)
    } finally {
      if (current === generation) loading.value = false
    }
  }

  /** Searches from the first page; `keep` reloads as many rows as are shown, so a reload keeps the place. */
  async function load(keep = false): Promise<void> {
    const limit = keep ? Math.min(HISTORY_PAGE_MAX, Math.max(HISTORY_PAGE_SIZE, rows.value.length)) : HISTORY_PAGE_SIZE
    const query = queryOf(0, limit)
    if (!query.ok) {
      generation++
      issues.value = query.issues
      loading.value = false
      return
    }
    issues.value = []
    await fetch(query.value, false)
  }

  async function loadMore(): Promise<void> {
    const query = queryOf(rows.value.length, HISTORY_PAGE_SIZE)
    if (query.ok && !loading.value) await fetch(query.value, true)
  }

  function clearFilters(): void {
    Object.assign(filters, { ...emptyFilters(), sort: filters.sort })
  }

  host.on('sessions.changed', () => {
    if (loaded.value) void load(true)
  })

  return { filters, rows, total, loading, loaded, error, issues, filtered, load, loadMore, clearFilters }
})
