import { afterEach, describe, expect, it } from 'vitest'
import type { EngineOutcome } from './engine'
import { HARNESS_MARKER } from './harness'
import { runJavaScript, type JavaScriptEnvironment } from './javascript-engine'
import { DEFAULT_OUTPUT_LIMIT_BYTES, type OutputChunk, type RunRequest } from './run'

/** The little of Node's process the tests need; src/shared is type-checked without Node's types too. */
interface NodeProcess {
  listeners(event: string): ((...args: unknown[]) => void)[]
  removeAllListeners(event: string): void
  on(event: string, listener: (...args: unknown[]) => void): void
}
const nodeProcess = (globalThis as unknown as { process: NodeProcess }).process
const ESCAPES = ['unhandledRejection', 'uncaughtException']

/**
 * The worker listens to its global scope's error and unhandledrejection events; under Node the
 * same errors reach process events. Vitest's own listeners are set aside meanwhile, or it would
 * fail the test for the rejection the test provokes on purpose.
 */
const nodeEnvironment: JavaScriptEnvironment = {
  global: globalThis,
  onUncaught(listener) {
    const saved = ESCAPES.map((event) => [event, nodeProcess.listeners(event)] as const)
    for (const event of ESCAPES) nodeProcess.removeAllListeners(event)
    nodeProcess.on('unhandledRejection', (reason) => listener(reason, true))
    nodeProcess.on('uncaughtException', (error) => listener(error, false))
    return () => {
      for (const [event, listeners] of saved) {
        nodeProcess.removeAllListeners(event)
        for (const l of listeners) nodeProcess.on(event, l)
      }
    }
  },
}

interface Run extends EngineOutcome {
  stdout: string
  stderr: string
  batches: OutputChunk[][]
}

function run(code: string, request: Partial<RunRequest> = {}): Promise<Run> {
  const batches: OutputChunk[][] = []
  return new Promise((resolve) => {
    runJavaScript(
      {
        language: 'javascript',
        code,
        timeoutMs: 10_000,
        outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
        ...request,
      },
      {
        post: (chunks) => batches.push(chunks),
        now: () => performance.now(),
        done: (outcome) => {
          const text = (stream: string) =>
            batches
              .flat()
              .filter((c) => c.stream === stream)
              .map((c) => c.text)
              .join('')
          resolve({ ...outcome, batches, stdout: text('stdout'), stderr: text('stderr') })
        },
      },
      nodeEnvironment,
    )
  })
}

const realConsole = globalThis.console
const realSetTimeout = globalThis.setTimeout
afterEach(() => {
  expect(globalThis.console).toBe(realConsole)
  expect(globalThis.setTimeout).toBe(realSetTimeout)
})

describe('javascript engine: console', () => {
  it('sends log, info and debug to stdout and warn and error to stderr, formatted like Node', async () => {
    const r = await run(
      'console.log("hi", 42, [1, 2], { a: "x" })\nconsole.info(new Map([["k", 1]]))\nconsole.warn("careful")\nconsole.debug("%s is %d", "n", 7)\nconsole.error(null, undefined)\n',
    )
    expect(r.result).toMatchObject({ status: 'ok', tests: null })
    expect(r.stdout).toBe("hi 42 [ 1, 2 ] { a: 'x' }\nMap(1) { 'k' => 1 }\nn is 7\n")
    expect(r.stderr).toBe('careful\nnull undefined\n')
  })

  it('supports the rest of console: groups, counts, assertions, traces', async () => {
    const code = [
      'console.group("outer")',
      'console.count()',
      'console.count()',
      'console.groupEnd()',
      'console.assert(1 + 1 === 3, "math")',
      'function where() {',
      '  console.trace("here")',
      '}',
      'where()',
      '',
    ].join('\n')
    const r = await run(code)
    expect(r.stdout).toBe('outer\n  default: 1\n  default: 2\n')
    expect(r.stderr).toBe(
      'Assertion failed: math\nTrace: here\n    at where (solution.js:7:11)\n    at solution.js:9:1\n',
    )
  })

  it('keeps each run’s declarations to itself', async () => {
    await run('let total = 1\nfunction helper() {}\nvar leftover = 2\n')
    const r = await run('let total = 2\nconsole.log(typeof helper, typeof leftover, total)\n')
    expect(r.stdout).toBe('undefined undefined 2\n')
  })
})

