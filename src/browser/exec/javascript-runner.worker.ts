import { runJavaScript, type JavaScriptEnvironment } from '../../shared/exec/javascript-engine'
import { OutputTailWriter } from '../../shared/exec/output-tail'
import { internalFailure } from '../../shared/exec/worker-protocol'
import { connectToPage } from './worker-scope'

/** Errors that escape the program: the worker's error and unhandledrejection events. */
const environment: JavaScriptEnvironment = {
  global: self,
  onUncaught(listener) {
    const onError = (event: ErrorEvent) => {
      event.preventDefault()
      listener(event.error ?? event.message, false)
    }
    const onRejection = (event: PromiseRejectionEvent) => {
      event.preventDefault()
      listener(event.reason, true)
    }
    self.addEventListener('error', onError)
    self.addEventListener('unhandledrejection', onRejection)
    return () => {
      self.removeEventListener('error', onError)
      self.removeEventListener('unhandledrejection', onRejection)
    }
  },
}

/**
 * Each run gets a fresh worker, loaded ahead of the click. A tiny program through the same path
 * before saying ready compiles the engine's code, so the user's run does not pay for it.
 */
function warmUp(ready: () => void): void {
  try {
    runJavaScript(
      { language: 'javascript', code: 'console.log(0)', outputLimitBytes: 1024 },
      { post: () => {}, now: () => performance.now(), done: ready },
      environment,
    )
  } catch {
    ready()
  }
}

let tail: OutputTailWriter | null = null

const post = connectToPage(
  (message) => {
    if (message.type === 'init') {
      tail = message.outputTail ? new OutputTailWriter(message.outputTail) : null
      warmUp(() => post({ type: 'ready' }))
      return
    }
    const { runId, request } = message
    tail?.begin(runId)
    try {
      runJavaScript(
        request,
        {
          post: (chunks) => post({ type: 'output', runId, chunks }),
          now: () => performance.now(),
          ...(tail ? { tail } : {}),
          done: (outcome) => post({ type: 'done', runId, ...outcome }),
        },
        environment,
      )
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      post(internalFailure(runId, `The JavaScript runner failed: ${reason}`))
    }
  },
  (runId) => post(internalFailure(runId, 'The JavaScript runner could not read this run’s request.')),
)
