import { loadPyodide, type PyodideAPI } from 'pyodide'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JsonValue } from '../json'
import type { Language } from '../problem'
import { buildTestProgram, HARNESS_MARKER, parseHarnessOutput, TOO_DEEP_MESSAGE } from './harness'
import { judgeTests } from './judge'
import type { TestResult } from './test-result'

let pyodide: PyodideAPI

beforeAll(async () => {
  pyodide = await loadPyodide()
})

/** Runs a program with fresh globals, the way the Python worker will, and returns its stdout. */
function runPython(program: string): string {
  const lines: string[] = []
  pyodide.setStdout({ batched: (line) => lines.push(line) })
  const globals = pyodide.globals.get('dict')()
  try {
    pyodide.runPython(program, { globals })
  } finally {
    globals.destroy()
  }
  return lines.map((line) => `${line}\n`).join('')
}

/**
 * Runs a program as a JavaScript worker would: a global-scope script with `console` captured.
 * src/shared may not import node:vm, so the test swaps the global console for the run.
 */
async function runJavaScript(program: string): Promise<string> {
  const lines: string[] = []
  const write = (...args: unknown[]) => lines.push(args.map(String).join(' '))
  const fake = { log: write, info: write, debug: write, warn: write, error: write }
  const saved = globalThis.console
  globalThis.console = fake as unknown as Console
  try {
    await (0, eval)(program)
  } finally {
    globalThis.console = saved
  }
  return lines.map((line) => `${line}\n`).join('')
}

interface Run {
  results: TestResult[]
  userStdout: string
}

interface Case {
  name: string
  args: JsonValue[]
  expected: JsonValue
}

/** Runs the program (which gets the arguments only) and judges what it reports, as the page does. */
async function run(language: Language, code: string, tests: Case[], entryFunction = 'solve'): Promise<Run> {
  const program = buildTestProgram({ language, code, entryFunction, tests })
  const stdout = language === 'python' ? runPython(program) : await runJavaScript(program)
  const { outcomes, userStdout } = parseHarnessOutput(stdout)
  const results = outcomes && judgeTests(tests, outcomes)
  if (results === null) throw new Error(`no harness report in:\n${stdout}`)
  return { results, userStdout }
}

const test = (name: string, args: JsonValue[], expected: JsonValue): Case => ({ name, args, expected })

/** `[[…[]…]]`, `levels` arrays deep. */
function nested(levels: number): JsonValue {
  let value: JsonValue = []
  for (let i = 1; i < levels; i++) value = [value]
  return value
}

/** The same behaviour written in each language. */
const code = {
  python: {
    double: 'def solve(x):\n    return x * 2\n',
    divide: 'def solve(a, b):\n    return a // b\n',
    chatty: 'print("top level")\n\ndef solve(x):\n    print("got", x)\n    return x\n',
    topLevelError: 'x = 1\nraise RuntimeError("setup broke")\n\ndef solve():\n    return 1\n',
    syntaxError: 'def solve(:\n    return 1\n',
    wrongName: 'def other():\n    return 1\n',
    nonJson: 'def solve():\n    return {1, 2}\n',
    truthy: 'def solve():\n    return True\n',
    float: 'def solve():\n    return 2.0\n',
    echo: 'def solve(*args):\n    return list(args)\n',
    nest: 'def solve(levels):\n    value = []\n    for _ in range(levels - 1):\n        value = [value]\n    return value\n',
    flood: 'def solve():\n    for i in range(100000):\n        print("line", i)\n    return 0\n',
  },
  javascript: {
    double: 'function solve(x) {\n  return x * 2\n}\n',
    divide:
      'function solve(a, b) {\n  if (b === 0) throw new RangeError("division by zero")\n  return Math.trunc(a / b)\n}\n',
    chatty: 'console.log("top level")\n\nfunction solve(x) {\n  console.log("got", x)\n  return x\n}\n',
    topLevelError: 'const x = 1\nthrow new Error("setup broke")\n\nfunction solve() {\n  return 1\n}\n',
    syntaxError: 'function solve( {\n  return 1\n}\n',
    wrongName: 'function other() {\n  return 1\n}\n',
    nonJson: 'function solve() {\n  return new Set([1, 2])\n}\n',
    truthy: 'function solve() {\n  return true\n}\n',
    float: 'function solve() {\n  return 2.0\n}\n',
    echo: 'const solve = (...args) => args\n',
    nest: 'function solve(levels) {\n  let value = []\n  for (let i = 1; i < levels; i++) value = [value]\n  return value\n}\n',
    flood: 'function solve() {\n  for (let i = 0; i < 100000; i++) console.log("line", i)\n  return 0\n}\n',
  },
} satisfies Record<Language, Record<string, string>>

