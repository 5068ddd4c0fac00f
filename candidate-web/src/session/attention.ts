/**
 * Calls `onChange` when the candidate leaves the page (another tab, another window, the page
 * hidden) or comes back. Blur and focus catch a second window over the browser; visibility
 * catches a tab switch even where the window keeps focus.
 */
export function trackAttention(win: Window, onChange: (focused: boolean) => void): () => void {
  let focused = win.document.visibilityState !== 'hidden'
  const set = (next: boolean): void => {
    if (next === focused) return
    focused = next
    onChange(next)
  }
  const onBlur = (): void => set(false)
  const onFocus = (): void => set(true)
  const onVisibility = (): void => set(win.document.visibilityState !== 'hidden')
  win.addEventListener('blur', onBlur)
  win.addEventListener('focus', onFocus)
  win.document.addEventListener('visibilitychange', onVisibility)
  return () => {
    win.removeEventListener('blur', onBlur)
    win.removeEventListener('focus', onFocus)
    win.document.removeEventListener('visibilitychange', onVisibility)
  }
}
