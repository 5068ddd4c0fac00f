import { type EngineIo, type EngineOutcome, outputLimitMessage, USER_FILE } from './engine'
import { buildTestProgram, parseHarnessOutput } from './harness'
import { describeSyntaxError, describeUncaught, userStack, type UserSource } from './js-errors'
import { formatLogArguments } from './js-inspect'
import { OutputSink } from './output-sink'
import { ReportLineFilter } from './report-filter'
import type { OutputStream, RunStatus } from './run'
import type { TestOutcome } from './test-result'
import type { WorkerRunRequest } from './worker-protocol'

/**
 * JavaScript runs as the body of an async function evaluated in the global scope: top-level await
 * works, the code's own declarations stay local to the run, and line numbers match the editor
 * (only columns on the first line move, and error messages put them back).
 */
const WRAPPER_START = '(async () => {'

export interface JavaScriptRunIo extends EngineIo {
  /**
   * Called once when the run ends. It may be called from inside the user's code (the output limit),
   * while the program still runs: the worker then has to be replaced to stop it.
   */
  done(outcome: EngineOutcome): void
}

type TimerFunction = (handler: unknown, delay?: number, ...args: unknown[]) => unknown
type ClearFunction = (id: unknown) => void

/** The global scope the code runs in, and how to hear about errors that escape every handler. */
export interface JavaScriptEnvironment {
  global: object
  /** Uncaught exceptions from callbacks the runner does not wrap, and unhandled rejections. */
  onUncaught(listener: (error: unknown, inPromise: boolean) => void): () => void
}

/** Thrown into the program from console methods once the run is over, to unwind a loop that prints. */
class RunEnded extends Error {
  constructor() {
    super('This run has ended.')
  }
}

/**
 * Runs one program or test run. Like Node, a run ends when the code has finished and no timer is
 * pending; an uncaught error or unhandled rejection ends it with `error`.
 */
export function runJavaScript(request: WorkerRunRequest, io: JavaScriptRunIo, env: JavaScriptEnvironment): void {
  new JavaScriptRun(request, io, env).start()
}

class JavaScriptRun {
  private readonly scope: Record<string, unknown>
  private readonly saved = new Map<string, unknown>()
  private readonly sink: OutputSink
  private readonly filter: ReportLineFilter | null
  private readonly source: UserSource
  private readonly pendingTimers = new Set<unknown>()
  private readonly started: number
  private unsubscribe: () => void = () => {}
  private settled = false
  private finished = false
  private finishing = false
  private status: RunStatus = 'ok'
  private readonly setTimer: TimerFunction
  private readonly clearTimer: ClearFunction

  constructor(
    private readonly request: WorkerRunRequest,
    private readonly io: JavaScriptRunIo,
    private readonly env: JavaScriptEnvironment,
  ) {
    this.scope = env.global as Record<string, unknown>
    this.setTimer = this.scope['setTimeout'] as TimerFunction
    this.clearTimer = this.scope['clearTimeout'] as ClearFunction
    this.filter = request.tests === undefined ? null : new ReportLineFilter()
    this.source = {
      file: USER_FILE.javascript,
      firstLineOffset: WRAPPER_START.length,
      lineCount: request.code.split('\n').length,
    }
    this.sink = new OutputSink({
      limitBytes: request.outputLimitBytes,
      post: io.post,
      now: io.now,
      tail: io.tail,
      onLimit: () => {
        this.status = 'output-limit'
        this.finish()
      },
      schedule: (flush, delayMs) => this.nativeTimeout(flush, delayMs),
    })
    this.started = io.now()
  }

  start(): void {
    this.install()
    this.unsubscribe = this.env.onUncaught((error, inPromise) => this.uncaught(error, inPromise))
    const running = this.request.tests !== undefined ? this.startTests() : this.startProgram()
    running.catch((error: unknown) => {
      if (!(error instanceof RunEnded)) this.finish(error)
    })
  }

  private async startProgram(): Promise<void> {
    let completion: unknown
    try {
      completion = (0, eval)(`${WRAPPER_START}${this.request.code}\n})()\n//# sourceURL=${USER_FILE.javascript}`)
    } catch (error) {
      // Only parsing can throw here: the code itself runs inside the async function.
      await this.reportSyntaxError(error, true)
      this.status = 'error'
      this.markSettled()
      this.finish()
      return
    }
    try {
      await completion
    } catch (error) {
      this.uncaught(error, false)
    }
    this.markSettled()
    this.whenIdle()
  }

