import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useSettingsStore } from '../settings/settings-store'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let router: Router

const find = (id: string): DOMWrapper<HTMLInputElement> => wrapper.find<HTMLInputElement>(tid(id))
const criteria = (): string[] =>
  wrapper.findAll<HTMLInputElement>(tid('settings-criterion')).map((row) => row.find('input').element.value)

async function open(path = '/settings'): Promise<void> {
  ;({ wrapper, router } = await mountApp(host.api, path))
  await eventually(() => expect(find('settings-interview-save').exists()).toBe(true))
}

beforeEach(async () => {
  host = startRealHost()
  await open()
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('the Settings page', () => {
  it('is in the navigation', async () => {
    await router.push('/problems')
    await find('nav-settings').trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('settings'))
    await eventually(() => expect(find('settings-interview').exists()).toBe(true))
  })

  it('saves the interviewer name and the defaults a new session starts with', async () => {
    expect(find('settings-interviewer-name').element.value).toBe('Interviewer')
    await find('settings-interviewer-name').setValue('  Grace Hopper ')
    await find('settings-default-language').setValue('javascript')
    await find('settings-default-time-limit').setValue('45')
    await find('settings-interview-save').trigger('submit')

    await eventually(() => expect(find('settings-interview-saved').exists()).toBe(true))
    expect(find('settings-interviewer-name').element.value).toBe('Grace Hopper')
    await expect(host.api.settings.get()).resolves.toMatchObject({
      interviewerName: 'Grace Hopper',
      defaultLanguage: 'javascript',
      defaultTimeLimitMinutes: 45,
    })
    // What the live session reads for the candidate's join screen.
    await eventually(() => expect(useSettingsStore().interviewerName).toBe('Grace Hopper'))

    await router.push('/sessions/new')
    await eventually(() => expect(find('session-form').exists()).toBe(true))
    expect(wrapper.find<HTMLSelectElement>(tid('session-language')).element.value).toBe('javascript')
    expect(find('session-time-limit').element.value).toBe('45')
  })

  it('shows each wrong field next to it and keeps what was saved', async () => {
    await find('settings-interviewer-name').setValue('   ')
    await find('settings-default-time-limit').setValue('3')
    await find('settings-interview-save').trigger('submit')

    await eventually(() => expect(find('settings-interview-errors').exists()).toBe(true))
    expect(wrapper.find('#settings-interviewer-name-error').text()).toBe(
      'enter the name the candidate sees, like "Ada Lovelace"',
    )
    expect(wrapper.find('#settings-default-time-limit-error').text()).toBe('must be at least 5 minutes')
    expect(find('settings-interviewer-name').attributes('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(find('settings-interview-errors').element)
    await expect(host.api.settings.get()).resolves.toMatchObject({
      interviewerName: 'Interviewer',
      defaultTimeLimitMinutes: null,
    })

    // An empty time limit means none.
    await find('settings-interviewer-name').setValue('Ada')
    await find('settings-default-time-limit').setValue('')
    await find('settings-interview-save').trigger('submit')
    await eventually(() => expect(find('settings-interview-saved').exists()).toBe(true))
    expect(find('settings-interview-errors').exists()).toBe(false)
  })

  it('edits the rubric: rename, add, move, remove, but never the last one', async () => {
    expect(criteria()).toEqual(['Problem solving', 'Code quality', 'Communication', 'Testing'])
    await find('settings-criterion-1').setValue('Code clarity')
    await find('settings-criterion-add').trigger('click')
    expect(document.activeElement).toBe(find('settings-criterion-4').element)
    await find('settings-criterion-4').setValue('System design')
    await find('settings-criterion-up-4').trigger('click')
    await find('settings-criterion-remove-0').trigger('click')
    expect(criteria()).toEqual(['Code clarity', 'Communication', 'System design', 'Testing'])
    await find('settings-rubric-save').trigger('submit')
    await eventually(() => expect(find('settings-rubric-saved').exists()).toBe(true))
    await expect(host.api.settings.get()).resolves.toMatchObject({
      rubric: ['Code clarity', 'Communication', 'System design', 'Testing'],
    })

    for (let i = 0; i < 3; i++) await find('settings-criterion-remove-0').trigger('click')
    expect(criteria()).toEqual(['Testing'])
    expect(find('settings-criterion-remove-0').attributes('disabled')).toBeDefined()
  })

  it('refuses a blank or repeated criterion at its row', async () => {
    await find('settings-criterion-1').setValue(' ')
    await find('settings-criterion-3').setValue('problem solving')
    await find('settings-rubric-save').trigger('submit')
    await eventually(() => expect(find('settings-rubric-errors').exists()).toBe(true))
    expect(wrapper.find('#settings-criterion-1-error').text()).toBe('enter a name for the criterion, or remove it')
    expect(wrapper.find('#settings-criterion-3-error').text()).toBe('"problem solving" is listed twice')
    expect(find('settings-criterion-3').attributes('aria-invalid')).toBe('true')
    await expect(host.api.settings.get()).resolves.toMatchObject({
      rubric: ['Problem solving', 'Code quality', 'Communication', 'Testing'],
    })
  })

  it('stops adding criteria at twelve', async () => {
    for (let i = 4; i < 12; i++) await find('settings-criterion-add').trigger('click')
    expect(criteria()).toHaveLength(12)
    expect(find('settings-criterion-add').attributes('disabled')).toBeDefined()
  })

  it('keeps interviews forever by default, or deletes ended ones after a number of days', async () => {
    const keep = wrapper.find<HTMLSelectElement>(tid('settings-retention-keep'))
    expect(keep.element.value).toBe('forever')
    expect(find('settings-retention-days').exists()).toBe(false)
    expect(find('settings-retention-hint').text()).toBe('Every interview stays until you delete it.')

    await keep.setValue('days')
    expect(find('settings-retention-days').element.value).toBe('365')
    expect(find('settings-retention-hint').text()).toContain('Ended interviews older than this are deleted for good')
    expect(find('settings-retention-hint').text()).toContain('live and scheduled interviews are never deleted')

    await find('settings-retention-days').setValue('0')
    await find('settings-retention-save').trigger('submit')
    await eventually(() => expect(find('settings-retention-errors').exists()).toBe(true))
    expect(wrapper.find('#settings-retention-days-error').text()).toBe(
      'must be a whole number of days from 1 to 3650 (ten years)',
    )
    expect(find('settings-retention-days').attributes('aria-invalid')).toBe('true')
    await expect(host.api.settings.get()).resolves.toMatchObject({ retentionDays: null })

    await find('settings-retention-days').setValue('90')
    await find('settings-retention-save').trigger('submit')
    await eventually(() => expect(find('settings-retention-saved').exists()).toBe(true))
    await expect(host.api.settings.get()).resolves.toMatchObject({ retentionDays: 90 })

    await keep.setValue('forever')
    expect(find('settings-retention-saved').exists()).toBe(false)
    await find('settings-retention-save').trigger('submit')
    await eventually(() => expect(find('settings-retention-saved').exists()).toBe(true))
    await expect(host.api.settings.get()).resolves.toMatchObject({ retentionDays: null })
  })

  it('chooses the theme', async () => {
    const select = wrapper.find<HTMLSelectElement>(tid('theme-select'))
    await eventually(() => expect(select.element.value).toBe('system'))
    await select.setValue('dark')
    await eventually(() => expect(document.documentElement.dataset.theme).toBe('dark'))
    await expect(host.api.settings.get()).resolves.toMatchObject({ theme: 'dark' })
  })

  it('shows the data folder, and with no desktop to open it, the path to copy', async () => {
    await eventually(() => expect(find('settings-data-dir').exists()).toBe(true))
    expect(find('settings-data-dir').text()).toBe(host.dataDir)
    await find('settings-open-folder').trigger('click')
    await eventually(() => expect(find('settings-open-result').exists()).toBe(true))
    expect(find('settings-open-result').text()).toContain('Duet runs as the browser bridge here')
    expect(find('settings-data-path').element.value).toBe(host.dataDir)
    expect(document.activeElement).toBe(find('settings-data-path').element)
  })
})
