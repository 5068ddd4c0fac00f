import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import RuntimeLoadingBar from './RuntimeLoadingBar.vue'

const tid = (id: string): string => `[data-testid="${id}"]`

describe('the runtime loading bar', () => {
  it('shows progress while the runtime loads, and nothing once it is ready', async () => {
    const w = mount(RuntimeLoadingBar, {
      props: { status: { state: 'loading', progress: 0.456, error: null }, runtime: 'Python', idPrefix: 'x' },
    })
    expect(w.find(tid('x-runtime')).attributes('role')).toBe('status')
    expect(w.find(tid('x-runtime')).text()).toBe('Loading Python… 46%')
    expect(w.find<HTMLProgressElement>(tid('x-runtime-progress')).attributes('value')).toBe('46')

    await w.setProps({ status: { state: 'loading', progress: null, error: null } })
    expect(w.find(tid('x-runtime')).text()).toBe('Loading Python…')
    expect(w.find(tid('x-runtime-progress')).attributes('value')).toBeUndefined()

    await w.setProps({ status: { state: 'ready', progress: 1, error: null } })
    expect(w.find(tid('x-runtime')).exists()).toBe(false)
    await w.setProps({ status: { state: 'running', progress: 1, error: null } })
    expect(w.find(tid('x-runtime')).exists()).toBe(false)
  })

  it('says why the runtime failed to load and how to try again', async () => {
    const w = mount(RuntimeLoadingBar, {
      props: {
        status: { state: 'failed', progress: null, error: 'The file pyodide.asm.wasm could not be downloaded.' },
        runtime: 'Python',
        retryHint: 'Press Run to try again.',
      },
    })
    const failed = w.find(tid('run-runtime'))
    expect(failed.attributes('role')).toBe('alert')
    expect(failed.attributes('data-state')).toBe('failed')
    expect(w.find(tid('run-runtime-error')).text()).toBe(
      'Python could not load, so code cannot run yet (your code is kept). The file pyodide.asm.wasm could not be downloaded. Press Run to try again.',
    )
  })
})
