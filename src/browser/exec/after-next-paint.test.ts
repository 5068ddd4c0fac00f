import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { afterNextPaint } from './after-next-paint'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('afterNextPaint', () => {
  it('runs the callback once, in a task after the next frame', async () => {
    const callback = vi.fn()
    afterNextPaint(callback)
    await vi.advanceTimersByTimeAsync(0)
    expect(callback).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(20)
    expect(callback).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(callback).toHaveBeenCalledTimes(1)
  })

  it('still runs it when the page draws no frame (a hidden page)', async () => {
    vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0)
    const callback = vi.fn()
    afterNextPaint(callback)
    await vi.advanceTimersByTimeAsync(99)
    expect(callback).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(callback).toHaveBeenCalledTimes(1)
  })
})
