import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/main/host/database'
import { createProblemBank } from '../src/main/host/problem-bank'
import { DIFFICULTIES, ProblemInputSchema, ProblemQuerySchema, type ProblemInput } from '../src/shared/problem'
import type { Benchmark } from './benchmark'

const PROBLEM_COUNT = 10_000
const WARM_UP_QUERIES = 30
const MEASURED_QUERIES = 200

const WORDS = (
  'array string tree graph path sum pair window stack queue heap matrix grid island interval merge sort ' +
  'search binary linked list node cycle palindrome anagram substring subsequence prefix suffix trie word ' +
  'ladder bridge network flow cache eviction schedule meeting room course order topological parent ' +
  'ancestor depth breadth level traversal rotate spiral jump game coin change climb stairs house robber ' +
  'profit stock trade buy sell median stream kth largest smallest frequent element majority vote count ' +
  'bits xor power square root divide multiply parse expression calculator bracket valid parenthesis ' +
  'roman integer number digit reverse shuffle random sample design iterator rate limiter logger event ' +
  'timeline calendar booking seat cinema elevator parking lot inventory order invoice ledger balance ' +
  'account transfer queue worker retry backoff deadline shortest longest minimum maximum distinct unique'
).split(' ')

const TAGS = [
  'arrays',
  'strings',
  'hash map',
  'two pointers',
  'sliding window',
  'stack',
  'queue',
  'heap',
  'trees',
  'graphs',
  'bfs',
  'dfs',
  'dp',
  'greedy',
  'sorting',
  'binary search',
  'math',
  'bits',
  'design',
  'recursion',
  'backtracking',
  'intervals',
  'linked list',
  'matrix',
  'simulation',
  'parsing',
  'tries',
  'union find',
]

/** A small seeded generator, so every run measures the same bank and the same queries. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function generateProblem(i: number, random: () => number): ProblemInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS))
  const titleWords = words(2 + Math.floor(random() * 3))
  const title = titleWords.map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' ')
  const hasPython = random() < 0.85
  return ProblemInputSchema.parse({
    title,
    slug: `${titleWords.join('-')}-${i}`,
    difficulty: pick(DIFFICULTIES),
    tags: Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(TAGS)),
    description: `${words(30 + Math.floor(random() * 60)).join(' ')}.`,
    entryFunction: 'solve',
    starterCode: {
      python: hasPython ? 'def solve(*args):\n    pass\n' : '',
      javascript: !hasPython || random() < 0.7 ? 'function solve(...args) {}\n' : '',
    },
    solution: { python: '', javascript: '' },
    tests: Array.from({ length: 3 + Math.floor(random() * 4) }, (_, t) => ({
      name: `case ${t + 1}`,
      args: [Array.from({ length: 5 }, () => Math.floor(random() * 100)), t],
      expected: t,
      hidden: t >= 3,
    })),
  })
}

/** One or two words as a user types them: whole words and prefixes of three or more letters. */
function generateQuery(random: () => number): { text: string; difficulty: (typeof DIFFICULTIES)[number] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const typed = () => {
    const word = pick(WORDS)
    return random() < 0.5 ? word : word.slice(0, Math.min(word.length, 3 + Math.floor(random() * 3)))
  }
  const text = random() < 0.6 ? typed() : `${typed()} ${typed()}`
  return { text, difficulty: pick(DIFFICULTIES) }
}

/** `problems.list` with a text query and a difficulty filter over a real SQLite file of 10,000 problems. */
export const problemSearchMs10k: Benchmark = {
  key: 'problemSearchMs10k',
  title: `text search + difficulty filter over ${PROBLEM_COUNT.toLocaleString('en')} problems`,
  target: 20,
  unit: 'ms',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'duet-bench-'))
    const opened = openDatabase(join(dir, 'duet.sqlite'))
    if (!opened.db) throw new Error(`the benchmark database did not open: ${JSON.stringify(opened.status)}`)
    const db = opened.db
    try {
      const bank = createProblemBank(db, () => new Date())
      const generate = seededRandom(42)
      db.transaction(() => {
        for (let i = 0; i < PROBLEM_COUNT; i++) bank.create(generateProblem(i, generate))
      })()
      const random = seededRandom(7)
      const queries = Array.from({ length: WARM_UP_QUERIES + MEASURED_QUERIES }, () =>
        ProblemQuerySchema.parse(generateQuery(random)),
      )
      const samples: number[] = []
      queries.forEach((query, i) => {
        const start = performance.now()
        bank.list(query)
        const elapsed = performance.now() - start
        if (i >= WARM_UP_QUERIES) samples.push(elapsed)
      })
      return samples
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
