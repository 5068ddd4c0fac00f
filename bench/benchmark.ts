/** One benchmark: `run` returns one sample per measured repetition, in `unit`. */
export interface Benchmark {
  key: string
  title: string
  target: number
  unit: 'ms' | 'MB'
  run(): Promise<number[]>
}
