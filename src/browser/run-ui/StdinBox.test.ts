import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import StdinBox from './StdinBox.vue'

describe('the stdin box', () => {
  it('is labelled for what it does and binds its text', async () => {
    const w = mount(StdinBox, {
      props: { modelValue: '', 'onUpdate:modelValue': (v: string) => w.setProps({ modelValue: v }), idPrefix: 'x' },
    })
    const field = w.find<HTMLTextAreaElement>('[data-testid="x-stdin"]')
    const label = w.find('label')
    expect(label.text()).toBe('Input for input(), one line per call')
    expect(label.attributes('for')).toBe(field.attributes('id'))
    await field.setValue('3\n4\n')
    expect(w.props('modelValue')).toBe('3\n4\n')
  })
})
