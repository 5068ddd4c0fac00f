import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Recommendation } from '../../../shared/evaluation'
import type { HostApi } from '../../../shared/host-api'
import { HostError } from '../../../shared/host-errors'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router

const find = (id: string): DOMWrapper<HTMLInputElement> => wrapper.find<HTMLInputElement>(tid(id))
const rows = () => wrapper.findAll(tid('history-row'))
const candidates = (): string[] => rows().map((r) => r.find('.candidate').text())
const rowOf = (name: string) => {
  const row = rows().find((r) => r.find('.candidate').text() === name)
  if (!row) throw new Error(`no row for ${name}`)
  return row
}

interface Seed {
  name: string
  title?: string
  /** Problem titles from the test starter pack. */
  problems: string[]
  status?: 'created' | 'live' | 'ended'
  stars?: number[]
  recommendation?: Recommendation
}

async function seed(s: Seed): Promise<string> {
  const bank = (await host.api.problems.list({})).items
  const ids = s.problems.map((title) => {
    const problem = bank.find((p) => p.title === title)
    if (!problem) throw new Error(`no starter problem ${title}`)
    return problem.id
  })
  const { id } = await host.api.sessions.create({
    candidateName: s.name,
    title: s.title ?? '',
    language: 'python',
    problems: { mode: 'pick', ids },
  })
  if (s.status === 'live' || s.status === 'ended') await host.api.sessions.setStatus({ id, status: 'live' })
  if (s.status === 'ended') await host.api.sessions.setStatus({ id, status: 'ended' })
  if (s.stars || s.recommendation) {
    const evaluation = await host.api.evaluations.get({ sessionId: id })
    await host.api.evaluations.save({
      sessionId: id,
      problems: evaluation.problems.map((_, i) => ({ stars: s.stars?.[i] ?? null, comment: '' })),
      criteria: evaluation.criteria.map(({ label }) => ({ label, score: null })),
      recommendation: s.recommendation ?? null,
      summary: '',
    })
  }
  // Start times are milliseconds apart: keep the newest-first order certain.
  await new Promise((resolve) => setTimeout(resolve, 5))
  return id
}

async function open(api: HostApi = host.api): Promise<void> {
  ;({ wrapper, router } = await mountApp(api, '/history'))
  await eventually(() => expect(rows().length > 0 || find('history-empty').exists()).toBe(true))
}

