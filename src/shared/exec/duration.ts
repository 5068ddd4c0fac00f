/** "12 ms" under a second, "1.25 s" above: a run's duration or its time limit. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 2 })} s`
}
