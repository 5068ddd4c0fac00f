import { z } from 'zod'
import { JsonValueSchema, MAX_JSON_DEPTH, nestsWithin, parseMessage } from '../json'
import type { Language } from '../problem'
import { USER_FILE } from './engine'
import { PYTHON_TRACEBACK_HELPERS } from './python-traceback'
import type { TestOutcome } from './test-result'

/**
 * Starts the one stdout line that carries the results. It opens with an ASCII record separator,
 * which JSON always escapes, so the marker can never appear inside the report itself (a test
 * name or a test's captured output); only the harness or deliberate user output can print it.
 */
export const HARNESS_MARKER = '\u001eduet-test-results:'

/** Each test keeps at most this many characters of its own stdout, so a print loop cannot flood the report. */
const TEST_STDOUT_LIMIT = 64 * 1024

export const TOO_DEEP_MESSAGE = `The result is nested too deeply: more than ${MAX_JSON_DEPTH} levels of lists and objects.`

// Same rule as a problem's entry function: an identifier in both Python and JavaScript.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A test case as the harness gets it: the arguments only, never the expected value. */
export interface HarnessTestCase {
  args: readonly unknown[]
}

export interface TestProgramInput {
  language: Language
  code: string
  entryFunction: string
  tests: readonly HarnessTestCase[]
}

/**
 * Builds a self-contained program that defines the user's code, calls `entryFunction(*args)` for
 * every test with its stdout captured apart, and prints one marker line with what each call
 * returned (as JSON text) or raised. It judges nothing: the expected values are not in it, and
 * judgeTests compares outside the program's reach.
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
    maxDepth: MAX_JSON_DEPTH,
    tooDeep: TOO_DEEP_MESSAGE,
    args: tests.map((test) => test.args),
  })
  return language === 'python' ? pythonProgram(payload) : javascriptProgram(payload)
}

export interface HarnessOutput {
  /** One per test, in order; null when the program never printed a valid report (killed, timed out, stopped). */
  outcomes: TestOutcome[] | null
  /** Everything the program printed except the report line. */
  userStdout: string
}

const HarnessEntrySchema = z.union([
  /** What the call returned, as JSON text: parsed here, where its depth can be checked first. */
  z.object({ json: z.string(), stdout: z.string(), durationMs: z.number().nonnegative() }),
  z.object({ error: z.string(), stdout: z.string(), durationMs: z.number().nonnegative() }),
])
const HarnessReportSchema = z.object({ results: z.array(HarnessEntrySchema) })

export function parseHarnessOutput(stdout: string): HarnessOutput {
  // The harness prints last, so an earlier marker can only be the user's own output.
  const start = stdout.lastIndexOf(HARNESS_MARKER)
  if (start === -1) return { outcomes: null, userStdout: stdout }
  const newline = stdout.indexOf('\n', start)
  const end = newline === -1 ? stdout.length : newline
  const userStdout = stdout.slice(0, start) + stdout.slice(newline === -1 ? end : end + 1)
  let report: unknown
  try {
    report = JSON.parse(stdout.slice(start + HARNESS_MARKER.length, end))
  } catch {
    return { outcomes: null, userStdout }
  }
  const parsed = parseMessage(HarnessReportSchema, report)
  return { outcomes: parsed ? parsed.results.map(toOutcome) : null, userStdout }
}

function toOutcome(entry: z.infer<typeof HarnessEntrySchema>): TestOutcome {
  if ('error' in entry) return entry
  const { json, stdout, durationMs } = entry
  const failed = (error: string): TestOutcome => ({ error, stdout, durationMs })
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return failed('The result is not JSON.')
  }
  // JSON.parse takes any depth; zod (and any comparison) would overflow the stack on it.
  if (!nestsWithin(value, MAX_JSON_DEPTH)) return failed(TOO_DEEP_MESSAGE)
  const actual = JsonValueSchema.safeParse(value)
  return actual.success ? { actual: actual.data, stdout, durationMs } : failed('The result is not JSON.')
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
  return String.raw`# The harness's own builtins, copied before the user's code runs: a program that replaces one in
# the builtins module changes what its own code sees, not what the harness does.
__builtins__ = dict(__import__('builtins').__dict__)

${PYTHON_TRACEBACK_HELPERS}

def _duet_run_tests(payload):
    import io, json, sys, time

    # Taken before the user's code runs, which may replace what these modules hold.
    dumps, perf_counter, linecache_cache = json.dumps, time.perf_counter, sys.modules['linecache'].cache
    user_builtins, recursion_limit, set_recursion_limit = sys.modules['builtins'], sys.getrecursionlimit(), sys.setrecursionlimit
    real_stdout = sys.stdout
    write, flush = real_stdout.write, real_stdout.flush
    file, code, limit, max_depth = payload['file'], payload['code'], payload['stdoutLimit'], payload['maxDepth']

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

    def plain(value):
        # The result as exact lists, dicts and scalars, read the way json reads a subclass (its
        # stored items, not its methods), without recursion; None when it nests deeper than
        # max_depth. json.dumps recurses, and a value thousands of levels deep would overflow the
        # browser's stack inside it, which kills the interpreter.
        holder = {}
        pending = [(value, holder, 'value', 0)]
        while pending:
            item, parent, key, depth = pending.pop()
            kind = type(item)
            if issubclass(kind, (list, tuple, dict)):
                if depth >= max_depth:
                    return None
                if issubclass(kind, dict):
                    copy = {}
                    for k, v in dict.items(item):
                        k = str.__str__(k) if issubclass(type(k), str) else k
                        copy[k] = None
                        pending.append((v, copy, k, depth + 1))
                else:
                    items = list.copy(item) if issubclass(kind, list) else tuple.__getitem__(item, slice(None))
                    copy = [None] * len(items)
                    for i, v in enumerate(items):
                        pending.append((v, copy, i, depth + 1))
            elif kind is not bool and issubclass(kind, int):
                copy = int.__int__(item)
            elif issubclass(kind, float):
                copy = float.__float__(item)
            elif issubclass(kind, str):
                copy = str.__str__(item)
            else:
                copy = item  # None, a bool, or something json.dumps refuses
            parent[key] = copy
        return holder

    def as_json(value):
        try:
            shallow = plain(value)
            if shallow is None:
                return {'error': payload['tooDeep']}
            return {'json': dumps(shallow['value'], allow_nan=False)}
        except Exception as exc:
            return {'error': 'The result is not JSON: ' + str(exc)}

    # Registered so that tracebacks quote the user's source lines.
    linecache_cache[file] = (len(code), None, code.splitlines(True), file)
    # Loaded like an imported module, so a candidate's own "if __name__ == '__main__'" block
    # (often reading input()) does not run during the tests; with the real builtins module.
    namespace = {'__name__': 'solution', '__builtins__': user_builtins}
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
    for args in payload['args']:
        capture = Capture()
        started = perf_counter()
        if setup_error is not None:
            result = {'error': setup_error}
        else:
            sys.stdout = capture
            try:
                value = entry(*args)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                result = {'error': describe(exc)}
            else:
                result = None
            finally:
                sys.stdout = real_stdout
                set_recursion_limit(recursion_limit)
            if result is None:
                result = as_json(value)
        result['stdout'] = capture.text()
        result['durationMs'] = round((perf_counter() - started) * 1000, 3)
        results.append(result)

    write(payload['marker'] + dumps({'results': results}) + '\n')
    flush()


_duet_run_tests(__import__('json').loads(${payload}))
`
}