  private async startTests(): Promise<void> {
    const { code, entryFunction = '', tests = [] } = this.request
    try {
      // The harness evaluates the code as a strict script: say where a syntax error is, as for a run.
      new Function(`'use strict';${code}`)
    } catch (error) {
      await this.reportSyntaxError(error, false)
    }
    try {
      const program = buildTestProgram({ language: 'javascript', code, entryFunction, tests })
      await (0, eval)(program)
    } catch (error) {
      // Not the user's code (the harness reports that per test): an entry function name it refused.
      if (!this.finished) {
        this.write('stderr', error instanceof Error ? error.message : String(error))
        this.status = 'error'
      }
    }
    this.markSettled()
    this.finish()
  }

  /** Ends the run once nothing is left to wait for; a rejection reported meanwhile still counts. */
  private whenIdle(): void {
    if (!this.settled || this.finished || this.finishing || this.pendingTimers.size > 0) return
    this.finishing = true
    // Two turns of the event loop: unhandled rejections are reported in a task of their own.
    this.nativeTimeout(() => {
      this.nativeTimeout(() => {
        this.finishing = false
        if (this.pendingTimers.size === 0) this.finish()
      }, 0)
    }, 0)
  }

  /**
   * Ends the run, once. A failure of the engine itself (`internalError`, or one while finishing)
   * still ends it: with an error, and a new worker for the next run.
   */
  private finish(internalError?: unknown): void {
    if (this.finished) return
    this.finished = true
    const durationMs = Math.max(0, this.io.now() - this.started)
    let failure = internalError
    let outcome: EngineOutcome | null = null
    if (failure === undefined) {
      try {
        outcome = this.outcome(durationMs)
      } catch (error) {
        failure = error
      }
    }
    this.io.done(outcome ?? runnerFailure(failure, durationMs))
  }

  private outcome(durationMs: number): EngineOutcome {
    this.unsubscribe()
    for (const id of this.pendingTimers) this.clearTimer.call(this.scope, id)
    this.pendingTimers.clear()
    const tests = this.finishOutput()
    if (this.status === 'ok' && this.filter !== null && tests === null) this.status = 'error'
    if (this.settled) this.restore()
    return {
      result: {
        status: this.status,
        durationMs,
        tests,
        ...(this.status === 'output-limit' ? { message: outputLimitMessage(this.request.outputLimitBytes) } : {}),
      },
      restart: false,
    }
  }

  private finishOutput(): TestOutcome[] | null {
    let tests: TestOutcome[] | null = null
    if (this.filter) {
      const { report, rest } = this.filter.finish()
      tests = report === null ? null : parseHarnessOutput(report).outcomes
      if (tests === null && report !== null) this.sink.write('stdout', report)
      this.sink.write('stdout', rest)
    }
    this.sink.flush()
    return tests
  }

  private uncaught(error: unknown, inPromise: boolean): void {
    if (this.finished) return
    this.write('stderr', describeUncaught(error, inPromise, this.source))
    if (this.status === 'ok') this.status = 'error'
    this.markSettled()
    this.finish()
  }

  private async reportSyntaxError(error: unknown, topLevelAwait: boolean): Promise<void> {
    if (!(error instanceof SyntaxError)) {
      this.uncaught(error, false)
      return
    }
    // V8 does not say where a syntax error in evaluated code is; a parser does.
    const place = await locateSyntaxError(this.request.code, topLevelAwait)
    const message = `SyntaxError: ${error.message}`
    this.write('stderr', describeSyntaxError(message, this.request.code, place, USER_FILE.javascript))
  }