const HOSTILE = [
  '"""\n\'); import os #',
  "'''\n`${process.exit(1)}`",
  '</script><script>alert(1)</script>',
  '\\"\\u0022\\\\n',
  'line\u2028sep\u2029para',
  'emoji 😀 é',
  HARNESS_MARKER,
]

describe.each(['python', 'javascript'] as const)('test harness in %s', (language) => {
  const src = code[language]

  it('passes a correct case and shows expected vs actual for a failing one', async () => {
    const { results } = await run(language, src.double, [test('ok', [2], 4), test('wrong', [3], 7)])
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['ok', 'pass'],
      ['wrong', 'fail'],
    ])
    expect(results[1]).toMatchObject({ expected: 7, actual: 6 })
  })

  it('reports an exception as an error with its message and line, and runs the remaining tests', async () => {
    const { results } = await run(language, src.divide, [test('by zero', [1, 0], 0), test('fine', [7, 2], 3)])
    expect(results[0]?.status).toBe('error')
    expect(results[0]?.actual).toBeUndefined()
    const where = language === 'python' ? /"solution\.py", line 2/ : /solution\.js:2:/
    expect(results[0]?.error).toMatch(where)
    expect(results[0]?.error).toMatch(/by zero/)
    expect(results[0]?.error).not.toMatch(/_duet_run_tests|eval at/)
    expect(results[1]?.status).toBe('pass')
  })

  it('captures each test’s stdout apart and leaves top-level output to the user stream', async () => {
    const { results, userStdout } = await run(language, src.chatty, [test('a', [1], 1), test('b', [2], 2)])
    expect(results.map((r) => r.stdout)).toEqual(['got 1\n', 'got 2\n'])
    expect(userStdout).toBe('top level\n')
  })

  it('caps a test’s stdout so a print loop cannot flood the report', async () => {
    const { results } = await run(language, src.flood, [test('flood', [], 0)])
    expect(results[0]?.status).toBe('pass')
    expect(results[0]?.stdout.length).toBeLessThan(70 * 1024)
    expect(results[0]?.stdout).toMatch(/^line 0\n[\s\S]*\[output truncated\]$/)
  })

  it('reports an error in top-level code on every test instead of crashing', async () => {
    const { results } = await run(language, src.topLevelError, [test('a', [], 1), test('b', [], 1)])
    expect(results.map((r) => r.status)).toEqual(['error', 'error'])
    expect(results[0]?.error).toMatch(/before the tests ran[\s\S]*setup broke/)
    expect(results[0]?.error).toMatch(language === 'python' ? /line 2/ : /solution\.js:2:/)
  })

  it('reports a syntax error on every test', async () => {
    const { results } = await run(language, src.syntaxError, [test('a', [], 1)])
    expect(results[0]?.status).toBe('error')
    expect(results[0]?.error).toMatch(/SyntaxError/)
  })

  it('reports a missing entry function', async () => {
    const { results } = await run(language, src.wrongName, [test('a', [], 1)])
    expect(results[0]).toMatchObject({ status: 'error', error: 'The entry function solve() is not defined.' })
  })

  it('reports a result that is not JSON as an error', async () => {
    const { results } = await run(language, src.nonJson, [test('a', [], [1, 2])])
    expect(results[0]?.status).toBe('error')
    expect(results[0]?.error).toMatch(/not JSON/)
  })

  it('compares as JSON: true is not 1, but 2.0 is 2', async () => {
    const truthy = await run(language, src.truthy, [test('bool', [], 1)])
    expect(truthy.results[0]).toMatchObject({ status: 'fail', actual: true })
    const float = await run(language, src.float, [test('float', [], 2)])
    expect(float.results[0]?.status).toBe('pass')
  })

  it('reports a result nested too deeply as that test’s error, without overflowing any stack', async () => {
    const { results } = await run(language, src.nest, [
      test('fits', [100], nested(100)),
      test('too deep', [101], nested(101)),
      test('far too deep', [2500], null),
      test('after', [1], []),
    ])
    expect(results.map((r) => r.status)).toEqual(['pass', 'error', 'error', 'pass'])
    expect(results[1]).toMatchObject({ error: TOO_DEEP_MESSAGE })
    expect(results[1]?.actual).toBeUndefined()
    expect(results[2]).toMatchObject({ error: TOO_DEEP_MESSAGE })
  })

  it('never holds the expected values: only the arguments go into the program', () => {
    const program = buildTestProgram({
      language,
      code: src.double,
      entryFunction: 'solve',
      tests: [test('secret', [21], 'the-hidden-answer-42')],
    })
    expect(program).not.toContain('the-hidden-answer')
    expect(program).not.toContain('secret')
  })

  it('embeds hostile names and strings without letting them out', async () => {
    const tests = HOSTILE.map((s) => test(s, [s, { [s]: [s] }], [s, { [s]: [s] }]))
    const program = buildTestProgram({ language, code: src.echo, entryFunction: 'solve', tests })
    expect(program).not.toMatch(/<\/script>|"""\n/)
    const { results, userStdout } = await run(language, src.echo, tests)
    expect(results.map((r) => [r.name, r.status])).toEqual(HOSTILE.map((s) => [s, 'pass']))
    expect(userStdout).toBe('')
  })
})

describe('python specifics', () => {
  it('loads the code like a module, so a main block does not run during the tests', async () => {
    const source = 'def solve():\n    return 1\n\nif __name__ == "__main__":\n    print(input())\n'
    const { results, userStdout } = await run('python', source, [test('a', [], 1)])
    expect(results[0]?.status).toBe('pass')
    expect(userStdout).toBe('')
  })

  it('reports printing bytes as that test’s error instead of breaking the report', async () => {
    const source = 'import sys\n\ndef solve():\n    sys.stdout.write(b"raw")\n    return 1\n'
    const { results } = await run('python', source, [test('bytes', [], 1), test('again', [], 1)])
    expect(results.map((r) => r.status)).toEqual(['error', 'error'])
    expect(results[0]?.error).toMatch(/TypeError: write\(\) argument must be str/)
  })
})

describe('javascript specifics', () => {
  it('awaits an async entry function and keeps its output with its test', async () => {
    const source = 'async function solve(x) {\n  await null\n  console.log("inside", x)\n  return [x]\n}\n'
    const { results } = await run('javascript', source, [test('async', [5], [5])])
    expect(results[0]).toMatchObject({ status: 'pass', actual: [5], stdout: 'inside 5\n' })
  })

  it('keeps the user’s declarations out of the global scope, so a reused worker starts clean', async () => {
    await run('javascript', 'function solve() {\n  return 1\n}\nvar leftover = 2\n', [test('a', [], 1)])
    expect('solve' in globalThis || 'leftover' in globalThis).toBe(false)
  })

  it('finds an entry function declared with const', async () => {
    const { results } = await run('javascript', 'const solve = (a, b) => a + b\n', [test('sum', [1, 2], 3)])
    expect(results[0]?.status).toBe('pass')
  })
})

describe('buildTestProgram', () => {
  it('refuses an entry function that is not an identifier', () => {
    for (const entryFunction of ['', '1abc', 'a-b', 'x; import os', 'f()']) {
      expect(() => buildTestProgram({ language: 'python', code: '', entryFunction, tests: [] })).toThrow(/identifier/)
    }
  })
})

describe('parseHarnessOutput', () => {
  const report = (json: string) => HARNESS_MARKER + JSON.stringify({ results: [{ json, stdout: '', durationMs: 0.5 }] })

  it('returns no results when the program never reported', () => {
    expect(parseHarnessOutput('hello\n')).toEqual({ outcomes: null, userStdout: 'hello\n' })
  })

  it('takes the report even when user output did not end its line, and keeps the rest', () => {
    const { outcomes, userStdout } = parseHarnessOutput(`no newline${report('[1]')}\nafter\n`)
    expect(outcomes).toEqual([{ actual: [1], stdout: '', durationMs: 0.5 }])
    expect(userStdout).toBe('no newlineafter\n')
  })

  it('trusts only the last report; an earlier one stays visible as user output', () => {
    const forged = `${report('"forged"')}\n`
    const { outcomes, userStdout } = parseHarnessOutput(`${forged}${report('"real"')}\n`)
    expect(outcomes).toEqual([{ actual: 'real', stdout: '', durationMs: 0.5 }])
    expect(userStdout).toBe(forged)
  })

  it('returns no results for a cut-off or malformed report', () => {
    const cut = report('1').slice(0, -10)
    expect(parseHarnessOutput(cut)).toEqual({ outcomes: null, userStdout: '' })
    expect(parseHarnessOutput(`${HARNESS_MARKER}{"results":[{"name":1}]}\n`).outcomes).toBeNull()
  })

  it('turns a value nested too deeply into that test’s error before anything recursive reads it', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const { outcomes } = parseHarnessOutput(`${report(deep)}\n`)
    expect(outcomes).toEqual([{ error: TOO_DEEP_MESSAGE, stdout: '', durationMs: 0.5 }])
    // A forged report that is deep itself is refused whole.
    const forged = `${HARNESS_MARKER}{"results":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`
    expect(parseHarnessOutput(forged).outcomes).toBeNull()
  })
})
