import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { Session } from '../../../shared/session'
import { applyRecording } from '../session/replay'
import { hostLinkFactoryKey } from '../session/link-types'
import { FakeCandidate } from '../test-support/fake-candidate'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

const TWO_SUM_STARTER = 'def two_sum(nums, target):\n    pass\n'
const BRACKETS_STARTER = 'def is_balanced(s):\n    pass\n'

let host: RealHost
let wrapper: VueWrapper | undefined
let candidate: FakeCandidate
let session: Session

const find = (id: string): DOMWrapper<HTMLElement> => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}
const editor = (): DOMWrapper<HTMLTextAreaElement> => find('session-editor').find<HTMLTextAreaElement>('textarea')
const mode = (): string | undefined => find('session-connection').attributes('data-mode')

async function open(id = session.id): Promise<void> {
  ;({ wrapper } = await mountApp(host.api, `/sessions/${id}`, { [hostLinkFactoryKey]: candidate.factory }))
  await eventually(() => expect(find('session-connection').exists() || find('session-load-error').exists()).toBe(true))
}

function unmount(): void {
  wrapper?.unmount()
  wrapper = undefined
}

async function idOf(title: string): Promise<number> {
  return (await host.api.problems.list({ text: title })).items.find((p) => p.title === title)?.id ?? 0
}

/** Connects the candidate directly and waits for the session to go live. */
async function connect(name = 'Ada Lovelace'): Promise<void> {
  candidate.setMode('direct')
  candidate.hello(name)
  await eventually(() => {
    candidate.deliver()
    expect(candidate.framesOf('session.state').at(-1)?.state.status).toBe('live')
  })
}

const recorded = async (): Promise<string[]> =>
  (await host.api.recording.load({ sessionId: session.id })).events.filter((e) => e.kind !== 'yjs').map((e) => e.kind)

beforeEach(async () => {
  host = startRealHost()
  candidate = new FakeCandidate()
  session = await host.api.sessions.create({
    language: 'python',
    problems: { mode: 'pick', ids: [await idOf('Two Sum'), await idOf('Balanced Brackets')] },
  })
})

afterEach(() => {
  unmount()
  host.dispose()
  vi.unstubAllGlobals()
})

