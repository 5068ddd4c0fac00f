import { beforeAll, describe, expect, it, vi } from 'vitest'
import { hostMethodNames } from '../shared/host-api'
import { IPC_EVENT_CHANNEL, ipcChannelOf } from '../shared/preload-api'
import { contextBridge, ipcRenderer } from './test-support/fake-electron'
import { recordSecurityCheck } from './test-support/security-record'

vi.mock('electron', () => import('./test-support/fake-electron'))

type Exposed = Record<string, unknown>

let duet: Exposed

beforeAll(async () => {
  await import('../preload/index')
  expect([...contextBridge.exposed.keys()]).toEqual(['duet'])
  duet = contextBridge.exposed.get('duet') as Exposed
})

/** Every path to a value in the exposed object, e.g. `problems.list`, `on`. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  // Own keys of every kind: a symbol or a non-enumerable property would still cross the bridge.
  return Reflect.ownKeys(value).flatMap((key) => {
    const name = typeof key === 'symbol' ? key.toString() : key
    return leafPaths((value as Exposed)[name], prefix ? `${prefix}.${name}` : name)
  })
}

describe('the preload', () => {
  it('exposes exactly one function per host method, and `on`: no ipcRenderer, no generic invoke', () => {
    const paths = leafPaths(duet)
    expect(paths.sort()).toEqual([...hostMethodNames, 'on'].sort())
    for (const path of paths) {
      const fn = path.split('.').reduce<unknown>((object, key) => (object as Exposed)[key], duet)
      expect(typeof fn, path).toBe('function')
    }
    expect(Object.getPrototypeOf(duet)).toBe(Object.prototype)
    recordSecurityCheck(
      'Preload surface',
      `listed every property reachable from window.duet and compared with the ${hostMethodNames.length} host methods`,
      'nothing: exactly the named host methods and on(); no ipcRenderer, send or generic invoke',
      { exposed: paths.length },
    )
  })

  it('sends each method on its own channel with the input only', async () => {
    ipcRenderer.invoked.splice(0)
    for (const method of hostMethodNames) {
      const [namespace = '', name = ''] = method.split('.')
      const call = (duet[namespace] as Record<string, (input: unknown) => Promise<unknown>>)[name]
      await call?.({ method })
    }
    expect(ipcRenderer.invoked).toEqual(
      hostMethodNames.map((method) => ({ channel: ipcChannelOf(method), args: [{ method }] })),
    )
  })

  it('hands a host event’s payload to the page, never Electron’s event object', () => {
    const on = duet['on'] as (event: string, handler: (...args: unknown[]) => void) => () => void
    const received: unknown[][] = []
    const off = on('problems.changed', (...args) => received.push(args))
    ipcRenderer.deliver(IPC_EVENT_CHANNEL, 'problems.changed', { ids: [7] })
    ipcRenderer.deliver(IPC_EVENT_CHANNEL, 'settings.changed', { key: 'x' })
    off()
    ipcRenderer.deliver(IPC_EVENT_CHANNEL, 'problems.changed', { ids: [8] })
    expect(received).toEqual([[{ ids: [7] }]])
    expect(ipcRenderer.listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0)
  })
})
