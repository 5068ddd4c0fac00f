import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { fileExists, startRealHost, type RealHost } from '../test-support/real-host'
import { eventually, mountApp, tid } from '../test-support/mount-app'

let host: RealHost | undefined
let wrapper: VueWrapper | undefined

afterEach(() => {
  wrapper?.unmount()
  host?.dispose()
  wrapper = host = undefined
})

describe('the startup gate', () => {
  it('opens the Problem Bank when the database is ready', async () => {
    host = startRealHost()
    ;({ wrapper } = await mountApp(host.api))
    await eventually(() => expect(wrapper?.findAll(tid('problem-row'))).toHaveLength(3))
    expect(wrapper.find(tid('db-error-screen')).exists()).toBe(false)
  })

  it('names a corrupt file and its reason, and moves it aside only when asked', async () => {
    host = startRealHost({ database: 'corrupt' })
    ;({ wrapper } = await mountApp(host.api))
    const screen = wrapper.find(tid('db-error-screen'))
    expect(screen.exists()).toBe(true)
    expect(wrapper.find(tid('db-error-path')).text()).toBe(host.databasePath)
    expect(wrapper.find(tid('db-error-reason')).text()).not.toBe('')
    expect(wrapper.find(tid('nav-bank')).exists()).toBe(false)
    expect(fileExists(host.databasePath)).toBe(true)

    await wrapper.find(tid('db-move-aside')).trigger('click')
    await eventually(() => expect(wrapper?.find(tid('db-moved-to')).exists()).toBe(true))
    const movedTo = wrapper.find(tid('db-moved-to')).text()
    expect(movedTo).toContain(host.databasePath)
    expect(movedTo).not.toBe(host.databasePath)
    expect(fileExists(movedTo)).toBe(true)

    await wrapper.find(tid('db-continue')).trigger('click')
    await eventually(() => expect(wrapper?.findAll(tid('problem-row'))).toHaveLength(3))
  })

  it('refuses a database from a newer Duet without offering to touch it', async () => {
    host = startRealHost({ database: 'too-new' })
    ;({ wrapper } = await mountApp(host.api))
    const screen = wrapper.find(tid('db-too-new-screen'))
    expect(screen.exists()).toBe(true)
    expect(screen.text()).toContain('newer version of Duet')
    expect(screen.text()).toContain('left untouched')
    expect(wrapper.find(tid('db-too-new-path')).text()).toBe(host.databasePath)
    expect(screen.text()).toContain('999')
    expect(wrapper.find(tid('db-move-aside')).exists()).toBe(false)
    expect(wrapper.findAll('button')).toHaveLength(0)
    await expect(host.api.app.databaseStatus()).resolves.toMatchObject({ state: 'too-new', fileVersion: 999 })
  })
})