describe('the live session view', () => {
  it('waits with the link, then shows the candidate, live, with only what the candidate may see', async () => {
    await open()
    expect(mode()).toBe('waiting')
    expect(find('session-presence').attributes('data-online')).toBe('false')
    expect(find('session-link').text()).toBe(`http://127.0.0.1:8787/s/${session.roomId}#${session.secret}`)
    expect(candidate.connections[0]).toMatchObject({ roomId: session.roomId, secret: session.secret })
    expect(candidate.linkOptions[0]).toEqual({ forceRelay: false })
    expect(find('session-problem-title').text()).toBe('Two Sum')
    expect(find('session-progress').text()).toBe('1 of 2')
    expect(wrapper?.find(tid('difficulty-badge')).text()).toBe('junior')
    expect(editor().element.value).toBe(TWO_SUM_STARTER)
    expect(editor().attributes('readonly')).toBeDefined()

    await connect()
    expect(mode()).toBe('direct')
    expect(find('session-presence').text()).toContain('Ada Lovelace')
    expect(find('session-presence').attributes('data-online')).toBe('true')
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('live')

    const [info] = candidate.framesOf('session.info')
    expect(info?.info.problems.map((p) => [p.title, p.starterCode])).toEqual([
      ['Two Sum', TWO_SUM_STARTER],
      ['Balanced Brackets', BRACKETS_STARTER],
    ])
    // Hidden tests and reference solutions stay on this machine.
    const wire = JSON.stringify(candidate.received)
    expect(wire).not.toContain('negatives')
    expect(wire).not.toContain('seen = {}')
    expect(candidate.text(0).toString()).toBe(TWO_SUM_STARTER)

    candidate.type(0, '    return []\n')
    await eventually(() => expect(editor().element.value).toBe(`${TWO_SUM_STARTER}    return []\n`))
  })

  it('lets the interviewer co-edit only after turning it on', async () => {
    await open()
    await connect()
    await editor().setValue('typed while read-only')
    expect(candidate.text(0).toString()).toBe(TWO_SUM_STARTER)

    await find('session-coedit').setValue(true)
    expect(editor().attributes('readonly')).toBeUndefined()
    await editor().setValue(`# hint\n${TWO_SUM_STARTER}`)
    candidate.deliver()
    expect(candidate.text(0).toString()).toBe(`# hint\n${TWO_SUM_STARTER}`)
  })

  it('moves between problems and tells the candidate', async () => {
    await open()
    await connect()
    expect(find('session-prev').attributes('disabled')).toBeDefined()
    await find('session-next').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('2 of 2'))
    expect(find('session-problem-title').text()).toBe('Balanced Brackets')
    expect(editor().element.value).toBe(BRACKETS_STARTER)
    expect(find('session-next').attributes('disabled')).toBeDefined()
    expect((await host.api.sessions.get({ id: session.id })).currentProblem).toBe(1)
    candidate.deliver()
    expect(candidate.framesOf('session.state').at(-1)?.state.currentProblem).toBe(1)

    await find('session-prev').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('1 of 2'))
  })

  it('shows the link mode and presence as they change, ends the session and records it all', async () => {
    await open()
    await connect()
    candidate.type(0, 'x = 1\n')
    candidate.send({ type: 'event', kind: 'focus-lost', problem: 0 })
    candidate.send({ type: 'event', kind: 'focus-gained', problem: 0 })
    candidate.send({ type: 'event', kind: 'paste', problem: 0, chars: 20 })
    candidate.send({ type: 'event', kind: 'paste', problem: 0, chars: 150 })

    candidate.setMode('reconnecting')
    await eventually(() => expect(mode()).toBe('reconnecting'))
    expect(find('session-presence').attributes('data-online')).toBe('false')
    candidate.setMode('relayed')
    await eventually(() => expect(mode()).toBe('relayed'))
    candidate.type(0, 'y = 2\n')
    await eventually(() => expect(editor().element.value).toBe(`${TWO_SUM_STARTER}x = 1\ny = 2\n`))
    await find('session-next').trigger('click')
    await eventually(() => expect(find('session-progress').text()).toBe('2 of 2'))
    candidate.type(1, '# second\n')

    await find('session-end').trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('session-ended').exists()).toBe(true))
    expect((await host.api.sessions.get({ id: session.id })).status).toBe('ended')
    expect(find('session-end').exists()).toBe(false)
    expect(mode()).toBe('closed')
    expect(candidate.framesOf('session.state').at(-1)?.state.status).toBe('ended')
    expect(candidate.framesOf('bye')).toEqual([{ type: 'bye', reason: 'ended' }])
    expect(candidate.linkEnds).toEqual(['ended'])

    expect(await recorded()).toEqual([
      'mode',
      'join',
      'status',
      'focus-lost',
      'focus-gained',
      'paste',
      'mode',
      'leave',
      'mode',
      'reconnect',
      'problem',
      'status',
    ])
    const recording = await host.api.recording.load({ sessionId: session.id })
    const paste = recording.events.find((e) => e.kind === 'paste')
    expect(paste && JSON.parse(paste.data)).toEqual({ chars: 150 })
    const rebuilt = new Y.Doc()
    applyRecording(rebuilt, recording)
    expect(rebuilt.getText('problem:0').toString()).toBe(candidate.text(0).toString())
    expect(rebuilt.getText('problem:1').toString()).toBe(`${BRACKETS_STARTER}# second\n`)
  })

  it('reopens a session from its recording without seeding the starter code again', async () => {
    await open()
    await connect()
    candidate.text(0).delete(0, TWO_SUM_STARTER.length)
    candidate.type(0, 'def two_sum(nums, target):\n    return [0, 1]\n')
    unmount()
    const stored = async (): Promise<number> =>
      (await host.api.recording.load({ sessionId: session.id })).events.filter((e) => e.kind === 'yjs').length
    await eventually(async () => expect(await stored()).toBeGreaterThanOrEqual(3))
    const before = await stored()

    await open()
    expect(editor().element.value).toBe('def two_sum(nums, target):\n    return [0, 1]\n')
    candidate.setMode('direct')
    expect(candidate.text(0).toString()).toBe('def two_sum(nums, target):\n    return [0, 1]\n')
    unmount()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await stored()).toBe(before)
  })

  it('shows an ended session read-only, without a link', async () => {
    await open()
    await connect()
    candidate.type(0, '# done\n')
    await find('session-end').trigger('click')
    await find('confirm-yes').trigger('click')
    await eventually(() => expect(find('session-ended').exists()).toBe(true))
    unmount()

    await open()
    expect(candidate.connections).toHaveLength(1)
    expect(find('session-link').exists()).toBe(false)
    expect(find('session-coedit').exists()).toBe(false)
    expect(mode()).toBe('closed')
    expect(editor().element.value).toBe(`${TWO_SUM_STARTER}# done\n`)
    expect(editor().attributes('readonly')).toBeDefined()
    expect(find('session-next').attributes('disabled')).toBeDefined()
  })

  it('copies the link, and offers it to copy by hand when the clipboard refuses', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    await open()
    await find('session-copy-link').trigger('click')
    await eventually(() => expect(find('session-copied').text()).toBe('Copied'))
    expect(writeText).toHaveBeenCalledWith(`http://127.0.0.1:8787/s/${session.roomId}#${session.secret}`)
    expect(find('session-link-fallback').exists()).toBe(false)

    writeText.mockRejectedValueOnce(new DOMException('Write permission denied.', 'NotAllowedError'))
    await find('session-copy-link').trigger('click')
    await eventually(() => expect(find('session-link-fallback').exists()).toBe(true))
    expect((find('session-link-fallback').element as HTMLInputElement).value).toBe(find('session-link').text())
    expect(find('session-copied').text()).toBe('')
  })

  it('says when the session does not exist', async () => {
    await open('no-such-session')
    expect(find('session-load-error').text()).toContain('There is no session with id no-such-session')
  })

  it('can force the relay path from the address', async () => {
    ;({ wrapper } = await mountApp(host.api, `/sessions/${session.id}?relay=1`, {
      [hostLinkFactoryKey]: candidate.factory,
    }))
    await eventually(() => expect(candidate.linkOptions).toEqual([{ forceRelay: true }]))
  })
})