beforeEach(() => {
  host = startRealHost()
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('the History page', () => {
  it('is in the navigation after Sessions, and says when there is nothing yet', async () => {
    await open()
    const links = wrapper.findAll('nav a').map((a) => a.text())
    expect(links.indexOf('History')).toBe(links.indexOf('Sessions') + 1)
    expect(find('history-empty').text()).toContain('No interviews yet')
    expect(find('history-import').attributes('href')).toContain('/history/import')

    await router.push('/problems')
    await find('nav-history').trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('history'))
  })

  it('lists every session newest first, with its facts and a link to review it', async () => {
    const ada = await seed({
      name: 'Ada Lovelace',
      title: 'Backend screen',
      problems: ['Two Sum', 'Balanced Brackets'],
      status: 'ended',
      stars: [4, 5],
      recommendation: 'strong-yes',
    })
    await seed({ name: 'Grace Hopper', problems: ['Two Sum'], status: 'live' })
    await seed({ name: '', title: 'Pairing', problems: ['Balanced Brackets'] })
    await open()

    expect(candidates()).toEqual(['Unnamed candidate', 'Grace Hopper', 'Ada Lovelace'])
    expect(find('history-count').text()).toBe('3 interviews')
    const row = rowOf('Ada Lovelace')
    expect(row.text()).toContain('Backend screen')
    expect(row.text()).toContain('Two Sum · Balanced Brackets')
    expect(row.find(tid('session-status')).text()).toBe('Ended')
    expect(row.find(tid('history-duration')).text()).toBe('under 1 min')
    expect(row.find(tid('history-evaluation')).text()).toBe('Draft: Strong yes · 4.5 / 5')
    expect(row.find(tid('history-review')).attributes('href')).toContain(`/sessions/${ada}/review`)
    expect(rowOf('Grace Hopper').find(tid('history-duration')).text()).toBe('In progress')
    expect(rowOf('Grace Hopper').find(tid('history-evaluation')).text()).toBe('Not evaluated')
    expect(rowOf('Unnamed candidate').find(tid('history-duration')).text()).toBe('Not started')
  })

  it('searches as you type, filters, sorts and clears', async () => {
    await seed({ name: 'Ada Lovelace', problems: ['Two Sum'], status: 'ended', stars: [5], recommendation: 'yes' })
    await seed({
      name: 'Grace Hopper',
      problems: ['Balanced Brackets'],
      status: 'ended',
      stars: [2],
      recommendation: 'no',
    })
    await seed({ name: 'Alan Turing', problems: ['Two Sum', 'Balanced Brackets'] })
    await open()

    await find('history-search').setValue('two')
    await eventually(() => expect(candidates()).toEqual(['Alan Turing', 'Ada Lovelace']))
    await find('history-search').setValue('two ada')
    await eventually(() => expect(candidates()).toEqual(['Ada Lovelace']))
    await find('history-search').setValue('')
    await eventually(() => expect(candidates()).toHaveLength(3))

    await wrapper.find(tid('history-status')).setValue('ended')
    await eventually(() => expect(candidates()).toEqual(['Grace Hopper', 'Ada Lovelace']))
    await wrapper.find(tid('history-recommendation')).setValue('negative')
    await eventually(() => expect(candidates()).toEqual(['Grace Hopper']))
    await wrapper.find(tid('history-recommendation')).setValue('')
    await wrapper.find(tid('history-min-score')).setValue('3')
    await eventually(() => expect(candidates()).toEqual(['Ada Lovelace']))

    await find('history-clear').trigger('click')
    await eventually(() => expect(candidates()).toHaveLength(3))
    await wrapper.find(tid('history-sort')).setValue('candidate')
    await eventually(() => expect(candidates()).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']))
    await wrapper.find(tid('history-sort')).setValue('score')
    await eventually(() => expect(candidates()).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Turing']))
  })

  it('says when nothing matches, and refuses a backwards date range at the fields', async () => {
    await seed({ name: 'Ada Lovelace', problems: ['Two Sum'] })
    await open()

    await find('history-from').setValue('2099-01-01')
    await eventually(() => expect(find('history-empty').text()).toContain('No interviews match'))
    await find('history-to').setValue('2098-12-31')
    await eventually(() => expect(find('history-filter-errors').exists()).toBe(true))
    expect(find('history-filter-errors').text()).toBe('The end date must be on or after the start date.')
    expect(find('history-to').attributes('aria-invalid')).toBe('true')

    await find('history-empty').find('button').trigger('click')
    await eventually(() => expect(candidates()).toEqual(['Ada Lovelace']))
    expect(find('history-filter-errors').exists()).toBe(false)
    expect(find('history-from').element.value).toBe('')
  })

  it('loads more than a page on request', async () => {
    for (let i = 0; i < 52; i++) {
      await host.api.sessions.create({
        candidateName: `Candidate ${String(i).padStart(2, '0')}`,
        language: 'python',
        problems: { mode: 'random', difficulty: 'junior', count: 1 },
      })
    }
    await open()
    expect(rows()).toHaveLength(50)
    expect(find('history-count').text()).toBe('Showing 50 of 52 interviews')
    await find('history-more').trigger('click')
    await eventually(() => expect(rows()).toHaveLength(52))
    expect(find('history-more').exists()).toBe(false)
    expect(new Set(rows().map((r) => r.find('.candidate').text())).size).toBe(52)
  })

  it('deletes a session from its row after confirmation; a live one cannot be', async () => {
    const ada = await seed({ name: 'Ada Lovelace', problems: ['Two Sum'], status: 'ended' })
    await seed({ name: 'Grace Hopper', problems: ['Two Sum'], status: 'live' })
    await open()

    expect(rowOf('Grace Hopper').find(tid('session-delete')).attributes('disabled')).toBeDefined()
    await rowOf('Ada Lovelace').find(tid('session-delete')).trigger('click')
    const dialog = rowOf('Ada Lovelace').find(tid('confirm-dialog'))
    expect(dialog.text()).toContain('Delete the interview with Ada Lovelace?')
    await dialog.find(tid('confirm-yes')).trigger('click')

    await eventually(() => expect(candidates()).toEqual(['Grace Hopper']))
    expect(find('history-deleted').text()).toBe('The interview with Ada Lovelace was deleted.')
    await expect(host.api.sessions.get({ id: ada })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('says clearly when the history cannot be read, and tries again', async () => {
    await seed({ name: 'Ada Lovelace', problems: ['Two Sum'] })
    let failing = true
    const api: HostApi = {
      ...host.api,
      history: {
        search: (query) =>
          failing
            ? Promise.reject(new HostError('database', 'The database file is locked by another program.'))
            : host.api.history.search(query),
      },
    }
    ;({ wrapper, router } = await mountApp(api, '/history'))
    await eventually(() => expect(find('history-error').exists()).toBe(true))
    expect(find('history-error').text()).toContain(
      'Could not load the history: The database file is locked by another program.',
    )
    expect(find('history-empty').exists()).toBe(false)

    failing = false
    await find('history-retry').trigger('click')
    await eventually(() => expect(candidates()).toEqual(['Ada Lovelace']))
    expect(find('history-error').exists()).toBe(false)
  })
})
