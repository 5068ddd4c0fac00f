import type { VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper
let downloads: { name: string; blob: Blob }[]

beforeEach(async () => {
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
  ;({ wrapper } = await mountApp(host.api, '/problems/export'))
  await eventually(() => expect(wrapper.findAll(tid('export-row'))).toHaveLength(3))
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
  vi.restoreAllMocks()
})

describe('exporting problems', () => {
  it('needs at least one problem chosen', () => {
    expect(wrapper.find(tid('export-button')).attributes('disabled')).toBeDefined()
  })

  it('downloads the chosen problems as JSON', async () => {
    await wrapper.find(tid('export-select-all')).setValue(true)
    expect(wrapper.find(tid('export-button')).text()).toBe('Export 3 problems')
    const twoSum = wrapper.findAll(tid('export-row')).find((row) => row.text().includes('two-sum'))
    await twoSum?.find(tid('export-select')).setValue(false)
    await wrapper.find(tid('export-format')).setValue('json')
    await wrapper.find(tid('export-button')).trigger('click')

    await eventually(() => expect(downloads).toHaveLength(1))
    expect(downloads[0]?.name).toMatch(/\.json$/)
    const exported = JSON.parse((await downloads[0]?.blob.text()) ?? '') as { problems: { slug: string }[] }
    expect(exported.problems.map((p) => p.slug).sort()).toEqual(['balanced-brackets', 'interval-scheduling'])
    expect(wrapper.find(tid('export-done')).text()).toContain('Exported 2 problems')
  })

  it('downloads YAML by default', async () => {
    await wrapper.find(tid('export-select-all')).setValue(true)
    await wrapper.find(tid('export-button')).trigger('click')
    await eventually(() => expect(downloads).toHaveLength(1))
    expect(downloads[0]?.name).toMatch(/\.ya?ml$/)
    expect(await downloads[0]?.blob.text()).toContain('format: duet-problem-pack')
  })
})
