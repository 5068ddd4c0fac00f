import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hostLinkFactoryKey } from '../session/link-types'
import { FakeCandidate } from '../test-support/fake-candidate'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router
let candidate: FakeCandidate

const find = (id: string): DOMWrapper<HTMLInputElement> => wrapper.find<HTMLInputElement>(tid(id))
const errorOf = (inputId: string): string => wrapper.find(`#${inputId}-error`).text()
const pickRows = (): string[] => wrapper.findAll(tid('session-pick-row')).map((r) => r.find('.title').text())
const idOf = async (title: string): Promise<number> =>
  (await host.api.problems.list({ text: title })).items.find((p) => p.title === title)?.id ?? 0

async function open(): Promise<void> {
  ;({ wrapper, router } = await mountApp(host.api, '/sessions/new', { [hostLinkFactoryKey]: candidate.factory }))
  await eventually(() => expect(find('session-form').exists()).toBe(true))
}

async function create(): Promise<void> {
  await find('session-create').trigger('click')
}

beforeEach(async () => {
  host = startRealHost()
  candidate = new FakeCandidate()
  await open()
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('creating a session', () => {
  it('shows the host’s refusal at the count field when too few problems fit', async () => {
    await find('session-candidate').setValue('Ada Lovelace')
    await find('session-language').setValue('javascript')
    await find('session-mode-random').setValue(true)
    await find('session-difficulty').setValue('junior')
    await find('session-count').setValue('2')
    await create()

    await eventually(() => expect(find('session-create-error').exists()).toBe(true))
    expect(errorOf('sf-problems-count')).toBe('only 1 junior problem supports JavaScript')
    expect(find('session-count').attributes('aria-invalid')).toBe('true')
    expect(router.currentRoute.value.name).toBe('session-new')
    expect(await host.api.sessions.list()).toHaveLength(0)
  })

  it('creates a random session and opens its live view with the link', async () => {
    await find('session-candidate').setValue('Ada Lovelace')
    await find('session-title').setValue('Backend, round 1')
    await find('session-difficulty').setValue('middle')
    await find('session-count').setValue('1')
    await find('session-time-limit').setValue('45')
    await create()

    await eventually(() => expect(router.currentRoute.value.name).toBe('session'))
    const id = String(router.currentRoute.value.params.id)
    const session = await host.api.sessions.get({ id })
    expect(session).toMatchObject({
      candidateName: 'Ada Lovelace',
      title: 'Backend, round 1',
      language: 'python',
      status: 'created',
      timeLimitMs: 45 * 60_000,
    })
    expect(session.problems.map((p) => p.title)).toEqual(['Balanced Brackets'])
    await eventually(() =>
      expect(find('session-link').text()).toBe(`http://127.0.0.1:8787/s/${session.roomId}#${session.secret}`),
    )
    expect(candidate.connections).toHaveLength(1)
  })

  it('shows a time limit the host refuses at its field', async () => {
    await find('session-time-limit').setValue('3')
    await create()
    await eventually(() => expect(errorOf('sf-timeLimitMinutes')).toBe('must be at least 5 minutes'))
  })

  it('picks by hand from the problems that have the language, in the order ticked', async () => {
    await find('session-language').setValue('javascript')
    await find('session-mode-pick').setValue(true)
    await eventually(() => expect(pickRows()).toEqual(['Balanced Brackets', 'Two Sum']))

    await find('session-pick-search').setValue('brack')
    await eventually(() => expect(pickRows()).toEqual(['Balanced Brackets']))
    await find(`session-pick-${await idOf('Balanced Brackets')}`).setValue(true)
    await find('session-pick-search').setValue('')
    await eventually(() => expect(pickRows()).toHaveLength(2))
    await find(`session-pick-${await idOf('Two Sum')}`).setValue(true)
    expect(find('session-pick-count').text()).toBe('2 of at most 5 chosen')
    await create()

    await eventually(() => expect(router.currentRoute.value.name).toBe('session'))
    const session = await host.api.sessions.get({ id: String(router.currentRoute.value.params.id) })
    expect(session.language).toBe('javascript')
    expect(session.problems.map((p) => p.title)).toEqual(['Balanced Brackets', 'Two Sum'])
  })

  it('drops picked problems the new language does not support', async () => {
    await find('session-mode-pick').setValue(true)
    await eventually(() => expect(pickRows()).toHaveLength(3))
    await find(`session-pick-${await idOf('Interval Scheduling')}`).setValue(true)
    await find(`session-pick-${await idOf('Two Sum')}`).setValue(true)
    await find('session-language').setValue('javascript')
    await eventually(() => expect(pickRows()).toEqual(['Balanced Brackets', 'Two Sum']))
    expect(find('session-pick-count').text()).toBe('1 of at most 5 chosen')
  })

  it('allows at most five problems', async () => {
    for (let i = 1; i <= 4; i++) {
      await host.api.problems.create({
        title: `Extra ${i}`,
        slug: `extra-${i}`,
        difficulty: 'junior',
        entryFunction: 'solve',
        starterCode: { python: 'def solve():\n    pass\n' },
        solution: {},
      })
    }
    await find('session-mode-pick').setValue(true)
    await eventually(() => expect(pickRows()).toHaveLength(7))
    const boxes = wrapper
      .findAll<HTMLInputElement>(tid('session-pick-row'))
      .map((r) => r.find<HTMLInputElement>('input'))
    for (const box of boxes.slice(0, 5)) await box.setValue(true)
    expect(boxes[5]?.element.disabled).toBe(true)
    expect(boxes[6]?.element.disabled).toBe(true)
    await boxes[0]?.setValue(false)
    expect(boxes[5]?.element.disabled).toBe(false)
  })

  it('says at the list when nothing was picked', async () => {
    await find('session-mode-pick').setValue(true)
    await eventually(() => expect(pickRows()).toHaveLength(3))
    await create()
    await eventually(() => expect(errorOf('sf-problems-ids')).toBe('choose at least 1 problem'))
    expect(wrapper.find(tid('session-pick-list')).attributes('aria-invalid')).toBe('true')
  })
})

describe('the sessions list', () => {
  it('is in the navigation and lists sessions newest first', async () => {
    await host.api.sessions.create({
      candidateName: 'First',
      language: 'python',
      problems: { mode: 'random', difficulty: 'junior', count: 1 },
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    await host.api.sessions.create({
      candidateName: 'Second',
      language: 'python',
      problems: { mode: 'pick', ids: [await idOf('Interval Scheduling'), await idOf('Two Sum')] },
    })
    await find('nav-sessions').trigger('click')
    await eventually(() => expect(wrapper.findAll(tid('session-row'))).toHaveLength(2))
    const rows = wrapper.findAll(tid('session-row'))
    expect(rows[0]?.text()).toContain('Second')
    expect(rows[0]?.text()).toContain('Interval Scheduling · Two Sum')
    expect(rows[0]?.find(tid('session-status')).text()).toBe('Not started')
    expect(rows[1]?.text()).toContain('First')

    await rows[0]?.find(tid('session-open')).trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('session'))
    await eventually(() => expect(find('session-problem-title').text()).toBe('Interval Scheduling'))
  })

  it('offers a new session from the list', async () => {
    await router.push('/sessions')
    await eventually(() => expect(find('sessions-empty').exists()).toBe(true))
    await find('session-new').trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('session-new'))
  })
})
