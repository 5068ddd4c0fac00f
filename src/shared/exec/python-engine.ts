import type { PyodideAPI } from 'pyodide'
import { z } from 'zod'
import { type EngineIo, type EngineOutcome, type InputSource, outputLimitMessage, USER_FILE } from './engine'
import { buildTestProgram, parseHarnessOutput } from './harness'
import { OutputSink } from './output-sink'
import { PYTHON_DRIVER } from './python-driver'
import { ReportLineFilter } from './report-filter'
import type { OutputStream, RunStatus } from './run'
import type { TestOutcome } from './test-result'
import { SIGINT, type WorkerRunRequest } from './worker-protocol'

/**
 * Pass to loadPyodide: unbuffered streams hand every write to the runner at once, so a print
 * without a newline shows up and a stopped program has shown everything it printed.
 */
export const PYTHON_LOAD_OPTIONS = { env: { PYTHONUNBUFFERED: '1' } }

const HARNESS_FILE = 'duet_tests.py'
/** The prompt handed to the page: the end of the line the program printed before input(). */
const PROMPT_CHARS = 200

const EOF_MESSAGE = {
  text: 'No more input: type what the program reads into the stdin box, one line per input() call, and run it again.',
  interactive: 'No more input: the input was closed.',
} satisfies Record<InputSource['kind'], string>

/** What the driver's run() returns; anything else means the interpreter is broken. */
const DriverOutcomeSchema = z.enum(['ok', 'error', 'interrupted'])
type DriverOutcome = z.infer<typeof DriverOutcomeSchema>

export interface PythonRunIo extends EngineIo {
  input: InputSource
}

export interface PythonEngine {
  /** Runs one program with fresh globals; synchronous, like Python itself. */
  run(request: WorkerRunRequest, io: PythonRunIo): EngineOutcome
}

/**
 * Python on a loaded Pyodide. `interruptBuffer` is the one the page writes SIGINT to (shared when
 * cross-origin isolated); the engine also writes to it to stop a program that passed the output
 * limit. The page clears it before each run and the engine after, never at a run's start: a Stop
 * pressed while the run was on its way to the worker must still stop it. Stdout and stderr are
 * decoded from raw writes.
 */
export function createPythonEngine(pyodide: PyodideAPI, interruptBuffer: Int32Array): PythonEngine {
  let current: PythonRun | null = null
  // CPython reads index 0 of the interrupt buffer every few dozen steps (and writes 0 back after a
  // signal). Given this view instead of the buffer, those reads become a heartbeat while a program
  // computes: a batch of output goes out on time even if the program prints nothing more, so a
  // program stopped by replacing its worker has shown all it printed.
  // The write back only replaces the value that was read: a SIGINT the page stored in between
  // (Stop pressed just after a check) must survive until the next check.
  let lastRead = 0
  const signals = {
    get 0(): number {
      current?.tick()
      lastRead = Atomics.load(interruptBuffer, 0)
      return lastRead
    },
    set 0(value: number) {
      Atomics.compareExchange(interruptBuffer, 0, lastRead, value)
    },
  }
  const interrupt = () => Atomics.store(interruptBuffer, 0, SIGINT)
  const writer = (stream: OutputStream) => ({
    write: (buffer: Uint8Array) => {
      current?.write(stream, buffer)
      return buffer.length
    },
  })
  const stdin = {
    read: (buffer: Uint8Array) => {
      const read = current ? current.read(buffer) : 0
      // Stopped while waiting for input: raise the KeyboardInterrupt the page asked for, here.
      if (read === 'cancelled') pyodide.checkInterrupt()
      return read === 'cancelled' ? 0 : read
    },
  }
  // Again before every run: a program can reach these through the pyodide_js module.
  const attach = () => {
    pyodide.setInterruptBuffer(signals as unknown as Int32Array)
    pyodide.setStdout(writer('stdout'))
    pyodide.setStderr(writer('stderr'))
    pyodide.setStdin(stdin)
  }
  attach()
  const driverGlobals = pyodide.globals.get('dict')()
  pyodide.runPython(PYTHON_DRIVER, { globals: driverGlobals, filename: '<duet-driver>' })
  const runDriver = driverGlobals.get('run') as (code: string, filename: string, eofMessage: string) => unknown

  return {
    run(request, io) {
      const testing = request.tests !== undefined
      let program: string
      try {
        program = testing
          ? buildTestProgram({
              language: 'python',
              code: request.code,
              entryFunction: request.entryFunction ?? '',
              tests: request.tests ?? [],
            })
          : request.code
      } catch (error) {
        return failed(error instanceof Error ? error.message : String(error), false)
      }
      const run = new PythonRun(io, request.outputLimitBytes, testing, interrupt)
      const started = io.now()
      let outcome: DriverOutcome | 'failed'
      let failure = ''
      try {
        attach()
        current = run
        const returned = DriverOutcomeSchema.safeParse(
          runDriver(program, testing ? HARNESS_FILE : USER_FILE.python, EOF_MESSAGE[io.input.kind]),
        )
        outcome = returned.success ? returned.data : 'failed'
        if (!returned.success) failure = 'the driver returned something unexpected'
      } catch (error) {
        // The driver catches everything the program raises; only a stop that lands in the driver
        // itself or a broken interpreter gets here.
        if (isKeyboardInterrupt(error)) outcome = 'interrupted'
        else {
          outcome = 'failed'
          failure = error instanceof Error ? error.message : String(error)
        }
      } finally {
        current = null
        // A stop that came too late for this run must not stop the next one.
        Atomics.store(interruptBuffer, 0, 0)
      }
      const durationMs = Math.max(0, io.now() - started)
      const tests = run.finish()
      if (outcome === 'failed')
        return failed(`The Python runtime failed and is restarting: ${failure}`, true, durationMs)
      let status: RunStatus = outcome === 'interrupted' ? 'stopped' : outcome
      if (run.limitReached) status = 'output-limit'
      else if (testing && status === 'ok' && tests === null) status = 'error'
      return {
        result: {
          status,
          durationMs,
          tests,
          ...(status === 'output-limit' ? { message: outputLimitMessage(request.outputLimitBytes) } : {}),
        },
        restart: false,
      }
    },
  }
}

