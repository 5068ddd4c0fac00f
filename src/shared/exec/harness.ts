import { z } from 'zod'
import type { Language, TestCase } from '../problem'
import { PYTHON_TRACEBACK_HELPERS } from './python-traceback'
import { TestResultSchema, type TestResult } from './test-result'

/**
 * Starts the one stdout line that carries the results. It opens with an ASCII record separator,
 * which JSON always escapes, so the marker can never appear inside the report itself (a test
 * name or a test's captured output); only the harness or deliberate user output can print it.
 */
export const HARNESS_MARKER = '\u001eduet-test-results:'

/** Each test keeps at most this many characters of its own stdout, so a print loop cannot flood the report. */
const TEST_STDOUT_LIMIT = 64 * 1024

/** The user's code runs under this file name, so tracebacks point at lines of the editor. */
const USER_FILE: Record<Language, string> = { python: 'solution.py', javascript: 'solution.js' }

// Same rule as a problem's entry function: an identifier in both Python and JavaScript.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

export type HarnessTestCase = Pick<TestCase, 'name' | 'args' | 'expected'>

export interface TestProgramInput {
  language: Language
  code: string
  entryFunction: string
  tests: readonly HarnessTestCase[]
}

/**
 * Builds a self-contained program that defines the user's code, calls `entryFunction(*args)` for
 * every test with its stdout captured apart, and prints one marker line with the results.
 *
 * Python: run the text as a script with fresh globals. JavaScript: a classic script (no
 * import/export, no top-level await); its completion value is a Promise that settles after the
 * results line is printed, so a runner may `await (0, eval)(program)` or wait for the line. The
 * user's JavaScript is evaluated with indirect eval, so a syntax or top-level error becomes a
 * reported error instead of stopping the harness; the worker therefore needs eval allowed.
 */
export function buildTestProgram({ language, code, entryFunction, tests }: TestProgramInput): string {
  if (!IDENTIFIER.test(entryFunction)) {
    throw new Error(`entryFunction must be an identifier, got ${JSON.stringify(entryFunction)}`)
  }
  const payload = stringLiteral({
    marker: HARNESS_MARKER,
    file: USER_FILE[language],
    entry: entryFunction,
    code,
    stdoutLimit: TEST_STDOUT_LIMIT,
    tests: tests.map(({ name, args, expected }) => ({ name, args, expected })),
  })
  return language === 'python' ? pythonProgram(payload) : javascriptProgram(payload)
}

export interface HarnessOutput {
  /** Null when the program never printed a valid report: killed, timed out, or stopped. */
  results: TestResult[] | null
  /** Everything the program printed except the report line. */
  userStdout: string
}

const HarnessReportSchema = z.object({ results: z.array(TestResultSchema) })

export function parseHarnessOutput(stdout: string): HarnessOutput {
  // The harness prints last, so an earlier marker can only be the user's own output.
  const start = stdout.lastIndexOf(HARNESS_MARKER)
  if (start === -1) return { results: null, userStdout: stdout }
  const newline = stdout.indexOf('\n', start)
  const end = newline === -1 ? stdout.length : newline
  const userStdout = stdout.slice(0, start) + stdout.slice(newline === -1 ? end : end + 1)
  let report: unknown
  try {
    report = JSON.parse(stdout.slice(start + HARNESS_MARKER.length, end))
  } catch {
    return { results: null, userStdout }
  }
  const parsed = HarnessReportSchema.safeParse(report)
  return { results: parsed.success ? parsed.data.results : null, userStdout }
}

/**
 * A double-quoted literal that means the same string in Python and JavaScript: the JSON text of
 * `value`, made pure ASCII (and free of `<`, `>`, `&`) with \u escapes, then quoted again. The
 * outer quoting only ever escapes `"` and `\`, so no test data or code can end the literal.
 */
