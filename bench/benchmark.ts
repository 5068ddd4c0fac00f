/** One benchmark: `run` returns one sample per measured repetition, in `unit`. */
export interface Benchmark {
  key: string
  title: string
  /** None for a figure that is only reported. */
  target?: number
  /** The target is a floor, the figure must be at least it; otherwise a ceiling. */
  atLeast?: true
  unit: 'ms' | 'MB' | 'KB' | 'events/s'
  /** Which summary the target applies to (the median unless said otherwise). */
  targetOn?: 'median' | 'p95'
  run(): Promise<number[]>
}
