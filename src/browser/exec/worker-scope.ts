import { ToWorkerSchema, type FromWorker, type ToWorker } from '../../shared/exec/worker-protocol'

/**
 * The worker's end of the line to its page. postMessage is taken here and then removed from the
 * global scope, so the program being run cannot post messages of its own (a forged "done" with
 * every hidden test passed, on the interviewer's machine).
 */
export function connectToPage(onMessage: (message: ToWorker) => void): (message: FromWorker) => void {
  const post = self.postMessage.bind(self)
  for (let scope: object | null = self; scope !== null; scope = Object.getPrototypeOf(scope) as object | null) {
    if (Object.hasOwn(scope, 'postMessage')) Reflect.deleteProperty(scope, 'postMessage')
  }
  self.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = ToWorkerSchema.safeParse(event.data)
    if (parsed.success) onMessage(parsed.data)
    else console.error('Runner worker: dropped a malformed message from the page', parsed.error)
  })
  return (message) => post(message)
}
