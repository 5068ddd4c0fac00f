import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BUNDLE_MAGIC } from '../../../shared/bundle'
import { toBase64 } from '../../../shared/peer/base64'
import { hostPlugin } from '../host'
import { eventually, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'
import BundleExportButton from './BundleExportButton.vue'

let host: RealHost
let wrapper: VueWrapper | null = null
let downloads: { name: string; blob: Blob }[]

beforeEach(() => {
  downloads = []
  // Catch the download instead of letting happy-dom navigate to the blob URL.
  const blobs = new Map<string, Blob>()
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`
    blobs.set(url, blob as Blob)
    return url
  })
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)
    if (blob) downloads.push({ name: this.download, blob })
  })
  host = startRealHost()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  host.dispose()
  vi.restoreAllMocks()
})

function mountButton(sessionId: string): VueWrapper {
  wrapper = mount(BundleExportButton, { props: { sessionId }, global: { plugins: [[hostPlugin, host.api]] } })
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

describe('the bundle export button', () => {
  it('shows progress, then downloads a .duet file that another Duet imports', async () => {
    const sessionId = await newSession('Ada Lovelace')
    await host.api.notes.add({ sessionId, text: 'Clear thinking', tMs: 1000, problem: 0 })
    const button = mountButton(sessionId)

    await button.find(tid('bundle-export')).trigger('click')
    expect(button.find(tid('loading')).text()).toBe('Packing the session…')
    expect(button.find(tid('bundle-export')).attributes('disabled')).toBeDefined()

    await eventually(() => expect(downloads).toHaveLength(1))
    const [download] = downloads
    expect(download?.name).toMatch(/^duet-ada-lovelace-\d{4}-\d{2}-\d{2}\.duet$/)
    const bytes = new Uint8Array(await (download?.blob ?? new Blob()).arrayBuffer())
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(BUNDLE_MAGIC)
    await eventually(() => expect(button.find(tid('loading')).exists()).toBe(false))
    expect(button.find(tid('bundle-export-done')).text()).toMatch(/^Saved duet-ada-lovelace-.+\.duet \(\d+ KB\)\.$/)
    expect(button.find(tid('bundle-export')).attributes('disabled')).toBeUndefined()

    // The downloaded bytes are the bundle itself: a second, empty Duet takes them.
    const other = startRealHost()
    try {
      const data = toBase64(bytes)
      await expect(other.api.bundles.inspect({ fileName: 'x.duet', data })).resolves.toMatchObject({
        candidateName: 'Ada Lovelace',
        notes: 1,
        alreadyPresent: false,
      })
      await other.api.bundles.import({ fileName: 'x.duet', data })
      await expect(other.api.notes.list({ sessionId })).resolves.toMatchObject([{ text: 'Clear thinking' }])
    } finally {
      other.dispose()
    }
  })

  it('says why when the export fails, and downloads nothing', async () => {
    const button = mountButton('no-such-session')
    await button.find(tid('bundle-export')).trigger('click')
    await eventually(() => expect(button.find(tid('bundle-export-error')).exists()).toBe(true))
    expect(button.find(tid('bundle-export-error')).text()).toBe(
      'The bundle could not be exported: There is no session with id no-such-session.',
    )
    await flushPromises()
    expect(downloads).toEqual([])
    expect(button.find(tid('loading')).exists()).toBe(false)
  })
})
