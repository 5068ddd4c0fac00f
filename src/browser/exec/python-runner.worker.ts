import type { InputSource } from '../../shared/exec/engine'
import { InputChannelReader } from '../../shared/exec/input-channel'
import { OutputTailWriter } from '../../shared/exec/output-tail'
import { createPythonEngine, type PythonEngine } from '../../shared/exec/python-engine'
import { internalFailure, type FromWorker, type ToWorker } from '../../shared/exec/worker-protocol'
import { loadPyodideWithProgress, pyodideIndexUrl } from './pyodide-loader'
import { connectToPage } from './worker-scope'

let engine: PythonEngine | null = null
let inputReader: InputChannelReader | null = null
let tail: OutputTailWriter | null = null

async function load(init: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  // Without isolation the page cannot write to it; the engine still uses it to stop a flood.
  const interruptBuffer = new Int32Array(init.interruptBuffer ?? new ArrayBuffer(4))
  inputReader = init.inputBuffer ? new InputChannelReader(init.inputBuffer) : null
  tail = init.outputTail ? new OutputTailWriter(init.outputTail) : null
  try {
    const pyodide = await loadPyodideWithProgress(pyodideIndexUrl(), (progress) => post({ type: 'progress', progress }))
    engine = createPythonEngine(pyodide, interruptBuffer)
    post({ type: 'ready' })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    post({ type: 'load-failed', message: `Python could not load: ${reason}. Reload the page to try again.` })
  }
}

/** Always ends with `done`: a failure of the runner itself ends the run with an error and a new worker. */
function run(message: Extract<ToWorker, { type: 'run' }>): void {
  let done: FromWorker
  try {
    done = runProgram(message)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    done = internalFailure(message.runId, `The Python runner failed and is restarting: ${reason}`)
  }
  post(done)
}

function runProgram({ runId, request, interactiveInput }: Extract<ToWorker, { type: 'run' }>): FromWorker {
  if (engine === null) {
    return {
      type: 'done',
      runId,
      result: { status: 'error', durationMs: 0, tests: null, message: 'Python has not finished loading.' },
      restart: false,
    }
  }
  const reader = inputReader
  const input: InputSource =
    interactiveInput && reader
      ? {
          kind: 'interactive',
          read: (prompt) => {
            reader.prepare()
            post({ type: 'input-request', runId, prompt })
            return reader.wait()
          },
        }
      : { kind: 'text', text: request.stdin ?? '' }
  tail?.begin(runId)
  const outcome = engine.run(request, {
    post: (chunks) => post({ type: 'output', runId, chunks }),
    now: () => performance.now(),
    ...(tail ? { tail } : {}),
    input,
  })
  return { type: 'done', runId, ...outcome }
}

const post = connectToPage(
  (message) => {
    if (message.type === 'init') void load(message)
    else run(message)
  },
  (runId) => post(internalFailure(runId, 'The Python runner could not read this run’s request.')),
)
