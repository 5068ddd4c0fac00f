import { describe, expect, it } from 'vitest'
import { isRunShortcut, runShortcutLabel } from './shortcut'

describe('the run shortcut', () => {
  it('is Ctrl+Enter or Cmd+Enter, and nothing else', () => {
    const key = (init: KeyboardEventInit): boolean => isRunShortcut(new KeyboardEvent('keydown', init))
    expect(key({ key: 'Enter', ctrlKey: true })).toBe(true)
    expect(key({ key: 'Enter', metaKey: true })).toBe(true)
    expect(key({ key: 'Enter' })).toBe(false)
    expect(key({ key: 'Enter', ctrlKey: true, shiftKey: true })).toBe(false)
    expect(key({ key: 'e', ctrlKey: true })).toBe(false)
  })

  it('reads as the machine writes it', () => {
    expect(runShortcutLabel('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)')).toBe('⌘ Enter')
    expect(runShortcutLabel('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Ctrl+Enter')
  })
})
