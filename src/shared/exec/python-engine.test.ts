import { loadPyodide } from 'pyodide'
import { beforeAll, describe, expect, it } from 'vitest'
import type { InputSource } from './engine'
import { HARNESS_MARKER, TOO_DEEP_MESSAGE } from './harness'
import type { InputReply } from './input-channel'
import { judgeRun } from './judge'
import { createPythonEngine, PYTHON_LOAD_OPTIONS, type PythonEngine } from './python-engine'
import { DEFAULT_OUTPUT_LIMIT_BYTES, type OutputChunk, type RunRequest, type RunResult } from './run'
import { toWorkerRequest, type WorkerRunResult } from './worker-protocol'

let engine: PythonEngine

beforeAll(async () => {
  engine = createPythonEngine(await loadPyodide(PYTHON_LOAD_OPTIONS), new Int32Array(1))
})

interface Run {
  /** Judged against the request's tests, as the page does. */
  result: RunResult
  /** What the engine itself returned: no verdicts, no expected values. */
  reported: WorkerRunResult
  restart: boolean
  batches: OutputChunk[][]
  stdout: string
  stderr: string
}

/** Consecutive chunks of one stream joined: how they are batched is not the point of most tests. */
function merged(batches: OutputChunk[][]): OutputChunk[] {
  const chunks: OutputChunk[] = []
  for (const chunk of batches.flat()) {
    const last = chunks.at(-1)
    if (last?.stream === chunk.stream) last.text += chunk.text
    else chunks.push({ ...chunk })
  }
  return chunks
}

/** A run the way the page makes it: the worker gets no expected values, the page judges. */
function run(code: string, options: Partial<RunRequest> & { input?: InputSource } = {}, on = engine): Run {
  const { input = { kind: 'text', text: options.stdin ?? '' }, ...fields } = options
  const request: RunRequest = {
    language: 'python',
    code,
    timeoutMs: 10_000,
    outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
    ...fields,
  }
  const batches: OutputChunk[][] = []
  const { result, restart } = on.run(toWorkerRequest(request), {
    post: (chunks) => batches.push(chunks),
    now: () => performance.now(),
    input,
  })
  const text = (stream: string) =>
    batches
      .flat()
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join('')
  return {
    result: judgeRun(request.tests, result),
    reported: result,
    restart,
    batches,
    stdout: text('stdout'),
    stderr: text('stderr'),
  }
}

/** Answers input() from a list, the way the page answers through the shared buffer. */
function interactive(replies: InputReply[]): { source: InputSource; prompts: string[] } {
  const prompts: string[] = []
  return {
    prompts,
    source: {
      kind: 'interactive',
      read: (prompt) => {
        prompts.push(prompt)
        return replies.shift() ?? { kind: 'eof' }
      },
    },
  }
}