function stringLiteral(value: unknown): string {
  const ascii = JSON.stringify(value).replace(
    /[^\x20-\x7e]|[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return JSON.stringify(ascii)
}

function pythonProgram(payload: string): string {
  return String.raw`${PYTHON_TRACEBACK_HELPERS}

def _duet_run_tests(payload):
    import io, json, linecache, sys, time

    file, code, limit = payload['file'], payload['code'], payload['stdoutLimit']
    real_stdout = sys.stdout

    class Capture(io.TextIOBase):
        def __init__(self):
            super().__init__()
            self.parts, self.size, self.truncated = [], 0, False

        def writable(self):
            return True

        def write(self, text):
            if not isinstance(text, str):
                raise TypeError('write() argument must be str, not ' + type(text).__name__)
            wanted, room = len(text), limit - self.size
            if wanted > room:
                self.truncated, text = True, text[:max(room, 0)]
            self.parts.append(text)
            self.size += len(text)
            return wanted

        def text(self):
            return ''.join(self.parts) + ('\n[output truncated]' if self.truncated else '')

    def describe(exc):
        # Start the traceback at the user's first frame: the harness's frames mean nothing to them.
        return _duet_describe(exc, file).rstrip()

    def same(a, b):
        # Equality of JSON values: 1 == 1.0, but true is not 1 even though Python's bool is an int.
        if isinstance(a, bool) or isinstance(b, bool):
            return type(a) is type(b) and a == b
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a == b
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        return type(a) is type(b) and a == b

    # Registered so that tracebacks quote the user's source lines.
    linecache.cache[file] = (len(code), None, code.splitlines(True), file)
    # Loaded like an imported module, so a candidate's own "if __name__ == '__main__'" block
    # (often reading input()) does not run during the tests.
    namespace = {'__name__': 'solution'}
    entry, setup_error = None, None
    try:
        exec(compile(code, file, 'exec'), namespace)
        entry = namespace.get(payload['entry'])
        if not callable(entry):
            setup_error = 'The entry function ' + payload['entry'] + '() is not defined.'
    except KeyboardInterrupt:
        raise  # Stop interrupts the whole run, not one test.
    except BaseException as exc:
        setup_error = 'Your code raised an error before the tests ran:\n' + describe(exc)

    results = []
    for case in payload['tests']:
        result = {'name': case['name'], 'expected': case['expected']}
        capture = Capture()
        started = time.perf_counter()
        if setup_error is not None:
            result.update(status='error', error=setup_error)
        else:
            sys.stdout = capture
            try:
                value = entry(*case['args'])
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                result.update(status='error', error=describe(exc))
            else:
                try:
                    actual = json.loads(json.dumps(value, allow_nan=False))
                except (TypeError, ValueError, RecursionError) as exc:
                    result.update(status='error', error='The result is not JSON: ' + str(exc))
                else:
                    result.update(status='pass' if same(actual, case['expected']) else 'fail', actual=actual)
            finally:
                sys.stdout = real_stdout
        result['stdout'] = capture.text()
        result['durationMs'] = round((time.perf_counter() - started) * 1000, 3)
        results.append(result)

    real_stdout.write(payload['marker'] + json.dumps({'results': results}) + '\n')
    real_stdout.flush()


_duet_run_tests(__import__('json').loads(${payload}))
`
}

function javascriptProgram(payload: string): string {
  return String.raw`(() => {
  'use strict'
  const payload = JSON.parse(${payload})
  // Taken before the user's code runs, which may replace globals.
  const { parse, stringify } = JSON
  const print = console.log.bind(console)
  const hasOwn = Object.prototype.hasOwnProperty
  const kind = (v) => Object.prototype.toString.call(v).slice(8, -1)

  const show = (v) => {
    if (typeof v === 'string') return v
    if (v instanceof Error) return v.stack || String(v)
    if (typeof v === 'function') return '[Function ' + (v.name || 'anonymous') + ']'
    if (typeof v === 'bigint') return v + 'n'
    if (typeof v !== 'object' || v === null) return String(v)
    try {
      return stringify(v) ?? '[' + kind(v) + ']'
    } catch {
      return '[' + kind(v) + ']'
    }
  }

  const capture = () => {
    let text = ''
    let truncated = false
    const write = (...args) => {
      const line = args.map(show).join(' ') + '\n'
      const room = payload.stdoutLimit - text.length
      if (line.length > room) truncated = true
      text += line.slice(0, Math.max(room, 0))
    }
    return { write, text: () => (truncated ? text + '\n[output truncated]' : text) }
  }

  const methods = ['log', 'info', 'debug']
  const redirect = (write) => {
    const saved = methods.map((m) => console[m])
    for (const m of methods) console[m] = write
    return () => methods.forEach((m, i) => (console[m] = saved[i]))
  }

  // The message and the user's own frames; the harness's frames mean nothing to them.
  const describe = (err) => {
    if (!(err instanceof Error) || typeof err.stack !== 'string') return 'Uncaught ' + show(err)
    const lines = err.stack.split('\n')
    return lines.filter((l) => !/^\s+at /.test(l) || l.includes(payload.file)).join('\n')
  }

  const toJson = (value) => {
    const text = stringify(value, (key, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(v + ' is not a JSON number')
      if (kind(v) === 'Map' || kind(v) === 'Set') {
        throw new TypeError('a ' + kind(v) + ' is not JSON; return an array or a plain object')
      }
      return v
    })
    return text === undefined ? null : parse(text)
  }

  const same = (a, b) => {
    if (a === b) return true
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
    }
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => hasOwn.call(b, k) && same(a[k], b[k]))
  }

  // Indirect eval: global scope, line numbers as in the editor, and the entry function as the
  // completion value whether it was declared with function, const or let. Strict, as in a module
  // worker, so the user's declarations stay inside the eval and a reused worker cannot find an
  // entry function left over from an earlier run.
  const load = () => {
    // Parse the code alone first, so that a syntax error is about it rather than the suffix below.
    Function("'use strict';" + payload.code)
    return (0, eval)(
      "'use strict';" +
        payload.code +
        '\n;typeof ' + payload.entry + ' === "function" ? ' + payload.entry + ' : undefined' +
        '\n//# sourceURL=' + payload.file,
    )
  }

  return (async () => {
    let entry
    let setupError
    try {
      entry = load()
      if (entry === undefined) setupError = 'The entry function ' + payload.entry + '() is not defined.'
    } catch (err) {
      setupError = 'Your code threw an error before the tests ran:\n' + describe(err)
    }

    const results = []
    for (const test of payload.tests) {
      const result = { name: test.name, expected: test.expected }
      const sink = capture()
      const started = performance.now()
      if (setupError !== undefined) {
        Object.assign(result, { status: 'error', error: setupError })
      } else {
        const restore = redirect(sink.write)
        let value
        let threw = false
        try {
          value = await entry(...test.args)
        } catch (err) {
          threw = true
          Object.assign(result, { status: 'error', error: describe(err) })
        } finally {
          restore()
        }
        if (!threw) {
          try {
            const actual = toJson(value)
            Object.assign(result, { status: same(actual, test.expected) ? 'pass' : 'fail', actual })
          } catch (err) {
            const reason = err instanceof Error ? err.message : show(err)
            Object.assign(result, { status: 'error', error: 'The result is not JSON: ' + reason })
          }
        }
      }
      result.stdout = sink.text()
      result.durationMs = Math.round((performance.now() - started) * 1000) / 1000
      results.push(result)
    }
    print(payload.marker + stringify({ results }))
  })()
})()
`
}
