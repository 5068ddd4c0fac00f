import { parseMessage } from '../../shared/json'
import { ToWorkerSchema, type FromWorker, type ToWorker } from '../../shared/exec/worker-protocol'

/**
 * The worker's end of the line to its page. postMessage is taken here and then removed from the
 * global scope, so the program being run cannot post messages of its own (a forged "done" on the
 * interviewer's machine).
 *
 * A message from the page that does not parse is a bug of the page, not something to show the
 * user: it is dropped, and when it names a run, that run is ended with `onInvalidRun` rather than
 * left waiting for its time limit.
 */
export function connectToPage(
  onMessage: (message: ToWorker) => void,
  onInvalidRun: (runId: number) => void,
): (message: FromWorker) => void {
  const post = self.postMessage.bind(self)
  for (let scope: object | null = self; scope !== null; scope = Object.getPrototypeOf(scope) as object | null) {
    if (Object.hasOwn(scope, 'postMessage')) Reflect.deleteProperty(scope, 'postMessage')
  }
  self.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseMessage(ToWorkerSchema, event.data)
    if (message !== null) onMessage(message)
    else {
      const runId = runIdOf(event.data)
      if (runId !== null) onInvalidRun(runId)
    }
  })
  return (message) => post(message)
}

function runIdOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null || !('runId' in data)) return null
  const { runId } = data
  return typeof runId === 'number' && Number.isSafeInteger(runId) && runId >= 0 ? runId : null
}
