import { afterEach, describe, expect, it } from 'vitest'
import { HARNESS_MARKER, TOO_DEEP_MESSAGE } from './harness'
import { runJavaScript, type JavaScriptEnvironment } from './javascript-engine'
import { judgeRun } from './judge'
import { DEFAULT_OUTPUT_LIMIT_BYTES, type OutputChunk, type RunRequest, type RunResult } from './run'
import { toWorkerRequest } from './worker-protocol'

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

interface Run {
  /** Judged against the request's tests, as the page does. */
  result: RunResult
  restart: boolean
  stdout: string
  stderr: string
  batches: OutputChunk[][]
}

/** A run the way the page makes it: the engine gets no expected values, the page judges. */
function run(code: string, fields: Partial<RunRequest> = {}): Promise<Run> {
  const request: RunRequest = {
    language: 'javascript',
    code,
    timeoutMs: 10_000,
    outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
    ...fields,
  }
  const batches: OutputChunk[][] = []
  return new Promise((resolve) => {
    runJavaScript(
      toWorkerRequest(request),
      {
        post: (chunks) => batches.push(chunks),
        now: () => performance.now(),
        done: ({ result, restart }) => {
          const text = (stream: string) =>
            batches
              .flat()
              .filter((c) => c.stream === stream)
              .map((c) => c.text)
              .join('')
          resolve({
            result: judgeRun(request.tests, result),
            restart,
            batches,
            stdout: text('stdout'),
            stderr: text('stderr'),
          })
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
      'let ticks = 0',
      'const id = setInterval(() => {',
      '  if (++ticks === 3) {',
      '    clearInterval(id)',
      '    console.log("ticked", ticks)',
      // Started by the interval, so the order does not depend on how busy the machine is.
      '    setTimeout(() => console.log("later"), 10)',
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

describe('javascript engine: test results cannot be faked', () => {
  const tests = [
    { name: 'a', args: [1, 2], expected: 3 },
    { name: 'b', args: [2, 2], expected: 4 },
  ]
  // The tricks that used to turn every test into a pass: the harness called these after the
  // user's code had replaced them. Each fake behaves normally for anything else, as the test
  // runner shares this realm; in the app each run also gets a worker of its own.
  const tricks = [
    'const realAssign = Object.assign',
    'Object.assign = (target, ...sources) =>',
    '  realAssign(target, ...sources, target && "expected" in target ? { status: "pass" } : {})',
    'const realPush = Array.prototype.push',
    'Array.prototype.push = function (...items) {',
    '  for (const item of items) if (item && typeof item === "object" && "expected" in item) item.status = "pass"',
    '  return realPush.apply(this, items)',
    '}',
    'const realStringify = JSON.stringify',
    'JSON.stringify = (value, ...rest) => {',
    '  const text = realStringify(value, ...rest)',
    '  return value && typeof value === "object" && "results" in value ? text.replaceAll(\'"fail"\', \'"pass"\') : text',
    '}',
    '',
  ].join('\n')
  const saved = { assign: Object.assign, push: Array.prototype.push, stringify: JSON.stringify }
  afterEach(() => {
    Object.assign = saved.assign
    Array.prototype.push = saved.push
    JSON.stringify = saved.stringify
  })

  it('judges the real return values whatever the code replaced, in that run and the next', async () => {
    const cheat = await run(`${tricks}function add(a, b) {\n  return 0\n}\n`, { entryFunction: 'add', tests })
    expect(cheat.result.tests?.map((t) => [t.status, t.actual])).toEqual([
      ['fail', 0],
      ['fail', 0],
    ])
    // The replaced built-ins are still in place (this realm is shared): an honest wrong answer fails.
    expect(Array.prototype.push).not.toBe(saved.push)
    const honest = await run('function add(a, b) {\n  return a - b\n}\n', { entryFunction: 'add', tests })
    expect(honest.result.tests?.map((t) => t.status)).toEqual(['fail', 'fail'])
    const right = await run('function add(a, b) {\n  return a + b\n}\n', { entryFunction: 'add', tests })
    expect(right.result.tests?.map((t) => t.status)).toEqual(['pass', 'pass'])
  })

  it('reports a result nested too deeply as that test’s error and still ends the run', async () => {
    const code = 'function solve(levels) {\n  let v = []\n  for (let i = 1; i < levels; i++) v = [v]\n  return v\n}\n'
    const r = await run(code, {
      entryFunction: 'solve',
      tests: [
        { name: '1500 levels', args: [1500], expected: null },
        { name: '200,000 levels', args: [200_000], expected: null },
        { name: 'one', args: [1], expected: [] },
      ],
    })
    expect(r.result.status).toBe('ok')
    expect(r.result.tests?.map((t) => [t.status, t.error])).toEqual([
      ['error', TOO_DEEP_MESSAGE],
      ['error', TOO_DEEP_MESSAGE],
      ['pass', undefined],
    ])
  })
})
