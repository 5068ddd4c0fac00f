/** Ctrl+Enter, or Cmd+Enter on a Mac: runs the code from anywhere on the page. */
export function isRunShortcut(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey
}

/** How the shortcut reads on this machine, for button hints. */
export function runShortcutLabel(userAgent = navigator.userAgent): string {
  return /Mac|iPhone|iPad/.test(userAgent) ? '⌘ Enter' : 'Ctrl+Enter'
}
