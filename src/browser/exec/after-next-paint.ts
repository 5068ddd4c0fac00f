/** Longest wait for a frame: a hidden page draws none, and what waits must still happen. */
const FRAME_WAIT_LIMIT_MS = 100

/**
 * Runs `callback` once the page has drawn its next frame (in a task after it), or after
 * `FRAME_WAIT_LIMIT_MS` when no frame comes. For work that must not delay what the user is about
 * to see.
 */
export function afterNextPaint(callback: () => void): void {
  let called = false
  const call = (): void => {
    if (called) return
    called = true
    callback()
  }
  requestAnimationFrame(() => setTimeout(call, 0))
  setTimeout(call, FRAME_WAIT_LIMIT_MS)
}
