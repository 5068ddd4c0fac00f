import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

/**
 * The candidate and the interviewer are on two machines in every real interview, so one side's
 * work never takes CPU from the other's. On one machine the keystroke benchmarks emulate that by
 * giving each side its own CPUs (Linux affinity, `taskset`): the candidate's browser on one half,
 * the interviewer's browser and host process on the other. Whatever runs neither side (the
 * benchmark script, the seeds' broadcast server, which stands on a third machine) may use all.
 */
export type CpuSides = { split: true; candidate: string; interviewer: string } | { split: false; reason: string }

/** Expands an affinity list such as `0-3,6` to the CPU numbers. */
export function parseCpuList(list: string): number[] {
  return list
    .trim()
    .split(',')
    .filter((part) => part !== '')
    .flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number)
      if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to) || to < from) {
        throw new Error(`not a CPU list: ${list}`)
      }
      return Array.from({ length: to - from + 1 }, (_, i) => from + i)
    })
}

/** The first half of `allowed` for the candidate, the rest for the interviewer. */
export function splitCpus(allowed: readonly number[]): CpuSides {
  if (allowed.length < 2) {
    return { split: false, reason: `this process may run on ${allowed.length} CPU only, and each side needs one` }
  }
  const half = Math.floor(allowed.length / 2)
  return { split: true, candidate: allowed.slice(0, half).join(','), interviewer: allowed.slice(half).join(',') }
}

const STATUS_PATH = '/proc/self/status'

export function cpuSides(): CpuSides {
  if (!existsSync(STATUS_PATH)) return { split: false, reason: `no ${STATUS_PATH} (CPU affinity is set on Linux only)` }
  if (spawnSync('taskset', ['--version']).error) {
    return { split: false, reason: 'taskset (util-linux) is not installed' }
  }
  const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(STATUS_PATH, 'utf8'))?.[1]
  if (list === undefined) return { split: false, reason: `${STATUS_PATH} gives no Cpus_allowed_list` }
  return splitCpus(parseCpuList(list))
}