function failed(message: string, restart: boolean, durationMs = 0): EngineOutcome {
  return { result: { status: 'error', durationMs, tests: null, message }, restart }
}

function isKeyboardInterrupt(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && error.type === 'KeyboardInterrupt'
}

/** One run's output and input. */
class PythonRun {
  private readonly sink: OutputSink
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
  private readonly filter: ReportLineFilter | null
  private promptLine = ''
  private stdinTaken = false
  /** Bytes of the current line that sys.stdin has not read yet. */
  private unread: Uint8Array | null = null

  constructor(
    private readonly io: PythonRunIo,
    limitBytes: number,
    testing: boolean,
    private readonly interrupt: () => void,
  ) {
    this.sink = new OutputSink({ limitBytes, post: io.post, now: io.now, tail: io.tail, onLimit: interrupt })
    this.filter = testing ? new ReportLineFilter() : null
  }

  get limitReached(): boolean {
    return this.sink.limitReached
  }

  tick(): void {
    this.sink.tick()
  }

  write(stream: OutputStream, buffer: Uint8Array): void {
    if (this.sink.limitReached) {
      // The program caught the first KeyboardInterrupt and printed on: ask again.
      this.interrupt()
      return
    }
    // A huge write is cut before decoding; test runs keep it whole, as it may carry the report.
    const room = this.sink.roomBytes + 4
    const bytes = this.filter === null && buffer.length > room ? buffer.subarray(0, room) : buffer
    this.show(stream, this.decoders[stream].decode(bytes, { stream: true }))
  }

  /** Fills sys.stdin's buffer; 0 is the end of input. */
  read(buffer: Uint8Array): number | 'cancelled' {
    if (this.unread === null) {
      const line = this.nextInput()
      if (line === null || line === 'cancelled') return line ?? 0
      this.unread = new TextEncoder().encode(line)
    }
    const length = Math.min(buffer.length, this.unread.length)
    buffer.set(this.unread.subarray(0, length))
    this.unread = length < this.unread.length ? this.unread.subarray(length) : null
    return length
  }

  /** The stdin box's whole text, or the next line asked of the user with its newline; null at the end. */
  private nextInput(): string | null | 'cancelled' {
    const input = this.io.input
    if (input.kind === 'text') {
      if (this.stdinTaken || input.text === '') return null
      this.stdinTaken = true
      return input.text
    }
    this.sink.flush()
    const reply = input.read(this.promptLine)
    if (reply.kind !== 'line') return reply.kind === 'eof' ? null : 'cancelled'
    // Echoed like a terminal, so the output reads as the whole conversation.
    this.show('stdout', `${reply.text}\n`)
    return `${reply.text}\n`
  }

  /** Ends the run's output; returns what each test returned when the harness reported it. */
  finish(): TestOutcome[] | null {
    this.show('stdout', this.decoders.stdout.decode())
    this.show('stderr', this.decoders.stderr.decode())
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

  private show(stream: OutputStream, text: string): void {
    const shown = stream === 'stdout' && this.filter ? this.filter.push(text) : text
    if (shown === '') return
    if (stream === 'stdout') {
      const newline = shown.lastIndexOf('\n')
      this.promptLine = (newline === -1 ? this.promptLine + shown : shown.slice(newline + 1)).slice(-PROMPT_CHARS)
    }
    this.sink.write(stream, shown)
  }
}
