import type { VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper

beforeEach(async () => {
  host = startRealHost()
  ;({ wrapper } = await mountApp(host.api, '/problems'))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

describe('the app shell', () => {
  it('follows the OS theme until the user picks one in Settings, and remembers the choice', async () => {
    await wrapper.find(tid('nav-settings')).trigger('click')
    await eventually(() => expect(wrapper.find(tid('theme-select')).exists()).toBe(true))
    const select = wrapper.find<HTMLSelectElement>(tid('theme-select'))
    await eventually(() => expect(select.element.value).toBe('system'))
    // happy-dom reports no dark-mode preference.
    expect(document.documentElement.dataset.theme).toBe('light')

    await select.setValue('dark')
    await eventually(() => expect(document.documentElement.dataset.theme).toBe('dark'))
    await expect(host.api.settings.get()).resolves.toMatchObject({ theme: 'dark' })

    wrapper.unmount()
    // Forget what the page shows, so only the stored choice can bring dark back.
    document.documentElement.dataset.theme = 'light'
    ;({ wrapper } = await mountApp(host.api, '/problems'))
    await eventually(() => expect(document.documentElement.dataset.theme).toBe('dark'))
  })

  it('shows where the data lives on the About page', async () => {
    await wrapper.find(tid('nav-about')).trigger('click')
    await eventually(() => expect(wrapper.find(tid('about-panel')).exists()).toBe(true))
    expect(wrapper.find(tid('about-data-dir')).text()).toBe(host.dataDir)
    expect(wrapper.find(tid('about-database')).text()).toBe(host.databasePath)
    expect(wrapper.find(tid('about-version')).text()).toBe('test')
  })
})
