import type { VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router
let twoSumId: number

beforeEach(async () => {
  host = startRealHost()
  const page = await host.api.problems.list({ text: 'two sum' })
  twoSumId = page.items[0]?.id ?? 0
  ;({ wrapper, router } = await mountApp(host.api, `/problems/${twoSumId}`))
  await eventually(() => expect(wrapper.find(tid('problem-title')).exists()).toBe(true))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('a problem in detail', () => {
  it('shows its facts, Markdown, tests and code', () => {
    expect(wrapper.find(tid('problem-title')).text()).toBe('Two Sum')
    expect(wrapper.find(tid('difficulty-badge')).text()).toBe('junior')
    expect(wrapper.text()).toContain('hashing')
    expect(wrapper.find(tid('problem-slug')).text()).toBe('two-sum')
    // Only text here: DOMPurify does not support happy-dom (cure53/DOMPurify#1457), so the HTML
    // structure of rendered Markdown is checked in a real browser by the e2e tests.
    const description = wrapper.find(tid('problem-description')).text()
    expect(description).toContain('Return the indices of the two numbers that add up to target.')
    expect(description).not.toContain('#')
    expect(description).not.toContain('`')

    const rows = wrapper.findAll(tid('test-row'))
    expect(rows).toHaveLength(2)
    expect(rows[0]?.text()).toContain('Visible')
    expect(rows[1]?.find(tid('test-hidden')).text()).toBe('Hidden')
    expect(rows[1]?.text()).toContain('[[-3,4,3,90],0]')

    const starter = wrapper.find(tid('problem-starter')).find('textarea')
    expect(starter.element.value).toContain('def two_sum')
    expect(starter.attributes('readonly')).toBeDefined()
    expect(wrapper.find(tid('problem-solution')).find('textarea').element.value).toContain('seen = {}')
  })

  it('switches the code to another language', async () => {
    await wrapper.find(tid('tab-javascript')).trigger('click')
    expect(wrapper.find(tid('problem-starter')).find('textarea').element.value).toContain('function two_sum')
  })

  it('deletes only after the user confirms', async () => {
    await wrapper.find(tid('problem-delete')).trigger('click')
    const dialog = wrapper.find<HTMLDialogElement>(tid('confirm-dialog'))
    await eventually(() => expect(dialog.element.open).toBe(true))
    expect(dialog.text()).toContain('Two Sum')

    await wrapper.find(tid('confirm-no')).trigger('click')
    await eventually(() => expect(dialog.element.open).toBe(false))
    await expect(host.api.problems.get({ id: twoSumId })).resolves.toMatchObject({ title: 'Two Sum' })

    await wrapper.find(tid('problem-delete')).trigger('click')
    await wrapper.find(tid('confirm-yes')).trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('problems'))
    await expect(host.api.problems.get({ id: twoSumId })).rejects.toMatchObject({ code: 'not-found' })
    await eventually(() => expect(wrapper.findAll(tid('problem-row'))).toHaveLength(2))
  })

  it('duplicates the problem and opens the copy', async () => {
    await wrapper.find(tid('problem-duplicate')).trigger('click')
    await eventually(() => expect(router.currentRoute.value.params.id).not.toBe(String(twoSumId)))
    await eventually(() => expect(wrapper.find(tid('problem-slug')).text()).not.toBe('two-sum'))
    const page = await host.api.problems.list({ text: 'two sum' })
    expect(page.total).toBe(2)
  })

  it('says so when the problem does not exist', async () => {
    await router.push('/problems/9999')
    await eventually(() => expect(wrapper.find(tid('problem-load-error')).exists()).toBe(true))
  })
})
