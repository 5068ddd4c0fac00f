import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { Benchmark } from './benchmark'
import { problemSearchMs10k } from './problem-search'
import { signalingJoinP99Ms500, signalingRssMB500 } from './signaling'

const benchmarks: readonly Benchmark[] = [problemSearchMs10k, signalingJoinP99Ms500, signalingRssMB500]

const RESULTS_PATH = fileURLToPath(new URL('./results.json', import.meta.url))

const ResultSchema = z.object({
  median: z.number(),
  p95: z.number(),
  runs: z.number().int(),
  target: z.number(),
  unit: z.string(),
})
type Result = z.infer<typeof ResultSchema>

// Earlier runs may hold keys this run does not produce; they are kept.
const ResultsFileSchema = z.object({ results: z.record(z.string(), ResultSchema) })

function previousResults(): Record<string, Result> {
  if (!existsSync(RESULTS_PATH)) return {}
  try {
    const parsed = ResultsFileSchema.safeParse(JSON.parse(readFileSync(RESULTS_PATH, 'utf8')))
    if (parsed.success) return parsed.data.results
  } catch {
    // Unreadable JSON is reported below like a file that does not fit.
  }
  console.warn(`${RESULTS_PATH} is not a results file; starting a new one.`)
  return {}
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid] ?? Number.NaN
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2
}

const round = (n: number) => Math.round(n * 1000) / 1000

function summarize(benchmark: Benchmark, samples: readonly number[]): Result {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    median: round(median(sorted)),
    p95: round(percentile(sorted, 0.95)),
    runs: sorted.length,
    target: benchmark.target,
    unit: benchmark.unit,
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? []
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ')).join('\n')
}

async function main(): Promise<void> {
  const results = previousResults()
  const rows: string[][] = [['benchmark', 'median', 'p95', 'runs', 'target', '']]
  for (const benchmark of benchmarks) {
    process.stdout.write(`running ${benchmark.key}: ${benchmark.title}…\n`)
    const result = summarize(benchmark, await benchmark.run())
    results[benchmark.key] = result
    const verdict = result.median <= result.target ? 'ok' : 'OVER TARGET'
    rows.push([
      benchmark.key,
      `${result.median} ${result.unit}`,
      `${result.p95} ${result.unit}`,
      String(result.runs),
      `≤ ${result.target} ${result.unit}`,
      verdict,
    ])
  }
  const file = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length },
    results,
  }
  writeFileSync(RESULTS_PATH, `${JSON.stringify(file, null, 2)}\n`)
  process.stdout.write(`\n${table(rows)}\n\nwrote ${RESULTS_PATH}\n`)
}

await main()
