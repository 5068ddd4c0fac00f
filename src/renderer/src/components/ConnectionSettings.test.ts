/**
 * The host runs here under happy-dom, whose fetch applies a page's same-origin policy; in Electron
 * main and the bridge it is Node's fetch, which has none. Lift the policy to match.
 * @vitest-environment-options {"settings": {"fetch": {"disableSameOriginPolicy": true}}}
 */
import type { VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSignalingServer } from '../../../../signaling/server'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper

const turn = { urls: 'turn:turn.example.com:3478', username: 'duet', credential: 'pw' }

beforeEach(async () => {
  host = startRealHost()
  ;({ wrapper } = await mountApp(host.api, '/about'))
  await eventually(() => expect(wrapper.find(tid('settings-save')).exists()).toBe(true))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

async function chooseRemote(url: string): Promise<void> {
  await wrapper.find(tid('settings-signaling-remote')).setValue(true)
  await wrapper.find(tid('settings-remote-url')).setValue(url)
}

describe('the Connection card', () => {
  it('starts on the embedded server, with no URL field', () => {
    expect((wrapper.find(tid('settings-signaling-embedded')).element as HTMLInputElement).checked).toBe(true)
    expect(wrapper.find(tid('settings-connection')).text()).toContain('Embedded server on this computer')
    expect(wrapper.find(tid('settings-remote-url')).exists()).toBe(false)
    expect(wrapper.find(tid('settings-ice-servers')).attributes('placeholder')).toContain('"turn:')
  })

  it('saves a remote URL and ICE servers to the host', async () => {
    await chooseRemote(' https://duet.example.com/interviews ')
    await wrapper.find(tid('settings-ice-servers')).setValue(JSON.stringify([turn]))
    await wrapper.find(tid('settings-save')).trigger('submit')

    await eventually(() => expect(wrapper.find(tid('settings-saved')).exists()).toBe(true))
    await expect(host.api.settings.get()).resolves.toEqual({
      theme: 'system',
      signaling: { mode: 'remote', remoteUrl: 'https://duet.example.com/interviews' },
      iceServers: [turn],
    })
    expect((wrapper.find(tid('settings-remote-url')).element as HTMLInputElement).value).toBe(
      'https://duet.example.com/interviews',
    )
  })

  it('names each field that is wrong and saves nothing', async () => {
    await chooseRemote('http://duet.example.com')
    await wrapper.find(tid('settings-ice-servers')).setValue('[{"urls": "turn:turn.example.com"}]')
    await wrapper.find(tid('settings-save')).trigger('submit')

    const errors = wrapper.find(tid('settings-errors'))
    expect(errors.text()).toContain('signaling.remoteUrl: must be an https:// URL, like https://duet.example.com')
    expect(errors.text()).toContain('needs TLS')
    expect(errors.text()).toContain('iceServers[0]: a TURN server needs a username and a credential')
    expect(wrapper.find(tid('settings-remote-url')).attributes('aria-invalid')).toBe('true')
    expect(wrapper.find(tid('settings-ice-servers')).attributes('aria-invalid')).toBe('true')

    await wrapper.find(tid('settings-ice-servers')).setValue('[{"urls": ')
    await wrapper.find(tid('settings-save')).trigger('submit')
    expect(wrapper.find(tid('settings-errors')).text()).toContain('iceServers: is not valid JSON')
    await expect(host.api.settings.get()).resolves.toMatchObject({ signaling: { mode: 'embedded' }, iceServers: [] })
  })

  it('tests a real signaling server from the host, showing progress then the latency', async () => {
    const server = await startSignalingServer({ port: 0, host: '127.0.0.1', iceServers: [], log: () => undefined })
    try {
      await chooseRemote(server.url)
      await wrapper.find(tid('settings-test-signaling')).trigger('click')
      expect(wrapper.find(tid('loading')).exists()).toBe(true)
      await eventually(() => expect(wrapper.find(tid('settings-test-result')).exists()).toBe(true))
      expect(wrapper.find(tid('settings-test-result')).text()).toMatch(/^Reached: the server answered in \d+ ms\.$/)

      // The result belongs to the URL it was run on.
      await wrapper.find(tid('settings-remote-url')).setValue(`${server.url}/other`)
      expect(wrapper.find(tid('settings-test-result')).exists()).toBe(false)
    } finally {
      await server.close()
    }
  })

  it('says why a test failed: not a Duet server there, or a URL without TLS', async () => {
    const server = await startSignalingServer({ port: 0, host: '127.0.0.1', iceServers: [], log: () => undefined })
    try {
      // A path prefix the server does not have: its /healthz is not there.
      await chooseRemote(`${server.url}/nothing`)
      await wrapper.find(tid('settings-test-signaling')).trigger('click')
      await eventually(() => expect(wrapper.find(tid('settings-test-result')).exists()).toBe(true))
      expect(wrapper.find(tid('settings-test-result')).text()).toBe(
        `${server.url}/nothing/healthz answered HTTP 404; is this a Duet signaling server?`,
      )
    } finally {
      await server.close()
    }

    await wrapper.find(tid('settings-remote-url')).setValue('http://duet.example.com')
    await wrapper.find(tid('settings-test-signaling')).trigger('click')
    await eventually(() => expect(wrapper.find(tid('settings-test-result')).exists()).toBe(true))
    expect(wrapper.find(tid('settings-test-result')).text()).toMatch(/^must be an https:\/\/ URL/)
  })
})
