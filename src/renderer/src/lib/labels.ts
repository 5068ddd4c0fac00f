import type { Difficulty, Language } from '../../../shared/problem'

export const LANGUAGE_LABELS: Record<Language, string> = { python: 'Python', javascript: 'JavaScript' }

export const DIFFICULTY_LABELS: Record<Difficulty, string> = { junior: 'Junior', middle: 'Middle', senior: 'Senior' }
