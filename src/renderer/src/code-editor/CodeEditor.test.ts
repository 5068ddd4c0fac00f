import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hostPlugin } from '../host'
import { startRealHost, type RealHost } from '../test-support/real-host'
import CodeEditor from './CodeEditor.vue'
import { codeEditorModeKey, type CodeEditorMode } from './mode'

// Monaco needs a real browser; here its loader fails, as it would if its files were missing.
vi.mock('./load-monaco', () => ({ loadMonaco: () => Promise.reject(new Error('no Monaco here')) }))

let host: RealHost

beforeEach(() => {
  host = startRealHost()
})

afterEach(() => host.dispose())

function mountEditor(mode: CodeEditorMode, props: { modelValue: string; readOnly?: boolean }) {
  return mount(CodeEditor, {
    props: { language: 'python', label: 'Starter code', ...props },
    global: { plugins: [[hostPlugin, host.api], createPinia()], provide: { [codeEditorModeKey]: mode } },
  })
}

describe('the code editor', () => {
  it('is a textarea with the same v-model in plain mode', async () => {
    const editor = mountEditor('plain', { modelValue: 'x = 1' })
    const textarea = editor.find('textarea')
    expect(textarea.element.value).toBe('x = 1')
    expect(textarea.attributes('aria-label')).toBe('Starter code')
    await textarea.setValue('x = 2')
    expect(editor.emitted('update:modelValue')).toEqual([['x = 2']])
    await editor.setProps({ modelValue: 'y = 3' })
    expect(textarea.element.value).toBe('y = 3')
  })

  it('can be read-only', () => {
    const editor = mountEditor('plain', { modelValue: 'x', readOnly: true })
    expect(editor.find('textarea').attributes('readonly')).toBeDefined()
  })

  it('falls back to the textarea when Monaco cannot load', async () => {
    const editor = mountEditor('monaco', { modelValue: 'print(1)' })
    expect(editor.find('textarea').exists()).toBe(false)
    await flushPromises()
    expect(editor.find('textarea').element.value).toBe('print(1)')
  })
})
