import type { HistorySort, RecommendationFilter } from '../../../shared/history'

export const SORT_LABELS: Record<HistorySort, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  candidate: 'Candidate A–Z',
  score: 'Highest score',
  duration: 'Longest',
}

/** The recommendation menu: each choice and the recommendations it stands for. */
export const RECOMMENDATION_CHOICES = [
  { value: 'positive', label: 'Yes or strong yes', filter: ['strong-yes', 'yes'] },
  { value: 'negative', label: 'No or strong no', filter: ['no', 'strong-no'] },
  { value: 'strong-yes', label: 'Strong yes', filter: ['strong-yes'] },
  { value: 'yes', label: 'Yes', filter: ['yes'] },
  { value: 'no', label: 'No', filter: ['no'] },
  { value: 'strong-no', label: 'Strong no', filter: ['strong-no'] },
  { value: 'none', label: 'Not given yet', filter: ['none'] },
] as const satisfies readonly { value: string; label: string; filter: readonly RecommendationFilter[] }[]
export type RecommendationChoice = (typeof RECOMMENDATION_CHOICES)[number]['value']

/** `45 min`, `1 h 5 min`; under a minute reads as such rather than `0 min`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 1) return 'under 1 min'
  if (minutes < 60) return `${minutes} min`
  const rest = minutes % 60
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`
}

/** A score out of five with one decimal: `4.5 / 5`. */
export function formatScore(score: number): string {
  return `${score.toFixed(1)} / 5`
}
