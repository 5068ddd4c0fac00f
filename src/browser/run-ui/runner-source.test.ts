import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { runnerSourceKey, useRunnerSource, type RunnerSource } from './runner-source'

const broken: RunnerSource = {
  get: () => {
    throw new ReferenceError('Worker is not defined')
  },
  preload: () => {
    throw new ReferenceError('Worker is not defined')
  },
}

describe('the runner source a view uses', () => {
  it('turns a runner that cannot be created into one that says why', async () => {
    let source: RunnerSource | null = null
    const Probe = defineComponent(() => {
      source = useRunnerSource()
      return () => h('p')
    })
    mount(Probe, { global: { provide: { [runnerSourceKey as symbol]: broken } } })
    if (!source) throw new Error('not set up')
    const safe: RunnerSource = source
    expect(() => safe.preload('python')).not.toThrow()
    const runner = safe.get('python')
    expect(runner.status()).toEqual({
      state: 'failed',
      progress: null,
      error: 'Code cannot run in this browser: Worker is not defined',
    })
    await expect(runner.ready()).rejects.toThrow('Worker is not defined')
    await expect(runner.run({ language: 'python', code: '', timeoutMs: 1000, outputLimitBytes: 10 })).rejects.toThrow(
      'Worker is not defined',
    )
  })
})
