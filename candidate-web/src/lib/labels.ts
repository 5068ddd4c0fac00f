import type { Difficulty, Language } from '../../../src/shared/problem'

export const LANGUAGE_LABELS: Readonly<Record<Language, string>> = { python: 'Python', javascript: 'JavaScript' }

export const DIFFICULTY_LABELS: Readonly<Record<Difficulty, string>> = {
  junior: 'Junior',
  middle: 'Middle',
  senior: 'Senior',
}

const MODE_LABELS: Readonly<Record<string, string>> = {
  connecting: 'Connecting…',
  direct: 'Connected · direct',
  relayed: 'Connected · relayed',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
}

export const modeLabel = (mode: string): string => MODE_LABELS[mode] ?? mode

export const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`
