import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Session } from '../../../shared/session'
import { eventually, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'
import NotesPanel from './NotesPanel.vue'
import { createSessionNotes } from './session-notes'

let host: RealHost
let session: Session
let wrapper: VueWrapper

const find = (id: string): DOMWrapper<HTMLElement> => wrapper.find<HTMLElement>(tid(id))
const notes = (): DOMWrapper<HTMLElement>[] => wrapper.findAll<HTMLElement>(tid('note'))
const texts = (): string[] => notes().map((n) => n.find(tid('note-text')).text())
const stored = async (): Promise<string[]> => (await host.api.notes.list({ sessionId: session.id })).map((n) => n.text)

async function open(): Promise<void> {
  const sessionNotes = createSessionNotes({
    host: host.api,
    sessionId: session.id,
    stamp: () => ({ tMs: 90_000, problem: 0 }),
  })
  wrapper = mount(NotesPanel, {
    attachTo: document.body,
    props: { notes: sessionNotes, problemTitles: session.problems.map((p) => p.title) },
  })
  await flushPromises()
}

beforeEach(async () => {
  host = startRealHost()
  session = await host.api.sessions.create({
    candidateName: 'Ada Lovelace',
    language: 'python',
    problems: { mode: 'random', difficulty: 'junior', count: 1 },
  })
  await host.api.notes.add({ sessionId: session.id, text: 'Read the problem twice', tMs: 30_000, problem: 0 })
  await host.api.notes.add({ sessionId: session.id, text: 'Forgot the empty list', tMs: 60_000, problem: 0 })
})

afterEach(() => {
  wrapper.unmount()
  host.dispose()
  vi.restoreAllMocks()
})

describe('private notes: changing what was written', () => {
  it('rewrites a note in place, keeping its time and problem, and stores it', async () => {
    await open()
    await eventually(() => expect(notes()).toHaveLength(2))
    const before = await host.api.notes.list({ sessionId: session.id })

    await notes()[1]?.find(tid('note-edit')).trigger('click')
    const box = find('note-edit-text')
    expect(box.element).toHaveProperty('value', 'Forgot the empty list')
    await box.setValue('Forgot the empty list, then caught it with a test')
    await find('note-edit-save').trigger('submit')

    await eventually(() => expect(find('note-edit-text').exists()).toBe(false))
    expect(texts()).toEqual(['Read the problem twice', 'Forgot the empty list, then caught it with a test'])
    const after = await host.api.notes.list({ sessionId: session.id })
    expect(after.map((n) => [n.id, n.tMs, n.problem, n.text])).toEqual([
      [before[0]?.id, 30_000, 0, 'Read the problem twice'],
      [before[1]?.id, 60_000, 0, 'Forgot the empty list, then caught it with a test'],
    ])
  })

  it('cancels an edit with Esc and saves one with Ctrl+Enter', async () => {
    await open()
    await eventually(() => expect(notes()).toHaveLength(2))
    await notes()[0]?.find(tid('note-edit')).trigger('click')
    await find('note-edit-text').setValue('Not meant')
    await find('note-edit-text').trigger('keydown', { key: 'Escape' })
    expect(find('note-edit-text').exists()).toBe(false)
    expect(texts()[0]).toBe('Read the problem twice')

    await notes()[0]?.find(tid('note-edit')).trigger('click')
    await find('note-edit-text').setValue('Read the problem three times')
    await find('note-edit-text').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await eventually(() => expect(texts()[0]).toBe('Read the problem three times'))
    expect(await stored()).toEqual(['Read the problem three times', 'Forgot the empty list'])
  })

  it('refuses to save an empty note and says to delete it instead', async () => {
    await open()
    await eventually(() => expect(notes()).toHaveLength(2))
    await notes()[0]?.find(tid('note-edit')).trigger('click')
    await find('note-edit-text').setValue('   ')
    await find('note-edit-save').trigger('submit')
    expect(find('note-error').text()).toBe('A note cannot be empty; delete it instead.')
    expect(find('note-edit-text').exists()).toBe(true)
    expect(await stored()).toEqual(['Read the problem twice', 'Forgot the empty list'])
  })

  it('keeps the edit open with the reason when the host cannot store it', async () => {
    await open()
    await eventually(() => expect(notes()).toHaveLength(2))
    vi.spyOn(host.api.notes, 'update').mockRejectedValueOnce(new Error('The database is locked by another program'))
    await notes()[0]?.find(tid('note-edit')).trigger('click')
    await find('note-edit-text').setValue('Changed')
    await find('note-edit-save').trigger('submit')
    await eventually(() => expect(find('note-error').exists()).toBe(true))
    expect(find('note-error').text()).toBe('The database is locked by another program.')
    expect(find('note-edit-text').element).toHaveProperty('value', 'Changed')
    expect(await stored()).toEqual(['Read the problem twice', 'Forgot the empty list'])
  })

  it('deletes a note only after confirming', async () => {
    await open()
    await eventually(() => expect(notes()).toHaveLength(2))
    await notes()[0]?.find(tid('note-delete')).trigger('click')
    expect(find('confirm-dialog').text()).toContain('Read the problem twice')
    await find('confirm-no').trigger('click')
    expect(texts()).toHaveLength(2)

    await notes()[0]?.find(tid('note-delete')).trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(texts()).toEqual(['Forgot the empty list']))
    expect(await stored()).toEqual(['Forgot the empty list'])
  })
})
