/**
 * The host runs here under happy-dom, whose fetch applies a page's same-origin policy; in Electron
 * main and the bridge it is Node's fetch, which has none. Lift the policy to match.
 * @vitest-environment-options {"settings": {"fetch": {"disableSameOriginPolicy": true}}}
 */
import type { VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { startSignalingServer } from '../../../../signaling/server'
import type { IceServer } from '../../../shared/signaling/protocol'
import { iceCheckerKey, type IceCheckReport } from '../settings/ice-check'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper

const turn = { urls: 'turn:turn.example.com:3478', username: 'duet', credential: 'pw' }

/**
 * happy-dom has no WebRTC, so the connectivity test runs against this stand-in, which answers
 * as a browser's gathering would; the gathering itself is tested in ice-check.test.ts.
 */
class ScriptedChecker {
  calls: IceServer[][] = []
  report: IceCheckReport = { found: [], errors: [], timedOut: false }
  private release: (() => void) | null = null

  check = async (servers: readonly IceServer[]): Promise<IceCheckReport> => {
    this.calls.push([...servers])
    await new Promise<void>((resolve) => (this.release = resolve))
    return this.report
  }

  finish(): void {
    this.release?.()
  }
}

let checker: ScriptedChecker

async function open(options: Parameters<typeof startRealHost>[0] = {}): Promise<void> {
  host = startRealHost(options)
  checker = new ScriptedChecker()
  ;({ wrapper } = await mountApp(host.api, '/settings', { [iceCheckerKey]: checker.check }))
  await eventually(() => expect(wrapper.find(tid('settings-connection-save')).exists()).toBe(true))
}

afterEach(() => {
  wrapper.unmount()
  host.dispose()
})

const text = (id: string): string => wrapper.find(tid(id)).text()

async function chooseRemote(url: string): Promise<void> {
  await wrapper.find(tid('settings-signaling-remote')).setValue(true)
  await wrapper.find(tid('settings-remote-url')).setValue(url)
}

async function addIceServer(urls: string, username = '', credential = ''): Promise<void> {
  await wrapper.find(tid('settings-ice-add')).trigger('click')
  const index = wrapper.findAll(tid('settings-ice-row')).length - 1
  await wrapper.find(tid(`settings-ice-urls-${index}`)).setValue(urls)
  await wrapper.find(tid(`settings-ice-username-${index}`)).setValue(username)
  await wrapper.find(tid(`settings-ice-credential-${index}`)).setValue(credential)
}

async function save(): Promise<void> {
  await wrapper.find(tid('settings-connection-save')).trigger('submit')
}

describe('the Connection card', () => {
  it('starts on the embedded server and shows where it listens, with no URL field and no ICE servers', async () => {
    await open()
    expect((wrapper.find(tid('settings-signaling-embedded')).element as HTMLInputElement).checked).toBe(true)
    await eventually(() => expect(text('settings-embedded-address')).toBe('Listening at http://127.0.0.1:8787'))
    expect(text('settings-link-base')).toBe('New links start with http://127.0.0.1:8787 (as saved).')
    expect(wrapper.find(tid('settings-remote-url')).exists()).toBe(false)
    expect(wrapper.find(tid('settings-ice-none')).exists()).toBe(true)
  })

  it('says when the embedded server is not running', async () => {
    await open({ signaling: null })
    await eventually(() => expect(text('settings-embedded-address')).toContain('Not running'))
    expect(text('settings-link-base')).toBe('No link can be made with the saved settings.')
  })

  it('saves a remote URL and a STUN and a TURN server, and new links follow', async () => {
    await open()
    await chooseRemote(' https://duet.example.com/interviews ')
    await addIceServer('stun:stun.example.com:3478')
    await addIceServer(`${turn.urls}, turns:turn.example.com:5349`, turn.username, turn.credential)
    expect(wrapper.find(tid('settings-ice-credential-1')).attributes('type')).toBe('password')
    await save()

    await eventually(() => expect(wrapper.find(tid('settings-connection-saved')).exists()).toBe(true))
    await expect(host.api.settings.get()).resolves.toMatchObject({
      signaling: { mode: 'remote', remoteUrl: 'https://duet.example.com/interviews' },
      iceServers: [
        { urls: 'stun:stun.example.com:3478' },
        { urls: [turn.urls, 'turns:turn.example.com:5349'], username: 'duet', credential: 'pw' },
      ],
    })
    expect((wrapper.find(tid('settings-remote-url')).element as HTMLInputElement).value).toBe(
      'https://duet.example.com/interviews',
    )
    await eventually(() =>
      expect(text('settings-link-base')).toBe('New links start with https://duet.example.com/interviews (as saved).'),
    )

    // An edit makes "Saved." go away; removing a server and saving again keeps the rest.
    await wrapper.find(tid('settings-ice-remove-0')).trigger('click')
    expect(wrapper.find(tid('settings-connection-saved')).exists()).toBe(false)
    await save()
    await eventually(async () =>
      expect((await host.api.settings.get()).iceServers).toEqual([
        { urls: [turn.urls, 'turns:turn.example.com:5349'], username: 'duet', credential: 'pw' },
      ]),
    )
  })

  it('names each field that is wrong, next to it, and saves nothing', async () => {
    await open()
    await chooseRemote('http://duet.example.com')
    await addIceServer('turn:turn.example.com')
    await addIceServer('stun:ok.example.com http://nope')
    await save()

    await eventually(() => expect(wrapper.find(tid('settings-connection-errors')).exists()).toBe(true))
    const errors = text('settings-connection-errors')
    expect(errors).toContain('signaling.remoteUrl: must be an https:// URL, like https://duet.example.com')
    expect(errors).toContain('iceServers[0]: a TURN server needs a username and a credential')
    expect(errors).toContain('iceServers[1].urls[1]: must be a stun:, stuns:, turn: or turns: URL')
    expect(wrapper.find('#settings-remote-url-error').text()).toContain('needs TLS')
    expect(wrapper.find('#settings-ice-0-server-error').text()).toBe('a TURN server needs a username and a credential')
    expect(wrapper.find('#settings-ice-1-urls-error').text()).toBe('must be a stun:, stuns:, turn: or turns: URL')
    expect(wrapper.find(tid('settings-remote-url')).attributes('aria-invalid')).toBe('true')
    expect(wrapper.find(tid('settings-ice-username-0')).attributes('aria-invalid')).toBe('true')
    expect(wrapper.find(tid('settings-ice-urls-1')).attributes('aria-invalid')).toBe('true')
    await expect(host.api.settings.get()).resolves.toMatchObject({ signaling: { mode: 'embedded' }, iceServers: [] })
  })

  it('tests a real signaling server from the host, showing progress then the latency', async () => {
    await open()
    const server = await startSignalingServer({ port: 0, host: '127.0.0.1', iceServers: [], log: () => undefined })
    try {
      await chooseRemote(server.url)
      await wrapper.find(tid('settings-test-signaling')).trigger('click')
      expect(wrapper.find(tid('loading')).exists()).toBe(true)
      await eventually(() => expect(wrapper.find(tid('settings-test-result')).exists()).toBe(true))
      expect(text('settings-test-result')).toMatch(/^Reached: the server answered in \d+ ms\.$/)

      // The result belongs to the URL it was run on.
      await wrapper.find(tid('settings-remote-url')).setValue(`${server.url}/other`)
      expect(wrapper.find(tid('settings-test-result')).exists()).toBe(false)
    } finally {
      await server.close()
    }
  })

  it('says why a signaling test failed: not a Duet server there, or a URL without TLS', async () => {
    await open()
    const server = await startSignalingServer({ port: 0, host: '127.0.0.1', iceServers: [], log: () => undefined })
    try {
      // A path prefix the server does not have: its /healthz is not there.
      await chooseRemote(`${server.url}/nothing`)
      await wrapper.find(tid('settings-test-signaling')).trigger('click')
      await eventually(() => expect(wrapper.find(tid('settings-test-result')).exists()).toBe(true))
      expect(text('settings-test-result')).toBe(
        `${server.url}/nothing/healthz answered HTTP 404; is this a Duet signaling server?`,
      )
    } finally {
      await server.close()
    }

    await wrapper.find(tid('settings-remote-url')).setValue('http://duet.example.com')
    await wrapper.find(tid('settings-test-signaling')).trigger('click')
    await eventually(() => expect(wrapper.find(tid('settings-test-result')).exists()).toBe(true))
    expect(text('settings-test-result')).toMatch(/^must be an https:\/\/ URL/)
  })
})

describe('testing ICE connectivity', () => {
  it('says so when no server is configured, without gathering anything', async () => {
    await open()
    await wrapper.find(tid('settings-ice-test')).trigger('click')
    expect(text('settings-ice-result')).toBe(
      'No ICE servers are configured, so there is nothing to test. Add a STUN or TURN server first.',
    )
    expect(checker.calls).toEqual([])
  })

  it('gathers with the servers in the form, showing progress, then what each gave', async () => {
    await open()
    await addIceServer('stun:stun.example.com:3478')
    await addIceServer(turn.urls, turn.username, turn.credential)
    await wrapper.find(tid('settings-ice-test')).trigger('click')
    await eventually(() => expect(checker.calls).toHaveLength(1))
    expect(checker.calls[0]).toEqual([{ urls: 'stun:stun.example.com:3478' }, turn])
    expect(wrapper.find(tid('loading')).text()).toBe('Gathering candidates from the servers…')
    expect(wrapper.find(tid('settings-ice-test')).attributes('disabled')).toBeDefined()

    checker.report = {
      found: [{ type: 'srflx', address: '203.0.113.7', url: 'stun:stun.example.com:3478' }],
      errors: [{ url: turn.urls, message: 'Unauthorized (error 401)' }],
      timedOut: false,
    }
    checker.finish()
    await eventually(() => expect(wrapper.find(tid('settings-ice-result')).exists()).toBe(true))
    const result = text('settings-ice-result')
    expect(result).toContain('Reachable: found 1 public address.')
    expect(result).toContain('Public address (STUN): 203.0.113.7 from stun:stun.example.com:3478')
    expect(result).toContain('turn:turn.example.com:3478: Unauthorized (error 401)')
    expect(result).toContain('No relay came from turn:turn.example.com:3478: check the username and credential')

    // The verdict is about the servers it was run with.
    await wrapper.find(tid('settings-ice-urls-0')).setValue('stun:other.example.com')
    expect(wrapper.find(tid('settings-ice-result')).exists()).toBe(false)
  })

  it('reports a clear failure when nothing answered in time', async () => {
    await open()
    await addIceServer('stun:stun.example.com:3478')
    await wrapper.find(tid('settings-ice-test')).trigger('click')
    checker.report = { found: [], errors: [], timedOut: true }
    await eventually(() => expect(checker.calls).toHaveLength(1))
    checker.finish()
    await eventually(() => expect(wrapper.find(tid('settings-ice-result')).exists()).toBe(true))
    expect(text('settings-ice-result')).toBe(
      "No STUN or TURN server answered within 10 s. Check the URLs, the credentials and this network's firewall.",
    )
  })

  it('checks the rows first and shows what is wrong at the field', async () => {
    await open()
    await addIceServer('turn:turn.example.com')
    await wrapper.find(tid('settings-ice-test')).trigger('click')
    expect(wrapper.find('#settings-ice-0-server-error').text()).toBe('a TURN server needs a username and a credential')
    expect(checker.calls).toEqual([])
  })
})
