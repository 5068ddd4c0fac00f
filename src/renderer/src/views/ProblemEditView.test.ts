import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router

const field = (id: string): DOMWrapper<HTMLInputElement> => wrapper.find<HTMLInputElement>(tid(id))
const errorOf = (inputId: string): string => wrapper.find(`#${inputId}-error`).text()
const testRows = (): DOMWrapper<Element>[] => wrapper.findAll(tid('test-case'))

async function open(path: string): Promise<void> {
  ;({ wrapper, router } = await mountApp(host.api, path))
  await eventually(() => expect(wrapper.find(tid('problem-form')).exists()).toBe(true))
}

async function save(): Promise<void> {
  await wrapper.find(tid('problem-save')).trigger('click')
}

beforeEach(() => {
  host = startRealHost()
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('creating a problem', () => {
  beforeEach(() => open('/problems/new'))

  it('shows the host’s validation errors next to each field and in a summary', async () => {
    await field('field-slug').setValue('Bad Slug!')
    await field('field-entry').setValue('2fast')
    await field('field-tags').setValue('ok, bad{tag}')
    await save()

    await eventually(() => expect(wrapper.find(tid('form-errors')).exists()).toBe(true))
    expect(errorOf('pf-title')).toContain('must not be empty')
    expect(errorOf('pf-slug')).toContain('lowercase letters')
    expect(errorOf('pf-entryFunction')).toContain('must be a function name')
    expect(errorOf('pf-tags')).toContain('may hold letters')
    expect(errorOf('pf-starterCode')).toContain('at least one language')
    expect(field('field-title').attributes('aria-invalid')).toBe('true')

    const summary = wrapper.find(tid('form-errors')).text()
    expect(summary).toContain('Title: must not be empty')
    expect(summary).toContain('Tag 2:')
    expect(summary).toContain('Entry function:')
    expect(router.currentRoute.value.name).toBe('problem-new')
    expect((await host.api.problems.list({})).total).toBe(3)
  })

  it('puts a host error about a test on that test’s field', async () => {
    await field('field-title').setValue('Nameless test')
    await field('field-entry').setValue('solve')
    await wrapper.find(tid('field-starter-python')).find('textarea').setValue('def solve():\n    pass\n')
    await testRows()[0]?.find(tid('test-name')).setValue('   ')
    await save()

    await eventually(() => expect(wrapper.find(tid('form-errors')).exists()).toBe(true))
    expect(errorOf('pf-tests-0-name')).toContain('must not be empty')
    expect(wrapper.find(tid('form-errors')).text()).toContain('Test 1 › name: must not be empty')
  })

  it('shows invalid JSON right at the test field and does not save', async () => {
    const row = testRows()[0]
    await row?.find(tid('test-args')).setValue('[1, 2')
    await row?.find(tid('test-expected')).setValue('{"a": }')
    expect(errorOf('pf-tests-0-args')).toContain('not valid JSON')
    expect(errorOf('pf-tests-0-expected')).toContain('not valid JSON')

    await row?.find(tid('test-args')).setValue('{"not": "an array"}')
    expect(errorOf('pf-tests-0-args')).toContain('must be a JSON array')

    await save()
    expect(wrapper.find(tid('form-errors')).text()).toContain('Some tests are not valid JSON.')
    expect(wrapper.find(tid('form-errors')).text()).toContain('Test 1 › arguments')
    expect((await host.api.problems.list({})).total).toBe(3)
  })

  it('suggests the slug from the title until the user edits it', async () => {
    await field('field-title').setValue('Reverse a String!')
    expect(field('field-slug').element.value).toBe('reverse-a-string')
    await field('field-slug').setValue('my-slug')
    await field('field-title').setValue('Something else')
    expect(field('field-slug').element.value).toBe('my-slug')
  })

  it('adds, reorders and removes tests', async () => {
    await wrapper.find(tid('test-add')).trigger('click')
    await wrapper.find(tid('test-add')).trigger('click')
    expect(testRows()).toHaveLength(3)
    await testRows()[0]?.find(tid('test-name')).setValue('first')
    await testRows()[2]?.find(tid('test-name')).setValue('last')

    await testRows()[0]?.find(tid('test-move-down')).trigger('click')
    expect(testRows().map((r) => r.find<HTMLInputElement>(tid('test-name')).element.value)).toEqual([
      'test 2',
      'first',
      'last',
    ])
    await testRows()[2]?.find(tid('test-move-up')).trigger('click')
    await testRows()[0]?.find(tid('test-remove')).trigger('click')
    expect(testRows().map((r) => r.find<HTMLInputElement>(tid('test-name')).element.value)).toEqual(['last', 'first'])
  })

  it('saves a valid problem, opens it and lists it in the bank', async () => {
    await field('field-title').setValue('Reverse String')
    await field('field-difficulty').setValue('middle')
    await field('field-tags').setValue('strings, two pointers')
    await wrapper.find(tid('field-description')).setValue('Reverse **s**.')
    expect(wrapper.find(tid('description-preview')).text()).toContain('Reverse s.')
    await field('field-entry').setValue('reverse')
    await field('field-timeout').setValue('5000')
    await wrapper.find(tid('field-starter-python')).find('textarea').setValue('def reverse(s):\n    pass\n')
    await wrapper.find(tid('field-solution-python')).find('textarea').setValue('def reverse(s):\n    return s[::-1]\n')
    await wrapper.find(tid('tab-javascript')).trigger('click')
    await wrapper.find(tid('field-starter-javascript')).find('textarea').setValue('function reverse(s) {}\n')

    const first = testRows()[0]
    await first?.find(tid('test-name')).setValue('word')
    await first?.find(tid('test-args')).setValue('["abc"]')
    await first?.find(tid('test-expected')).setValue('"cba"')
    await wrapper.find(tid('test-add')).trigger('click')
    const second = testRows()[1]
    await second?.find(tid('test-args')).setValue('[""]')
    await second?.find(tid('test-expected')).setValue('""')
    await second?.find(tid('test-hidden')).setValue(true)
    await save()

    await eventually(() => expect(router.currentRoute.value.name).toBe('problem'))
    await eventually(() => expect(wrapper.find(tid('problem-title')).text()).toBe('Reverse String'))
    const saved = await host.api.problems.get({ id: Number(router.currentRoute.value.params.id) })
    expect(saved).toMatchObject({
      slug: 'reverse-string',
      difficulty: 'middle',
      tags: ['strings', 'two pointers'],
      description: 'Reverse **s**.',
      entryFunction: 'reverse',
      timeoutMs: 5000,
      starterCode: { python: 'def reverse(s):\n    pass\n', javascript: 'function reverse(s) {}\n' },
      solution: { python: 'def reverse(s):\n    return s[::-1]\n', javascript: '' },
      tests: [
        { name: 'word', args: ['abc'], expected: 'cba', hidden: false },
        { name: 'test 2', args: [''], expected: '', hidden: true },
      ],
    })

    await wrapper.find(tid('nav-bank')).trigger('click')
    await eventually(() => expect(wrapper.findAll(tid('problem-row'))).toHaveLength(4))
  })

  it('reports a slug that is already taken at the slug field', async () => {
    await field('field-title').setValue('Two Sum')
    await field('field-entry').setValue('two_sum')
    await wrapper.find(tid('field-starter-python')).find('textarea').setValue('def two_sum(a, b):\n    pass\n')
    await save()
    await eventually(() => expect(wrapper.find(tid('form-errors')).exists()).toBe(true))
    expect(errorOf('pf-slug')).not.toBe('')
    expect(wrapper.find(tid('form-errors')).text()).toContain('two-sum')
  })
})

describe('editing a problem', () => {
  let id: number

  beforeEach(async () => {
    id = (await host.api.problems.list({ text: 'two sum' })).items[0]?.id ?? 0
    await open(`/problems/${id}/edit`)
  })

  it('starts from the saved problem', () => {
    expect(field('field-title').element.value).toBe('Two Sum')
    expect(field('field-slug').element.value).toBe('two-sum')
    expect(field('field-tags').element.value).toBe('arrays, hashing')
    expect(testRows()).toHaveLength(2)
    expect(testRows()[0]?.find<HTMLTextAreaElement>(tid('test-args')).element.value).toBe('[[2,7,11,15],9]')
    expect(testRows()[1]?.find<HTMLInputElement>(tid('test-hidden')).element.checked).toBe(true)
  })

  it('saves changes, keeping the slug when the title changes', async () => {
    await field('field-title').setValue('Two Sum, Revisited')
    expect(field('field-slug').element.value).toBe('two-sum')
    await testRows()[1]?.find(tid('test-move-up')).trigger('click')
    await testRows()[1]?.find(tid('test-remove')).trigger('click')
    await save()

    await eventually(() => expect(wrapper.find(tid('problem-title')).text()).toBe('Two Sum, Revisited'))
    expect(router.currentRoute.value.params.id).toBe(String(id))
    const saved = await host.api.problems.get({ id })
    expect(saved.title).toBe('Two Sum, Revisited')
    expect(saved.slug).toBe('two-sum')
    expect(saved.tests).toEqual([{ name: 'negatives', args: [[-3, 4, 3, 90], 0], expected: [0, 2], hidden: true }])
  })
})