describe('javascript engine: errors', () => {
  it('reports an uncaught error with the user’s frames at editor lines', async () => {
    const r = await run('function f(x) {\n  throw new Error("boom " + x)\n}\nconsole.log("before")\nf(1)\n')
    expect(r.result.status).toBe('error')
    expect(r.stdout).toBe('before\n')
    expect(r.stderr).toBe('Uncaught Error: boom 1\n    at f (solution.js:2:9)\n    at solution.js:5:1\n')
  })

  it('puts first-line columns where the editor has them', async () => {
    const r = await run('null.x\n')
    expect(r.stderr).toMatch(
      /^Uncaught TypeError: Cannot read properties of null \(reading 'x'\)\n {4}at solution\.js:1:6\n$/,
    )
  })

  it('reports a syntax error with its line and column', async () => {
    const r = await run('const a = 1\nlet b = = 2\n')
    expect(r.result.status).toBe('error')
    expect(r.stderr).toBe("solution.js:2:9\nlet b = = 2\n        ^\n\nSyntaxError: Unexpected token '='\n")
  })

  it('reports a rejected promise nobody handled', async () => {
    const r = await run('console.log("start")\nPromise.reject(new Error("nope"))\n')
    expect(r.result.status).toBe('error')
    expect(r.stderr).toBe('Uncaught (in promise) Error: nope\n    at solution.js:2:16\n')
  })

  it('reports an error thrown later by a timer callback', async () => {
    const r = await run('setTimeout(() => {\n  undefinedFunction()\n}, 5)\n')
    expect(r.result.status).toBe('error')
    expect(r.stderr).toMatch(/^Uncaught ReferenceError: undefinedFunction is not defined\n {4}at solution\.js:2:3\n$/)
  })

  it('turns runaway recursion into a RangeError', async () => {
    const r = await run('function down(n) {\n  return down(n + 1)\n}\ndown(0)\n')
    expect(r.result.status).toBe('error')
    expect(r.stderr).toMatch(/^Uncaught RangeError: Maximum call stack size exceeded\n {4}at down \(solution\.js:2:3\)/)
  })
})

describe('javascript engine: async code and timers', () => {
  it('awaits top-level await and ends after the last timer', async () => {
    const code = [
      'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))',
      'await sleep(5)',
      'console.log("after await")',
      'setTimeout(() => console.log("later"), 10)',
      'let ticks = 0',
      'const id = setInterval(() => {',
      '  if (++ticks === 3) {',
      '    clearInterval(id)',
      '    console.log("ticked", ticks)',
      '  }',
      '}, 1)',
      '',
    ].join('\n')
    const r = await run(code)
    expect(r.result.status).toBe('ok')
    expect(r.stdout).toBe('after await\nticked 3\nlater\n')
  })

  it('reports an unawaited async function that throws', async () => {
    const r = await run('async function main() {\n  await null\n  throw new TypeError("async boom")\n}\nmain()\n')
    expect(r.result.status).toBe('error')
    expect(r.stderr).toBe('Uncaught (in promise) TypeError: async boom\n    at main (solution.js:3:9)\n')
  })
})

describe('javascript engine: output limit', () => {
  it('ends a flood at the limit, keeping what fits, and unwinds the loop', async () => {
    const r = await run('let i = 0\nwhile (true) console.log("flood", i++)\n', { outputLimitBytes: 1000 })
    expect(r.result.status).toBe('output-limit')
    expect(r.result.message).toMatch(/more than 1 kB, the output limit/)
    expect(r.stdout.length).toBe(1000)
    expect(r.stdout.startsWith('flood 0\nflood 1\n')).toBe(true)
    expect(r.batches.length).toBeLessThan(100)
  })
})

describe('javascript engine: tests', () => {
  const code = 'console.log("loading")\nfunction add(a, b) {\n  console.log("adding", a, b)\n  return a + b\n}\n'

  it('runs the cases through the harness and hides the report line', async () => {
    const r = await run(code, {
      entryFunction: 'add',
      tests: [
        { name: 'small', args: [1, 2], expected: 3 },
        { name: 'wrong', args: [2, 2], expected: 5 },
      ],
    })
    expect(r.result.status).toBe('ok')
    expect(r.result.tests?.map((t) => [t.name, t.status, t.stdout])).toEqual([
      ['small', 'pass', 'adding 1 2\n'],
      ['wrong', 'fail', 'adding 2 2\n'],
    ])
    expect(r.stdout).toBe('loading\n')
    expect(r.stdout).not.toContain(HARNESS_MARKER)
  })

  it('says where a syntax error is and reports it on every test', async () => {
    const r = await run('function add(a, b) {\n  return a +\n}\n', {
      entryFunction: 'add',
      tests: [{ name: 'a', args: [1, 2], expected: 3 }],
    })
    expect(r.stderr).toMatch(/^solution\.js:3:1\n\}\n\^\n\nSyntaxError: Unexpected token '\}'\n$/)
    expect(r.result.tests?.[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/SyntaxError/) })
  })
})
