import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadPyodide, type PyodideAPI } from 'pyodide'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { z } from 'zod'
import { buildTestProgram, parseHarnessOutput } from '../../shared/exec/harness'
import { judgeTests } from '../../shared/exec/judge'
import type { TestResult } from '../../shared/exec/test-result'
import { PackFileSchema } from '../../shared/pack'
import {
  DIFFICULTIES,
  LANGUAGES,
  ProblemInputSchema,
  TestCaseSchema,
  type Language,
  type ProblemInput,
} from '../../shared/problem'
import { describeIssues, parseWith } from '../../shared/validation'

const PACK_PATH = fileURLToPath(new URL('../../../resources/problems/starter-pack.yaml', import.meta.url))
const raw: unknown = parse(readFileSync(PACK_PATH, 'utf8'))
const pack = parseWith(PackFileSchema, raw)
const problems = pack.ok ? pack.value.problems : []

let pyodide: PyodideAPI

beforeAll(async () => {
  pyodide = await loadPyodide()
})

/** Runs a program with fresh globals, as the Python worker does, and returns its stdout. */
function runPython(program: string): string {
  const out: string[] = []
  pyodide.setStdout({ batched: (line) => out.push(line) })
  pyodide.setStderr({ batched: (line) => out.push(line) })
  const globals = pyodide.globals.get('dict')()
  try {
    pyodide.runPython(program, { globals })
  } finally {
    globals.destroy()
  }
  return out.map((line) => `${line}\n`).join('')
}

/** Runs a program in its own `node` process, so a runaway solution cannot hang or pollute the test process. */
function runNode(program: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-'], { timeout: 20_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`node ended with ${code ?? signal}:\n${stderr}`))
    })
    child.stdin.end(program)
  })
}

async function runTests(problem: ProblemInput, language: Language, code: string): Promise<TestResult[]> {
  const program = buildTestProgram({ language, code, entryFunction: problem.entryFunction, tests: problem.tests })
  const stdout = language === 'python' ? runPython(program) : await runNode(program)
  const { outcomes } = parseHarnessOutput(stdout)
  const results = outcomes && judgeTests(problem.tests, outcomes)
  if (results === null) throw new Error(`${problem.slug} [${language}]: the harness printed no report:\n${stdout}`)
  return results
}

function describeFailure(problem: ProblemInput, language: Language, r: TestResult): string {
  const got = r.actual === undefined ? 'nothing' : JSON.stringify(r.actual)
  const why = r.error === undefined ? '' : `\n${r.error}`
  return `${problem.slug} [${language}] test "${r.name}": ${r.status}, expected ${JSON.stringify(r.expected)}, got ${got}${why}`
}

/** Keys the schema would silently drop, such as a misspelt `hidden` or a name split by a comma in YAML. */
function unknownKeys(): string[] {
  const problemKeys = new Set(Object.keys(ProblemInputSchema.shape))
  const testKeys = new Set(Object.keys(TestCaseSchema.shape))
  const rawProblems = z.object({ problems: z.array(z.record(z.string(), z.unknown())) }).parse(raw).problems
  return rawProblems.flatMap((p, i) => [
    ...Object.keys(p)
      .filter((k) => !problemKeys.has(k))
      .map((k) => `problems[${i}].${k}`),
    ...z
      .array(z.record(z.string(), z.unknown()))
      .parse(p.tests ?? [])
      .flatMap((t, j) =>
        Object.keys(t)
          .filter((k) => !testKeys.has(k))
          .map((k) => `problems[${i}].tests[${j}].${k}`),
      ),
  ])
}

describe('starter pack file', () => {
  it('is a valid pack with no keys the schema would drop', () => {
    expect(pack.ok ? '' : describeIssues(pack.issues)).toBe('')
    expect(unknownKeys()).toEqual([])
  })

  it('holds at least 15 problems, at least 5 of each difficulty, with unique slugs', () => {
    expect(problems.length).toBeGreaterThanOrEqual(15)
    for (const difficulty of DIFFICULTIES) {
      expect(problems.filter((p) => p.difficulty === difficulty).length, difficulty).toBeGreaterThanOrEqual(5)
    }
    const slugs = problems.map((p) => p.slug)
    expect(new Set(slugs).size).toBe(slugs.length)
  })

  it('gives every problem code in both languages, 3+ visible and 3+ hidden tests with unique names', () => {
    for (const p of problems) {
      for (const language of LANGUAGES) {
        expect(p.starterCode[language].trim(), `${p.slug} starter ${language}`).not.toBe('')
        expect(p.solution[language].trim(), `${p.slug} solution ${language}`).not.toBe('')
      }
      expect(p.tests.filter((t) => !t.hidden).length, `${p.slug} visible tests`).toBeGreaterThanOrEqual(3)
      expect(p.tests.filter((t) => t.hidden).length, `${p.slug} hidden tests`).toBeGreaterThanOrEqual(3)
      expect(new Set(p.tests.map((t) => t.name)).size, `${p.slug} test names`).toBe(p.tests.length)
    }
  })
})

describe.each(LANGUAGES)('starter pack in %s', (language) => {
  it.each(problems.map((p) => [p.slug, p] as const))('%s: the reference solution passes every test', async (_, p) => {
    const results = await runTests(p, language, p.solution[language])
    expect(results.map((r) => r.name)).toEqual(p.tests.map((t) => t.name))
    const failures = results.filter((r) => r.status !== 'pass').map((r) => describeFailure(p, language, r))
    expect(failures).toEqual([])
  })

  it.each(problems.map((p) => [p.slug, p] as const))('%s: the starter code fails some test', async (_, p) => {
    const results = await runTests(p, language, p.starterCode[language])
    expect(results).toHaveLength(p.tests.length)
    expect(results.some((r) => r.status !== 'pass')).toBe(true)
  })
})
