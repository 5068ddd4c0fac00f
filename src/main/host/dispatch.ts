import { HostError, type HostReply } from '../../shared/host-errors'
import { hostMethods, isHostMethodName, type HostHandlers } from '../../shared/host-api'
import { parseWith } from '../../shared/validation'

export type Dispatch = (method: unknown, input: unknown) => Promise<HostReply>

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/**
 * The one entry point every adapter (Electron IPC, the browser bridge, tests) calls: it checks
 * the method name, parses the input with the contract's schema and turns failures into replies.
 */
export function createDispatch(handlers: HostHandlers, log: (message: string, error: unknown) => void): Dispatch {
  return async (method, input) => {
    if (!isHostMethodName(method)) {
      return { ok: false, error: { code: 'not-found', message: `Unknown host method: ${String(method)}`, issues: [] } }
    }
    const parsed = parseWith(hostMethods[method].input, input)
    if (!parsed.ok) {
      const error = new HostError('invalid-input', 'Some fields are not valid.', parsed.issues)
      return { ok: false, error: error.toShape() }
    }
    try {
      const handler = handlers[method] as (input: unknown) => unknown
      return { ok: true, value: await handler(parsed.value) }
    } catch (error) {
      if (error instanceof HostError) return { ok: false, error: error.toShape() }
      if (isUniqueViolation(error)) {
        return { ok: false, error: { code: 'conflict', message: 'That value is already taken.', issues: [] } }
      }
      log(`host method ${method} failed`, error)
      return { ok: false, error: { code: 'internal', message: `Something went wrong in ${method}.`, issues: [] } }
    }
  }
}