  private createConsole(): Record<string, (...args: never[]) => unknown> {
    const showError = (error: Error) => userStack(error, this.source)
    const counts = new Map<string, number>()
    const timers = new Map<string, number>()
    let indent = ''
    const print =
      (stream: OutputStream) =>
      (...args: unknown[]) =>
        this.write(stream, indent + formatLogArguments(args, showError).replace(/\n/g, `\n${indent}`))
    const timeLog = (label: unknown = 'default', ...args: unknown[]) => {
      const start = timers.get(String(label))
      if (start !== undefined) print('stdout')(`${String(label)}: ${(this.io.now() - start).toFixed(3)}ms`, ...args)
    }
    const group = (...args: unknown[]) => {
      if (args.length > 0) print('stdout')(...args)
      indent += '  '
    }
    return {
      log: print('stdout'),
      info: print('stdout'),
      debug: print('stdout'),
      dir: (value: unknown) => print('stdout')(value),
      table: print('stdout'),
      warn: print('stderr'),
      error: print('stderr'),
      trace: (...args: unknown[]) => {
        const message = formatLogArguments(args, showError)
        const frames = userStack(new Error(), this.source).split('\n').slice(1)
        print('stderr')([message ? `Trace: ${message}` : 'Trace', ...frames].join('\n'))
      },
      assert: (condition: unknown, ...args: unknown[]) => {
        if (!condition) print('stderr')('Assertion failed' + (args.length ? ':' : ''), ...args)
      },
      count: (label: unknown = 'default') => {
        const count = (counts.get(String(label)) ?? 0) + 1
        counts.set(String(label), count)
        print('stdout')(`${String(label)}: ${count}`)
      },
      countReset: (label: unknown = 'default') => counts.delete(String(label)),
      time: (label: unknown = 'default') => timers.set(String(label), this.io.now()),
      timeLog,
      timeEnd: (label: unknown = 'default') => {
        timeLog(label)
        timers.delete(String(label))
      },
      group,
      groupCollapsed: group,
      groupEnd: () => {
        indent = indent.slice(2)
      },
      clear: () => {},
    }
  }

  private write(stream: OutputStream, line: string): void {
    if (this.finished) throw new RunEnded()
    const text = `${line}\n`
    this.sink.write(stream, stream === 'stdout' && this.filter ? this.filter.push(text) : text)
    if (this.finished) throw new RunEnded()
  }

  /** Replaces console and the timers for this run; put back once the run is over. */
  private install(): void {
    this.replace('console', this.createConsole())
    const setTimeoutNative = this.setTimer
    const setIntervalNative = this.scope['setInterval'] as TimerFunction
    const clearNative = this.clearTimer
    const callback = (handler: unknown) =>
      typeof handler === 'function' ? (handler as (...a: unknown[]) => unknown) : () => (0, eval)(String(handler))
    this.replace('setTimeout', (handler: unknown, delay?: number, ...args: unknown[]) => {
      const run = callback(handler)
      const id: unknown = setTimeoutNative.call(
        this.scope,
        () => {
          this.pendingTimers.delete(id)
          this.invoke(run, args)
        },
        delay,
      )
      this.pendingTimers.add(id)
      return id
    })
    this.replace('setInterval', (handler: unknown, delay?: number, ...args: unknown[]) => {
      const run = callback(handler)
      const id = setIntervalNative.call(this.scope, () => this.invoke(run, args), delay)
      this.pendingTimers.add(id)
      return id
    })
    const clear = (id: unknown) => {
      this.pendingTimers.delete(id)
      clearNative.call(this.scope, id)
      this.whenIdle()
    }
    this.replace('clearTimeout', clear)
    this.replace('clearInterval', clear)
  }

  private invoke(handler: (...args: unknown[]) => unknown, args: unknown[]): void {
    if (this.finished) return
    try {
      handler(...args)
    } catch (error) {
      if (!(error instanceof RunEnded)) this.uncaught(error, false)
      return
    }
    this.whenIdle()
  }

  private nativeTimeout(callback: () => void, delayMs: number): void {
    this.setTimer.call(this.scope, callback, delayMs)
  }

  private replace(name: string, value: unknown): void {
    this.saved.set(name, this.scope[name])
    this.scope[name] = value
  }

  /**
   * The code has finished (or failed). A run ended earlier by the output limit restores the globals
   * only now: until then the program may still be printing, into a console that throws.
   */
  private markSettled(): void {
    this.settled = true
    if (this.finished) this.restore()
  }

  private restore(): void {
    for (const [name, value] of this.saved) this.scope[name] = value
    this.saved.clear()
  }
}

function runnerFailure(error: unknown, durationMs: number): EngineOutcome {
  const reason = error instanceof Error ? error.message : String(error)
  return {
    result: { status: 'error', durationMs, tests: null, message: `The JavaScript runner failed: ${reason}` },
    restart: true,
  }
}

/** Where a syntax error is, found by acorn (loaded only when needed); null if it finds none. */
async function locateSyntaxError(
  code: string,
  topLevelAwait: boolean,
): Promise<{ line: number; column: number } | null> {
  const { parse } = await import('acorn')
  try {
    parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: topLevelAwait,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
    })
    return null
  } catch (error) {
    const loc: unknown = typeof error === 'object' && error !== null && 'loc' in error ? error.loc : null
    if (typeof loc !== 'object' || loc === null || !('line' in loc) || !('column' in loc)) return null
    return { line: Number(loc.line), column: Number(loc.column) + 1 }
  }
}
