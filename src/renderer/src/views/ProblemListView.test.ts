import type { VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper

const titles = (): string[] => wrapper.findAll(tid('problem-row')).map((row) => row.find('.title').text())

beforeEach(async () => {
  host = startRealHost()
  ;({ wrapper } = await mountApp(host.api, '/problems'))
  await eventually(() => expect(titles()).toHaveLength(3))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('the Problem Bank list', () => {
  it('shows the starter problems with their facts and a count', () => {
    expect(titles().sort()).toEqual(['Balanced Brackets', 'Interval Scheduling', 'Two Sum'])
    expect(wrapper.find(tid('bank-count')).text()).toBe('3 problems')
    const twoSum = wrapper.findAll(tid('problem-row')).find((row) => row.text().includes('Two Sum'))
    expect(twoSum?.text()).toContain('junior')
    expect(twoSum?.text()).toContain('hashing')
    expect(twoSum?.text()).toContain('1 visible · 1 hidden tests')
    expect(twoSum?.text()).toContain('Python · JavaScript')
  })

  it('searches as the user types, after a pause', async () => {
    await wrapper.find(tid('bank-search')).setValue('bracket')
    await eventually(() => expect(titles()).toEqual(['Balanced Brackets']))
    expect(wrapper.find(tid('bank-count')).text()).toBe('1 problem')
  })

  it('searches at once on Enter', async () => {
    const search = wrapper.find(tid('bank-search'))
    await search.setValue('two sum')
    await search.trigger('keydown', { key: 'Enter' })
    // Well under the 250 ms debounce: only Enter can have started this search.
    await eventually(() => expect(titles()).toEqual(['Two Sum']), 200)
  })

  it('filters by difficulty, tag and language', async () => {
    await wrapper.find(tid('filter-difficulty')).setValue('senior')
    await eventually(() => expect(titles()).toEqual(['Interval Scheduling']))
    await wrapper.find(tid('filter-difficulty')).setValue('')

    await eventually(() => expect(wrapper.find(tid('filter-tag')).text()).toContain('stack'))
    await wrapper.find(tid('filter-tag')).setValue('stack')
    await eventually(() => expect(titles()).toEqual(['Balanced Brackets']))
    await wrapper.find(tid('filter-tag')).setValue('')

    await wrapper.find(tid('filter-language')).setValue('javascript')
    await eventually(() => expect(titles().sort()).toEqual(['Balanced Brackets', 'Two Sum']))
  })

  it('says so when nothing matches, and clears the filters on request', async () => {
    await wrapper.find(tid('bank-search')).setValue('no such problem anywhere')
    await eventually(() => expect(wrapper.find(tid('bank-empty')).exists()).toBe(true))
    expect(wrapper.find(tid('bank-empty')).text()).toContain('No problems match')
    await wrapper.find(tid('bank-empty')).find('button').trigger('click')
    await eventually(() => expect(titles()).toHaveLength(3))
  })

  it('opens a problem from its row', async () => {
    const row = wrapper.findAll(tid('problem-row')).find((r) => r.text().includes('Balanced Brackets'))
    await row?.trigger('click')
    await eventually(() => expect(wrapper.find(tid('problem-title')).text()).toBe('Balanced Brackets'))
  })
})
