import type { VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProblemDraft } from '../../../shared/problem'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper

function problem(slug: string, title: string): ProblemDraft {
  return {
    title,
    slug,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve():\n    pass\n' },
    solution: { python: 'def solve():\n    return 1\n' },
    tests: [{ name: 'one', args: [], expected: 1 }],
  }
}

const pack = (problems: unknown[]): string =>
  JSON.stringify({ format: 'duet-problem-pack', version: 1, problems }, null, 2)

/** What a user does with the file picker: happy-dom cannot open one, so set its files directly. */
async function choose(fileName: string, text: string): Promise<void> {
  const input = wrapper.find<HTMLInputElement>(tid('import-file'))
  Object.defineProperty(input.element, 'files', { value: [new File([text], fileName)], configurable: true })
  await input.trigger('change')
}

beforeEach(async () => {
  host = startRealHost()
  ;({ wrapper } = await mountApp(host.api, '/problems/import'))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('importing a pack', () => {
  it('lists each problem in a broken file by path and reason, and imports nothing', async () => {
    const broken = pack([
      problem('fine', 'Fine'),
      { ...problem('no-expected', 'No expected'), tests: [{ name: 'x', args: [] }] },
    ])
    await choose('broken.json', broken)
    await eventually(() => expect(wrapper.find(tid('import-errors')).exists()).toBe(true))
    const errors = wrapper.findAll(tid('import-error')).map((e) => e.text())
    expect(errors).toContain('problems[1].tests[0].expected: required')
    expect(wrapper.find(tid('import-confirm')).exists()).toBe(false)
    expect((await host.api.problems.list({})).total).toBe(3)
  })

  it('gives the line and column of a YAML syntax error', async () => {
    await choose('bad.yaml', 'format: duet-problem-pack\nversion: 1\nproblems: [\n  - {\n')
    await eventually(() => expect(wrapper.find(tid('import-errors')).exists()).toBe(true))
    expect(wrapper.find(tid('import-errors')).text()).toMatch(/line \d+, column \d+: not valid YAML/)
  })

  it('imports a pack without conflicts at once', async () => {
    await choose('new.json', pack([problem('brand-new', 'Brand New')]))
    await eventually(() => expect(wrapper.find(tid('import-preview')).exists()).toBe(true))
    expect(wrapper.find(tid('import-preview')).text()).toContain('holds 1 problem')
    expect(wrapper.find(tid('import-conflicts')).exists()).toBe(false)
    await wrapper.find(tid('import-confirm')).trigger('click')
    await eventually(() => expect(wrapper.find(tid('import-result')).exists()).toBe(true))
    expect(wrapper.find(tid('import-result-created')).text()).toContain('brand-new')
    expect((await host.api.problems.list({})).total).toBe(4)
  })

  describe('when slugs are already in the bank', () => {
    beforeEach(async () => {
      await choose('conflicts.json', pack([problem('two-sum', 'Two Sum From File'), problem('fresh-one', 'Fresh One')]))
      await eventually(() => expect(wrapper.find(tid('import-conflicts')).exists()).toBe(true))
      expect(wrapper.find(tid('import-conflicts')).text()).toContain('two-sum')
    })

    it('skips them by default', async () => {
      expect(wrapper.find<HTMLInputElement>(tid('import-policy-skip')).element.checked).toBe(true)
      await wrapper.find(tid('import-confirm')).trigger('click')
      await eventually(() => expect(wrapper.find(tid('import-result')).exists()).toBe(true))
      expect(wrapper.find(tid('import-result-skipped')).text()).toContain('two-sum')
      expect(wrapper.find(tid('import-result-created')).text()).toContain('fresh-one')
      const twoSum = (await host.api.problems.list({ text: 'two sum' })).items
      expect(twoSum.map((p) => p.title)).toEqual(['Two Sum'])
    })

    it('replaces them when asked', async () => {
      await wrapper.find(tid('import-policy-replace')).setValue(true)
      await wrapper.find(tid('import-confirm')).trigger('click')
      await eventually(() => expect(wrapper.find(tid('import-result')).exists()).toBe(true))
      expect(wrapper.find(tid('import-result-replaced')).text()).toContain('two-sum')
      const page = await host.api.problems.list({ text: 'two sum' })
      expect(page.items.map((p) => p.title)).toEqual(['Two Sum From File'])
    })

    it('keeps both under a new slug when asked', async () => {
      await wrapper.find(tid('import-policy-keep-both')).setValue(true)
      await wrapper.find(tid('import-confirm')).trigger('click')
      await eventually(() => expect(wrapper.find(tid('import-result')).exists()).toBe(true))
      const renamed = wrapper.find(tid('import-result-renamed')).text()
      expect(renamed).toMatch(/two-sum → two-sum-\S+/)
      const page = await host.api.problems.list({ text: 'two sum' })
      expect(page.items.map((p) => p.title).sort()).toEqual(['Two Sum', 'Two Sum From File'])
      expect((await host.api.problems.list({})).total).toBe(5)
    })
  })
})
