import type { VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_BUNDLE_BYTES, type BundleContent } from '../../../shared/bundle'
import { fromBase64, toBase64 } from '../../../shared/peer/base64'
// The host's own bundle reader and writer: component tests run under Node, like the real host.
import { readBundle, writeBundle } from '../../../main/host/bundle-file'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let source: RealHost
let target: RealHost
let wrapper: VueWrapper
let router: Router
let sessionId: string
let bundle: Uint8Array<ArrayBuffer>
let fileName: string
let problemTitles: string[]

/** What a user does with the file picker: happy-dom cannot open one, so set its files directly. */
async function choose(name: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const input = wrapper.find<HTMLInputElement>(tid('bundle-file'))
  Object.defineProperty(input.element, 'files', { value: [new File([bytes], name)], configurable: true })
  await input.trigger('change')
}

async function refusal(): Promise<string> {
  await eventually(() => expect(wrapper.find(tid('bundle-import-error')).exists()).toBe(true))
  expect(wrapper.find(tid('loading')).exists()).toBe(false)
  expect(wrapper.find(tid('bundle-import')).exists()).toBe(false)
  expect(await target.api.sessions.list()).toEqual([])
  return wrapper.find(tid('bundle-import-error')).text()
}

beforeEach(async () => {
  source = startRealHost()
  const [first, second] = (await source.api.problems.list({})).items
  if (!first || !second) throw new Error('the starter problems are missing')
  const session = await source.api.sessions.create({
    candidateName: 'Grace Hopper',
    title: 'Backend loop',
    language: 'python',
    problems: { mode: 'pick', ids: [first.id, second.id] },
  })
  sessionId = session.id
  problemTitles = session.problems.map((p) => p.title)
  await source.api.sessions.setStatus({ id: sessionId, status: 'live' })
  await source.api.notes.add({ sessionId, text: 'Fast', tMs: 2000, problem: 1 })
  await source.api.recording.append({ sessionId, events: [{ tMs: 10, kind: 'focus-lost' }] })
  const exported = await source.api.bundles.export({ sessionId })
  fileName = exported.fileName
  bundle = fromBase64(exported.data) ?? new Uint8Array()

  target = startRealHost()
  ;({ wrapper, router } = await mountApp(target.api, '/history/import'))
})

afterEach(() => {
  wrapper.unmount()
  source.dispose()
  target.dispose()
})

