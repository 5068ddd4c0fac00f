import { mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hostPlugin } from '../host'
import { eventually, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'
import DeleteSessionButton from './DeleteSessionButton.vue'

let host: RealHost
let wrapper: VueWrapper | null = null

beforeEach(() => {
  host = startRealHost()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  host.dispose()
})

function mountButton(props: { sessionId: string; candidateName: string; live?: boolean }): VueWrapper {
  wrapper = mount(DeleteSessionButton, {
    props,
    attachTo: document.body,
    global: { plugins: [[hostPlugin, host.api]] },
  })
  return wrapper
}

async function newSession(candidateName: string): Promise<string> {
  const [first] = (await host.api.problems.list({})).items
  if (!first) throw new Error('the starter problems are missing')
  const session = await host.api.sessions.create({
    candidateName,
    language: 'python',
    problems: { mode: 'pick', ids: [first.id] },
  })
  return session.id
}

const dialogOf = (button: VueWrapper) => button.find<HTMLDialogElement>(tid('confirm-dialog'))

describe('the delete session button', () => {
  it('asks first, naming the candidate and saying it cannot be undone; cancelling keeps the session', async () => {
    const sessionId = await newSession('Ada Lovelace')
    const button = mountButton({ sessionId, candidateName: 'Ada Lovelace' })
    expect(button.find(tid('session-delete')).text()).toBe('Delete the interview with Ada Lovelace')

    await button.find(tid('session-delete')).trigger('click')
    await eventually(() => expect(dialogOf(button).element.open).toBe(true))
    expect(dialogOf(button).find('h2').text()).toBe('Delete the interview with Ada Lovelace?')
    expect(dialogOf(button).text()).toContain('This cannot be undone.')

    await button.find(tid('confirm-no')).trigger('click')
    await eventually(() => expect(dialogOf(button).element.open).toBe(false))
    expect(button.emitted('deleted')).toBeUndefined()
    await expect(host.api.sessions.get({ id: sessionId })).resolves.toMatchObject({ candidateName: 'Ada Lovelace' })
  })

  it('deletes on confirmation and says so', async () => {
    const sessionId = await newSession('Ada Lovelace')
    const button = mountButton({ sessionId, candidateName: 'Ada Lovelace' })
    await button.find(tid('session-delete')).trigger('click')
    await button.find(tid('confirm-yes')).trigger('click')

    await eventually(() => expect(button.emitted('deleted')).toHaveLength(1))
    expect(dialogOf(button).element.open).toBe(false)
    await expect(host.api.sessions.get({ id: sessionId })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('shows why the host refused, keeping the dialog open', async () => {
    const sessionId = await newSession('')
    await host.api.sessions.setStatus({ id: sessionId, status: 'live' })
    // Live as the host sees it, though this button was not told: the host still refuses.
    const button = mountButton({ sessionId, candidateName: '' })
    await button.find(tid('session-delete')).trigger('click')
    expect(dialogOf(button).find('h2').text()).toBe('Delete the interview with an unnamed candidate?')
    await button.find(tid('confirm-yes')).trigger('click')

    await eventually(() => expect(button.find(tid('session-delete-error')).exists()).toBe(true))
    expect(button.find(tid('session-delete-error')).text()).toBe(
      'Could not delete the interview: The interview is still live, so it cannot be deleted. End it first, then delete it.',
    )
    expect(dialogOf(button).element.open).toBe(true)
    expect(button.emitted('deleted')).toBeUndefined()
    await expect(host.api.sessions.get({ id: sessionId })).resolves.toMatchObject({ status: 'live' })
  })

  it('is off for a live interview, saying to end it first', async () => {
    const sessionId = await newSession('Grace Hopper')
    const button = mountButton({ sessionId, candidateName: 'Grace Hopper', live: true })
    const control = button.find(tid('session-delete'))
    expect(control.attributes('disabled')).toBeDefined()
    expect(control.attributes('title')).toBe('End the interview before deleting it')
  })
})
