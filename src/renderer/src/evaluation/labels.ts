import type { Recommendation } from '../../../shared/evaluation'

export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  'strong-no': 'Strong no',
  no: 'No',
  yes: 'Yes',
  'strong-yes': 'Strong yes',
}

/** What each rubric score means, shown beside the number. */
export const SCORE_LABELS: Record<number, string> = { 1: 'Weak', 2: 'Mixed', 3: 'Good', 4: 'Strong' }
