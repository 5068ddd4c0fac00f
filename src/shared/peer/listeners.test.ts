import { afterEach, describe, expect, it, vi } from 'vitest'
import { Listeners, SerialQueue } from './listeners'

/** Collects what would be queued as microtasks, so a rethrown error can be looked at. */
function captureMicrotasks(): (() => void)[] {
  const tasks: (() => void)[] = []
  vi.stubGlobal('queueMicrotask', (task: () => void) => tasks.push(task))
  return tasks
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('listeners', () => {
  it('calls every listener even when one throws, and rethrows the error on its own', () => {
    const tasks = captureMicrotasks()
    const listeners = new Listeners<[value: number]>()
    const seen: number[] = []
    listeners.add(() => {
      throw new Error('listener bug')
    })
    listeners.add((value) => seen.push(value))
    listeners.emit(1)
    expect(seen).toEqual([1])
    expect(tasks).toHaveLength(1)
    expect(() => tasks[0]?.()).toThrow('listener bug')
  })

  it('stops calling a listener once removed', () => {
    const listeners = new Listeners<[]>()
    let calls = 0
    const remove = listeners.add(() => calls++)
    listeners.emit()
    remove()
    listeners.emit()
    expect(calls).toBe(1)
  })
})

describe('serial queue', () => {
  it('runs tasks one at a time in call order, past a failing one', async () => {
    const order: string[] = []
    const queue = new SerialQueue()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    queue.run(async () => {
      await gate
      order.push('slow')
    })
    queue.run(async () => {
      order.push('fails')
      throw new Error('task bug')
    })
    let done: () => void = () => {}
    const finished = new Promise<void>((resolve) => {
      done = resolve
    })
    queue.run(async () => {
      order.push('after')
      done()
    })
    const tasks = captureMicrotasks()
    release()
    await finished
    expect(order).toEqual(['slow', 'fails', 'after'])
    expect(
      tasks.some((task) => {
        try {
          task()
          return false
        } catch (error) {
          return error instanceof Error && error.message === 'task bug'
        }
      }),
    ).toBe(true)
  })

  it('is idle only when no task waits or runs, a failed one included', async () => {
    const queue = new SerialQueue()
    expect(queue.idle).toBe(true)
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    queue.run(() => gate)
    queue.run(() => Promise.reject(new Error('task bug')))
    expect(queue.idle).toBe(false)
    captureMicrotasks()
    release()
    await vi.waitFor(() => expect(queue.idle).toBe(true))
  })
})