function javascriptProgram(payload: string): string {
  return String.raw`(() => {
  'use strict'
  // Taken before the user's code runs, which may replace globals and the built-in prototypes.
  // The results are built from object literals and strings, with no method of Object or Array.
  const { parse, stringify } = JSON
  const payload = parse(${payload})
  const target = console
  const print = target.log.bind(target)
  const now = performance.now.bind(performance)
  const { apply } = Reflect
  const { round } = Math
  const isFinite = Number.isFinite
  const tagOf = Function.prototype.call.bind(Object.prototype.toString)
  const kind = (v) => tagOf(v).slice(8, -1)
  const StackOverflow = RangeError
  const NotJson = TypeError

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
      let line = ''
      for (let i = 0; i < args.length; i++) line += (i === 0 ? '' : ' ') + show(args[i])
      line += '\n'
      const room = payload.stdoutLimit - text.length
      if (line.length > room) truncated = true
      text += line.slice(0, room > 0 ? room : 0)
    }
    return { __proto__: null, write, text: () => (truncated ? text + '\n[output truncated]' : text) }
  }

  const redirect = (write) => {
    const saved = { __proto__: null, log: target.log, info: target.info, debug: target.debug }
    target.log = target.info = target.debug = write
    return () => {
      target.log = saved.log
      target.info = saved.info
      target.debug = saved.debug
    }
  }

  // The message and the user's own frames; the harness's frames mean nothing to them.
  const describe = (err) => {
    if (!(err instanceof Error) || typeof err.stack !== 'string') return 'Uncaught ' + show(err)
    const lines = err.stack.split('\n')
    return lines.filter((l) => !/^\s+at /.test(l) || l.includes(payload.file)).join('\n')
  }

  const replacer = (key, v) => {
    if (typeof v === 'number' && !isFinite(v)) throw new NotJson(v + ' is not a JSON number')
    const tag = tagOf(v)
    if (tag === '[object Map]') throw new NotJson('a Map is not JSON; return an array or a plain object')
    if (tag === '[object Set]') throw new NotJson('a Set is not JSON; return an array or a plain object')
    return v
  }

  // What the call returned as JSON text (undefined becomes null), or why it cannot be.
  const asJson = (value) => {
    try {
      return { __proto__: null, json: stringify(value, replacer) ?? 'null' }
    } catch (err) {
      // V8 runs out of stack on a value nested some thousands of levels deep.
      if (err instanceof StackOverflow && String(err.message).includes('call stack')) return { __proto__: null, error: payload.tooDeep }
      return { __proto__: null, error: 'The result is not JSON: ' + (err instanceof Error ? err.message : show(err)) }
    }
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

    const cases = payload.args
    let report = ''
    for (let i = 0; i < cases.length; i++) {
      const sink = capture()
      const started = now()
      let result
      if (setupError !== undefined) {
        result = { __proto__: null, error: setupError }
      } else {
        const restore = redirect(sink.write)
        let value
        try {
          value = await apply(entry, undefined, cases[i])
        } catch (err) {
          result = { __proto__: null, error: describe(err) }
        } finally {
          restore()
        }
        if (result === undefined) result = asJson(value)
      }
      result.stdout = sink.text()
      result.durationMs = round((now() - started) * 1000) / 1000
      report += (i === 0 ? '' : ',') + stringify(result)
    }
    print(payload.marker + '{"results":[' + report + ']}')
  })()
})()
`
}