describe('importing a session bundle', () => {
  it('shows what the file holds, imports it and links to its review', async () => {
    await choose(fileName, bundle)
    expect(wrapper.find(tid('loading')).text()).toMatch(/^(Reading|Checking) the file…$/)
    await eventually(() => expect(wrapper.find(tid('bundle-preview')).exists()).toBe(true))
    const preview = wrapper.find(tid('bundle-preview'))
    expect(preview.text()).toContain(fileName)
    expect(wrapper.find(tid('bundle-candidate')).text()).toBe('Grace Hopper')
    expect(wrapper.find(tid('bundle-title')).text()).toBe('Backend loop')
    expect(wrapper.find(tid('bundle-date')).text()).not.toBe('')
    expect(wrapper.findAll(`${tid('bundle-problems')} li`).map((li) => li.text())).toEqual(problemTitles)
    expect(problemTitles).toHaveLength(2)
    expect(wrapper.find(tid('bundle-counts')).text()).toBe('1 timeline event, 0 runs, 1 private note')
    expect(wrapper.find(tid('bundle-evaluation')).text()).toBe('None yet')
    expect(wrapper.find(tid('bundle-already-present')).exists()).toBe(false)
    // Nothing is written before the import is confirmed.
    expect(await target.api.sessions.list()).toEqual([])

    await wrapper.find(tid('bundle-import')).trigger('click')
    expect(wrapper.find(tid('loading')).text()).toBe('Importing the session…')
    await eventually(() => expect(wrapper.find(tid('bundle-imported')).exists()).toBe(true))
    expect(wrapper.find(tid('bundle-preview')).exists()).toBe(false)
    const link = wrapper.find(tid('bundle-open'))
    expect(link.attributes('href')).toBe(`/sessions/${sessionId}/review`)
    await expect(target.api.sessions.get({ id: sessionId })).resolves.toMatchObject({
      candidateName: 'Grace Hopper',
      status: 'live',
    })
    await link.trigger('click')
    await eventually(() => expect(router.currentRoute.value.path).toBe(`/sessions/${sessionId}/review`))
  })

  it('says when the session is in History already, and offers no import', async () => {
    await target.api.bundles.import({ fileName, data: toBase64(bundle) })
    await choose(fileName, bundle)
    await eventually(() => expect(wrapper.find(tid('bundle-already-present')).exists()).toBe(true))
    expect(wrapper.find(tid('bundle-already-present')).text()).toContain('already in History')
    expect(wrapper.find(`${tid('bundle-already-present')} a`).attributes('href')).toBe(`/sessions/${sessionId}/review`)
    expect(wrapper.find(tid('bundle-import')).exists()).toBe(false)
  })

  it('shows the refusal when the session arrives between checking and importing', async () => {
    await choose(fileName, bundle)
    await eventually(() => expect(wrapper.find(tid('bundle-import')).exists()).toBe(true))
    await target.api.bundles.import({ fileName, data: toBase64(bundle) })
    await wrapper.find(tid('bundle-import')).trigger('click')
    await eventually(() => expect(wrapper.find(tid('bundle-import-error')).exists()).toBe(true))
    expect(wrapper.find(tid('bundle-import-error')).text()).toMatch(
      /This session, “Backend loop” with Grace Hopper on .+, is already in this Duet: find it in History\./,
    )
    expect(wrapper.find(tid('bundle-imported')).exists()).toBe(false)
  })

  it('refuses a damaged file, saying so, and imports nothing', async () => {
    const damaged = bundle.slice()
    const middle = Math.floor(damaged.length / 2)
    damaged[middle] = (damaged[middle] ?? 0) ^ 0x10
    await choose(fileName, damaged)
    const text = await refusal()
    expect(text).toContain(`${fileName} is damaged or was edited after it was exported`)
    expect(text).toContain('Nothing was imported.')
    expect(wrapper.find(tid('bundle-preview')).exists()).toBe(false)
  })

  it('refuses a file cut short as incomplete', async () => {
    await choose(fileName, bundle.slice(0, bundle.length - 100))
    expect(await refusal()).toContain(
      `${fileName} is incomplete: the file ends after ${bundle.length - 100} of its ${bundle.length} bytes.`,
    )
  })

  it('refuses a file that is not a bundle', async () => {
    await choose('notes.txt', new TextEncoder().encode('Just some notes'))
    expect(await refusal()).toContain(
      'notes.txt is not a Duet session bundle. Choose a .duet file that Duet exported from a session.',
    )
  })

  it('refuses a file over the size limit without reading it', async () => {
    await choose('huge.duet', new Uint8Array(MAX_BUNDLE_BYTES + 1))
    expect(wrapper.find(tid('loading')).exists()).toBe(false)
    expect(await refusal()).toContain('huge.duet is larger than 16 MB, the most a session bundle may be')
  })

  it('lists each field of content this Duet cannot import', async () => {
    // Sealed by the host's own writer, so only the content is wrong.
    const { content } = await readBundle(fileName, Buffer.from(bundle))
    const odd = { ...content, session: { ...content.session, language: 'cobol', timeLimitMs: -5 } }
    const file = await writeBundle(odd as unknown as BundleContent, { exportedAt: new Date(), appVersion: 'test' })
    await choose('odd.duet', new Uint8Array(file))
    const text = await refusal()
    expect(text).toContain('odd.duet holds a session this Duet cannot import: session.language:')
    expect(wrapper.findAll(tid('bundle-import-issue')).map((li) => li.text())).toEqual([
      expect.stringMatching(/^session\.language: /) as string,
      expect.stringMatching(/^session\.timeLimitMs: /) as string,
    ])
  })
})
