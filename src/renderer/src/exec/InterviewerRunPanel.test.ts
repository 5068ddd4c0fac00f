import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runnerSourceKey } from '../../../browser/run-ui/runner-source'
import { ScriptedRunners, type ScriptedRunner } from '../../../browser/run-ui/testing/scripted-runner'
import type * as RunRecord from '../../../shared/run-record'
import type { Session } from '../../../shared/session'
import { hostLinkFactoryKey } from '../session/link-types'
import { FakeCandidate } from '../test-support/fake-candidate'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

// The run ids the runner UI picks, in order, so a test can tell which id a stored run got.
const picked = vi.hoisted(() => ({ ids: [] as string[] }))
vi.mock('../../../shared/run-record', async (importOriginal) => {
  const original = await importOriginal<typeof RunRecord>()
  return {
    ...original,
    newRunId: () => {
      const id = original.newRunId()
      picked.ids.push(id)
      return id
    },
  }
})

let host: RealHost
let wrapper: VueWrapper | undefined
let candidate: FakeCandidate
let session: Session
let runners: ScriptedRunners

const find = (id: string): DOMWrapper<HTMLElement> => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}
const python = (): ScriptedRunner => runners.get('python')
const storedRuns = () => host.api.runs.list({ sessionId: session.id })
const ctrlEnter = (target: EventTarget): boolean =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }))

async function open(): Promise<void> {
  ;({ wrapper } = await mountApp(host.api, `/sessions/${session.id}`, {
    [hostLinkFactoryKey]: candidate.factory,
    [runnerSourceKey]: runners,
  }))
  await eventually(() => expect(find('live-run-panel').exists()).toBe(true))
}

async function connect(): Promise<void> {
  candidate.setMode('direct')
  candidate.hello('Ada Lovelace')
  await eventually(() => expect(find('session-connection').attributes('data-mode')).toBe('direct'))
}

beforeEach(async () => {
  picked.ids.length = 0
  host = startRealHost()
  candidate = new FakeCandidate()
  runners = new ScriptedRunners()
  const twoSum = (await host.api.problems.list({ text: 'Two Sum' })).items.find((p) => p.title === 'Two Sum')
  session = await host.api.sessions.create({ language: 'python', problems: { mode: 'pick', ids: [twoSum?.id ?? 0] } })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  host.dispose()
})

describe('the interviewer’s run panel in the live view', () => {
  it('runs with Ctrl/Cmd+Enter from anywhere on the page, once, and stores the run under the id it started with', async () => {
    await open()
    await connect()
    // Nothing focused: the key goes to the page itself.
    expect(ctrlEnter(document.body)).toBe(false)
    expect(python().requests).toHaveLength(1)
    await eventually(() => expect(find('live-status').attributes('data-status')).toBe('running'))
    // A second press while it runs starts nothing.
    ctrlEnter(find('session-heading').element)
    expect(python().requests).toHaveLength(1)
    python().finish({ status: 'ok', durationMs: 3 })
    await eventually(async () => expect(await storedRuns()).toHaveLength(1))
    expect(picked.ids).toHaveLength(1)
    expect((await storedRuns())[0]).toMatchObject({ runId: picked.ids[0], side: 'interviewer', kind: 'run' })

    // From the editor, the editor's own binding runs it, and the page does not run it again.
    await find('session-editor').find('textarea').trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(python().requests).toHaveLength(2)
    python().finish()

    // Ctrl+Enter in the notes adds the note and runs nothing.
    await eventually(() => expect(find('note-draft').exists()).toBe(true))
    await find('note-draft').setValue('Reads the problem twice')
    await find('note-draft').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await eventually(async () => expect(await host.api.notes.list({ sessionId: session.id })).toHaveLength(1))
    expect(python().requests).toHaveLength(2)

    // Plain Enter, or with Shift, is left to the page.
    expect(
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })),
    ).toBe(true)
    expect(python().requests).toHaveLength(2)
  })

  it('ignores the shortcut while a dialog is open, and once the view is gone', async () => {
    await open()
    await connect()
    await find('session-end').trigger('click')
    await eventually(() => expect(find('confirm-dialog').exists()).toBe(true))
    ctrlEnter(find('confirm-no').element)
    expect(python().requests).toHaveLength(0)
    await find('confirm-no').trigger('click')

    wrapper?.unmount()
    wrapper = undefined
    ctrlEnter(document.body)
    expect(python().requests).toHaveLength(0)
  })

  it('shows how many frames from the candidate were dropped, only once there are some', async () => {
    await open()
    await connect()
    expect(find('session-dropped-frames').exists()).toBe(false)
    candidate.send({ type: 'bye', reason: 'ended' })
    await eventually(() => expect(find('session-dropped-frames').text()).toBe('1 frame dropped'))
    candidate.send({ type: 'run.output', runId: 'nobody', stream: 'stdout', text: 'x' })
    await eventually(() => expect(find('session-dropped-frames').text()).toBe('2 frames dropped'))
  })
})
