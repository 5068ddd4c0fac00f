import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { Benchmark } from './benchmark'
import { cpuSides } from './cpu-sides'
import { candidatePageReadyMs, candidatePageTransferKB } from './candidate-page'
import { historySearchMs10k } from './history-search'
import { keystrokeLatencyServerBaselineP95Ms } from './keystroke-baseline'
import { keystrokeLatencyDirectP95Ms, keystrokeLatencyRelayP95Ms } from './keystroke-duet'
import { problemSearchMs10k } from './problem-search'
import { pyodideColdLoadMs } from './pyodide-load'
import { eventAppendPerSec, recordingKBPerHour, replaySeekMs60min } from './recording'
import { signalingJoinP99Ms500, signalingRssMB500 } from './signaling'
import { stopInterruptMs, stopRespawnMs, stopRespawnReadyMs } from './stop-runs'
import { jsWarmRunMs, pyodideWarmRunMs } from './warm-runs'

const benchmarks: readonly Benchmark[] = [
  problemSearchMs10k,
  historySearchMs10k,
  replaySeekMs60min,
  eventAppendPerSec,
  recordingKBPerHour,
  signalingJoinP99Ms500,
  signalingRssMB500,
  keystrokeLatencyDirectP95Ms,
  keystrokeLatencyRelayP95Ms,
  keystrokeLatencyServerBaselineP95Ms,
  candidatePageReadyMs,
  candidatePageTransferKB,
  pyodideColdLoadMs,
  pyodideWarmRunMs,
  jsWarmRunMs,
  stopInterruptMs,
  stopRespawnMs,
  stopRespawnReadyMs,
]

const RESULTS_PATH = fileURLToPath(new URL('./results.json', import.meta.url))

const ResultSchema = z.object({
  median: z.number(),
  p95: z.number(),
  runs: z.number().int(),
  /** Absent for a figure that is only reported. */
  target: z.number().optional(),
  targetOn: z.enum(['median', 'p95']).optional(),
  /** Present when the target is a floor rather than a ceiling. */
  atLeast: z.literal(true).optional(),
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
  const summary = { median: round(median(sorted)), p95: round(percentile(sorted, 0.95)), runs: sorted.length }
  if (benchmark.target === undefined) return { ...summary, unit: benchmark.unit }
  const floor = benchmark.atLeast ? { atLeast: true as const } : {}
  return {
    ...summary,
    target: benchmark.target,
    targetOn: benchmark.targetOn ?? 'median',
    ...floor,
    unit: benchmark.unit,
  }
}

function verdict(result: Result): string {
  if (result.target === undefined) return 'reported only'
  const figure = result.targetOn === 'p95' ? result.p95 : result.median
  if (result.atLeast) return figure >= result.target ? 'ok' : 'UNDER TARGET'
  return figure <= result.target ? 'ok' : 'OVER TARGET'
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? []
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ')).join('\n')
}

/** Targets between two results of one run: Duet's direct link should be no slower than the seeds' design. */
const RELATIONS = [['keystrokeLatencyDirectP95Ms', 'keystrokeLatencyServerBaselineP95Ms']] as const

function relationLines(measured: Readonly<Record<string, Result>>): string[] {
  return RELATIONS.flatMap(([key, atMost]) => {
    const left = measured[key]
    const right = measured[atMost]
    if (!left || !right) return []
    const verdict = left.p95 <= right.p95 ? 'ok' : 'NOT MET'
    return [`${key} p95 ${left.p95} ≤ ${atMost} p95 ${right.p95}: ${verdict}`]
  })
}

/** `npm run bench -- keystroke candidate` runs only the benchmarks whose key contains one of the words. */
function selected(filters: readonly string[]): readonly Benchmark[] {
  if (filters.length === 0) return benchmarks
  const chosen = benchmarks.filter((b) => filters.some((f) => b.key.toLowerCase().includes(f.toLowerCase())))
  if (chosen.length === 0) throw new Error(`no benchmark key contains ${filters.join(' or ')}`)
  return chosen
}

async function main(): Promise<void> {
  // Other work on the machine skews the figures; the load average says how busy it was.
  const loadAtStart = loadavg().map(round)
  const results = previousResults()
  const measured: Record<string, Result> = {}
  const rows: string[][] = [['benchmark', 'median', 'p95', 'runs', 'target', '']]
  for (const benchmark of selected(process.argv.slice(2))) {
    process.stdout.write(`running ${benchmark.key}: ${benchmark.title}…\n`)
    const result = summarize(benchmark, await benchmark.run())
    results[benchmark.key] = result
    measured[benchmark.key] = result
    rows.push([
      benchmark.key,
      `${result.median} ${result.unit}`,
      `${result.p95} ${result.unit}`,
      String(result.runs),
      result.target === undefined
        ? '—'
        : `${result.targetOn} ${result.atLeast ? '≥' : '≤'} ${result.target} ${result.unit}`,
      verdict(result),
    ])
  }
  const file = {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      /** Where the keystroke benchmarks put the candidate's and the interviewer's processes. */
      keystrokeSides: cpuSides(),
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map(round) },
    },
    results,
  }
  writeFileSync(RESULTS_PATH, `${JSON.stringify(file, null, 2)}\n`)
  const relations = relationLines(measured).map((line) => `${line}\n`)
  process.stdout.write(`\n${table(rows)}\n\n${relations.join('')}wrote ${RESULTS_PATH}\n`)
}

await main()