describe('python engine: output', () => {
  it('prints stdout and stderr apart, in order, ending ok', () => {
    const r = run('import sys\nprint("hello", 42)\nprint("oops", file=sys.stderr)\nprint("bye")\n')
    expect(r.result).toMatchObject({ status: 'ok', tests: null })
    expect(merged(r.batches)).toEqual([
      { stream: 'stdout', text: 'hello 42\n' },
      { stream: 'stderr', text: 'oops\n' },
      { stream: 'stdout', text: 'bye\n' },
    ])
    expect(r.result.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('shows a print without a newline, and multi-byte text split across writes', () => {
    const r = run(
      'import sys\nprint("no newline", end="")\nb = "é😀".encode()\nsys.stdout.buffer.write(b[:3])\nsys.stdout.buffer.write(b[3:])\n',
    )
    expect(r.stdout).toBe('no newlineé😀')
  })

  it('starts every run from fresh globals and restored builtins', () => {
    run('x = 41\nimport builtins\nbuiltins.print = None\n')
    const r = run('print("x" in globals(), __name__)\n')
    expect(r.stdout).toBe('False __main__\n')
  })

  it('stops a program at the output limit with a clear message, keeping what fits', () => {
    const r = run('while True:\n    print("flood")\n', { outputLimitBytes: 1000 })
    expect(r.result.status).toBe('output-limit')
    expect(r.result.message).toMatch(/more than 1 kB, the output limit/)
    expect(new TextEncoder().encode(r.stdout).length).toBe(1000)
    expect(r.stdout.startsWith('flood\nflood\n')).toBe(true)
  })

  it('stops at the limit even when the program catches KeyboardInterrupt and prints on', () => {
    const code =
      'for i in range(3):\n    try:\n        while True:\n            print("x" * 100)\n    except KeyboardInterrupt:\n        pass\n'
    const r = run(code, { outputLimitBytes: 500 })
    expect(r.result.status).toBe('output-limit')
    expect(r.stdout.length).toBe(500)
  })

  it('cuts one huge write without decoding all of it', () => {
    const r = run('print("é" * 50_000_000)\n', { outputLimitBytes: 101 })
    expect(r.result.status).toBe('output-limit')
    expect(r.stdout).toBe('é'.repeat(50))
  })

  it('sends output in batches, not one message per write', () => {
    const r = run('for i in range(20000):\n    print(i)\n')
    expect(r.result.status).toBe('ok')
    expect(r.stdout.split('\n')).toHaveLength(20001)
    // 40,000 writes (each print writes its text and its newline).
    expect(r.batches.length).toBeLessThan(4000)
  })

  it('sends held output while the program computes without printing', () => {
    let clock = 0
    const batches: OutputChunk[][] = []
    engine.run(
      {
        language: 'python',
        code: 'for i in range(100):\n    print(i)\nx = 0\nfor i in range(100_000):\n    x += i\nprint("end")\n',
        outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
      },
      // Each reading of the clock is 10 µs: the loop prints its 100 lines within one batching window,
      // and the computation after it takes several windows while printing nothing.
      { post: (chunks) => batches.push(chunks), now: () => (clock += 0.01), input: { kind: 'text', text: '' } },
    )
    const texts = batches.map((chunks) => chunks.map((c) => c.text).join(''))
    expect(texts.length).toBeLessThan(50)
    expect(texts.some((text) => text.endsWith('99\n'))).toBe(true)
    expect(texts.join('')).toMatch(/\n98\n99\nend\n$/)
  })
})

describe('python engine: errors', () => {
  it('shows a traceback with only the user’s frames and editor line numbers', () => {
    const r = run('def f(n):\n    return 10 // n\n\nprint("before")\nf(0)\n')
    expect(r.result.status).toBe('error')
    expect(r.stdout).toBe('before\n')
    expect(r.stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "solution\.py", line 5, in <module>/)
    expect(r.stderr).toMatch(/File "solution\.py", line 2, in f\n {4}return 10 \/\/ n/)
    expect(r.stderr).toMatch(/ZeroDivisionError: division by zero\n$/)
    expect(r.stderr).not.toMatch(/_pyodide|<duet-driver>|exec\(/)
  })

  it('shows a syntax error with its line', () => {
    const r = run('x = 1\nif x == 1\n    print(x)\n')
    expect(r.result.status).toBe('error')
    expect(r.stderr).toMatch(/File "solution\.py", line 2\n {4}if x == 1\n/)
    expect(r.stderr).toMatch(/SyntaxError: expected ':'/)
    expect(r.stderr).not.toMatch(/Traceback/)
  })

  it('turns runaway recursion into a RecursionError, even past a raised limit, and keeps working', () => {
    const r = run('import sys\nsys.setrecursionlimit(10**6)\ndef down(n):\n    return down(n + 1)\ndown(0)\n')
    expect(r).toMatchObject({ restart: false, result: { status: 'error' } })
    expect(r.stderr).toMatch(/line 5, in <module>[\s\S]*line 4, in down[\s\S]*RecursionError: maximum recursion depth/)
    expect(r.stderr).toMatch(/\(999\d{3} frames in the middle of this traceback are not shown\)\n$/)
    expect(run('import sys\nprint(sys.getrecursionlimit())\n').stdout).toBe('1000\n')
  })

  it('keeps working after deep recursion fails inside a test', () => {
    const code = 'import sys\nsys.setrecursionlimit(100_000)\n\ndef solve(n):\n    return solve(n + 1)\n'
    const r = run(code, { entryFunction: 'solve', tests: [{ name: 'deep', args: [0], expected: 0 }] })
    expect(r.restart).toBe(false)
    expect(r.result.tests?.[0]?.error).toMatch(/RecursionError/)
    expect(run('print("alive")\n').stdout).toBe('alive\n')
  })

  it('treats sys.exit() as success and sys.exit(message) as an error that prints the message', () => {
    expect(run('import sys\nprint("a")\nsys.exit()\nprint("b")\n')).toMatchObject({
      stdout: 'a\n',
      result: { status: 'ok' },
    })
    expect(run('import sys\nsys.exit("bad input")\n')).toMatchObject({
      stderr: 'bad input\n',
      result: { status: 'error' },
    })
  })
})

describe('python engine: time.sleep', () => {
  it('sleeps in short naps (so Stop can interrupt it) and keeps its contract', () => {
    const r = run(
      'import time\nt = time.monotonic()\ntime.sleep(0.05)\nprint(time.monotonic() - t >= 0.05)\ntime.sleep(-1)\n',
    )
    expect(r.stdout).toBe('True\n')
    expect(r.stderr).toMatch(/ValueError: sleep length must be non-negative\n$/)
    expect(r.stderr).not.toMatch(/duet-driver/)
  })
})

describe('python engine: input', () => {
  it('reads input() from the stdin text, line by line, and sys.stdin after it', () => {
    const r = run('a = input("a? ")\nb = int(input())\nimport sys\nprint(a, b * 2, repr(sys.stdin.read()))\n', {
      stdin: 'first line\n21\nrest\nof it',
    })
    expect(r.result.status).toBe('ok')
    expect(r.stdout).toBe("a? first line 42 'rest\\nof it'\n")
  })

  it('raises EOFError that says to fill the stdin box when the text runs out', () => {
    const r = run('name = input("Name: ")\n', { stdin: '' })
    expect(r.result.status).toBe('error')
    expect(r.stdout).toBe('Name: ')
    expect(r.stderr).toMatch(
      /line 1, in <module>\n {4}name = input\("Name: "\)\n[\s\S]*EOFError: No more input: type what the program reads into the stdin box/,
    )
    expect(r.stderr).not.toMatch(/duet-driver|_input/)
  })

  it('asks for each line interactively with the prompt, echoing the answer', () => {
    const { source, prompts } = interactive([
      { kind: 'line', text: 'Ada' },
      { kind: 'line', text: '36' },
    ])
    const r = run('name = input("Name: ")\nprint("partial", end="")\nage = input()\nprint(f" {name} is {age}")\n', {
      input: source,
    })
    expect(r.result.status).toBe('ok')
    expect(prompts).toEqual(['Name: ', 'partial'])
    expect(r.stdout).toBe('Name: Ada\npartial36\n Ada is 36\n')
  })

  it('reports the end of interactive input as EOFError', () => {
    const { source } = interactive([{ kind: 'eof' }])
    const r = run('input()\n', { input: source })
    expect(r.stderr).toMatch(/EOFError: No more input: the input was closed\./)
  })

  it('stops the program when its input request is cancelled', async () => {
    // Its own interpreter: the page writes SIGINT into the interrupt buffer before cancelling.
    const interruptBuffer = new Int32Array(1)
    const own = createPythonEngine(await loadPyodide(PYTHON_LOAD_OPTIONS), interruptBuffer)
    const batches: OutputChunk[][] = []
    const outcome = own.run(
      {
        language: 'python',
        code: 'try:\n    input()\nexcept EOFError:\n    print("not this")\n',
        outputLimitBytes: 1000,
      },
      {
        post: (chunks) => batches.push(chunks),
        now: () => performance.now(),
        input: {
          kind: 'interactive',
          read: () => {
            interruptBuffer[0] = 2
            return { kind: 'cancelled' }
          },
        },
      },
    )
    expect(outcome.result.status).toBe('stopped')
    expect(batches).toEqual([])
  })
})

describe('python engine: tests', () => {
  const code = 'print("loading")\n\ndef add(a, b):\n    print("adding", a, b)\n    return a + b\n'

  it('runs the cases through the harness, returns per-test results and hides the report line', () => {
    const r = run(code, {
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

  it('gives the syntax error’s line on every test', () => {
    const r = run('def add(a, b)\n    return a + b\n', {
      entryFunction: 'add',
      tests: [{ name: 'a', args: [1, 2], expected: 3 }],
    })
    expect(r.result.tests?.[0]?.status).toBe('error')
    expect(r.result.tests?.[0]?.error).toMatch(/line 1[\s\S]*SyntaxError/)
  })

  it('leaves a forged report line in the user’s output', () => {
    const forged = `${HARNESS_MARKER}{"results":[]}`
    const r = run(`print(${JSON.stringify(forged)})\ndef add(a, b):\n    return a + b\n`, {
      entryFunction: 'add',
      tests: [{ name: 'a', args: [1, 2], expected: 3 }],
    })
    expect(r.result.tests?.map((t) => t.status)).toEqual(['pass'])
    expect(r.stdout).toBe(`${forged}\n`)
  })
})

describe('python engine: test results cannot be faked, and nothing outlives a run', () => {
  const tests = [
    { name: 'a', args: [1, 2], expected: 3 },
    { name: 'b', args: [2, 2], expected: 4 },
  ]
  const forgedReport = JSON.stringify({
    results: tests.map((t) => ({ ...t, status: 'pass', actual: t.expected, json: '3', stdout: '', durationMs: 0 })),
  })

  it('judges the real return value when the code replaces json.dumps, in that run and the next', () => {
    const cheat = run(
      `import json\n\ndef fake(*args, **kwargs):\n    return ${JSON.stringify(forgedReport)}\n\njson.dumps = fake\n\ndef add(a, b):\n    return 0\n`,
      { entryFunction: 'add', tests },
    )
    expect(cheat.result.tests?.map((t) => [t.status, t.actual])).toEqual([
      ['fail', 0],
      ['fail', 0],
    ])
    const honest = run('def add(a, b):\n    return a - b\n', { entryFunction: 'add', tests })
    expect(honest.result.tests?.map((t) => t.status)).toEqual(['fail', 'fail'])
    expect(run('import json\nprint(json.dumps({"a": [1]}))\n').stdout).toBe('{"a": [1]}\n')
  })

  it('never tells the program the expected values', () => {
    // Searches every container in the interpreter for the expected value (built here, so that the
    // program's own text does not hold it).
    const code = [
      'import gc',
      '',
      'def add(a, b):',
      '    needle = "-".join(["the", "hidden", "answer"])',
      '    for o in gc.get_objects():',
      '        values = o.values() if isinstance(o, dict) else o if isinstance(o, (list, tuple)) else ()',
      '        if any(isinstance(v, str) and v == needle for v in values):',
      '            return "found"',
      '    return "not found"',
      '',
    ].join('\n')
    const r = run(code, { entryFunction: 'add', tests: [{ name: 'a', args: [1, 2], expected: 'the-hidden-answer' }] })
    expect(r.reported.tests).toEqual([{ actual: 'not found', stdout: '', durationMs: expect.any(Number) }])
    expect(r.result.tests?.[0]?.status).toBe('fail')
  })

  it('puts back modules, classes, streams, builtins and hooks that a program replaced', () => {
    const poison = [
      'import builtins, gc, json, sys, fractions',
      'json.JSONEncoder.encode = lambda self, o: "0"',
      'json.JSONEncoder.extra = 1',
      'sys.modules["json"] = None',
      'sys.modules["time"] = "not a module"',
      'sys.meta_path.clear()',
      'sys.stdout.write = lambda text: 0',
      'builtins.len = lambda value: 0',
      'sys.settrace(lambda *args: None)',
      'gc.callbacks.append(lambda *args: print("gc!"))',
      'sys.setrecursionlimit(50)',
      '',
    ].join('\n')
    expect(run(poison).result.status).toBe('ok')
    const check = [
      'import json, sys, time',
      'print(json.dumps([1, 2]), hasattr(json.JSONEncoder, "extra"), len("abc"))',
      'print("fractions" in sys.modules, sys.gettrace(), len(sys.meta_path) > 0, sys.getrecursionlimit())',
      'import gc; gc.collect()',
      '',
    ].join('\n')
    const r = run(check)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('[1, 2] False 3\nFalse None True 1000\n')
    const right = run('def add(a, b):\n    return a + b\n', { entryFunction: 'add', tests })
    expect(right.result.tests?.map((t) => t.status)).toEqual(['pass', 'pass'])
  })

  it('reports a result nested too deeply as that test’s error and keeps the interpreter', () => {
    const code =
      'def solve(levels):\n    value = []\n    for _ in range(levels - 1):\n        value = [value]\n    return value\n'
    const r = run(code, {
      entryFunction: 'solve',
      tests: [
        { name: '101 levels', args: [101], expected: null },
        // Where the old harness's json.dumps succeeded and the report then overflowed zod's stack.
        { name: '2500 levels', args: [2500], expected: null },
        { name: 'one', args: [1], expected: [] },
      ],
    })
    expect(r.restart).toBe(false)
    expect(r.result.tests?.map((t) => [t.status, t.error])).toEqual([
      ['error', TOO_DEEP_MESSAGE],
      ['error', TOO_DEEP_MESSAGE],
      ['pass', undefined],
    ])
    expect(run('print("alive")\n').stdout).toBe('alive\n')
  })

  it('ends the run and asks for a new worker when a deep value kills the interpreter', async () => {
    // Pyodide frees a list nested 100,000 deep recursively and overflows the stack: the
    // interpreter is gone whatever the harness does. The run must still end, and say so.
    const own = createPythonEngine(await loadPyodide(PYTHON_LOAD_OPTIONS), new Int32Array(1))
    const code =
      'def solve(levels):\n    value = []\n    for _ in range(levels - 1):\n        value = [value]\n    return value\n'
    const r = run(code, { entryFunction: 'solve', tests: [{ name: 'deep', args: [100_000], expected: null }] }, own)
    expect(r).toMatchObject({ restart: true, result: { status: 'error', tests: null } })
    expect(r.result.message).toMatch(/The Python runtime failed and is restarting/)
  })

  it('reads a subclass by what it holds, as json does, whatever its methods say', () => {
    const code = [
      'class Lying(list):',
      '    def __iter__(self):',
      '        return iter([])',
      '',
      'class Keys(dict):',
      '    def items(self):',
      '        return [("forged", 1)]',
      '',
      'def solve():',
      '    return Lying([Lying([1]), Keys(a=Lying([2]))])',
      '',
    ].join('\n')
    const r = run(code, { entryFunction: 'solve', tests: [{ name: 'a', args: [], expected: [[1], { a: [2] }] }] })
    expect(r.result.tests?.[0]).toMatchObject({ status: 'pass', actual: [[1], { a: [2] }] })
  })
})

describe('python engine: stop', () => {
  it('honours a stop written before the run reached the engine, and clears it afterwards', async () => {
    const interruptBuffer = new Int32Array(1)
    const own = createPythonEngine(await loadPyodide(PYTHON_LOAD_OPTIONS), interruptBuffer)
    interruptBuffer[0] = 2
    const stopped = run('while True:\n    pass\n', {}, own)
    expect(stopped.result.status).toBe('stopped')
    expect(interruptBuffer[0]).toBe(0)
    expect(run('print("next")\n', {}, own)).toMatchObject({ stdout: 'next\n', result: { status: 'ok' } })
  })
})
