import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { problemText } from '../../src/shared/sync/doc'
import { END_PAGES } from './session/end-pages'
import { INFO, MemoryStorage, ROOM_ID, SECRET, startPage, type Harness } from './test-support'

let page: Harness | null = null
afterEach(async () => {
  await page?.dispose()
  page = null
})

async function open(options: Parameters<typeof startPage>[0] = {}): Promise<Harness> {
  page = await startPage(options)
  return page
}

async function atJoinScreen(options: Parameters<typeof startPage>[0] = {}): Promise<Harness> {
  const p = await open(options)
  await p.mode('direct')
  await p.hostSends({ type: 'session.info', info: INFO })
  return p
}

async function joined(): Promise<Harness> {
  const p = await atJoinScreen()
  await p.byTestId('cand-name').setValue('Sam Lee')
  await p.byTestId('cand-join-button').trigger('submit')
  await p.settle()
  return p
}

describe('the link address', () => {
  it.each([
    ['no secret', `/s/${ROOM_ID}`, ''],
    ['a cut-off secret', `/s/${ROOM_ID}`, `#${SECRET.slice(0, 20)}`],
    ['a cut-off room id', `/s/${ROOM_ID.slice(0, 10)}`, `#${SECRET}`],
    ['no room id', '/s/', `#${SECRET}`],
  ])('with %s shows the incomplete-link page and never connects', async (_case, pathname, hash) => {
    const p = await open({ pathname, hash })
    const error = p.byTestId('cand-error')
    expect(error.attributes('data-code')).toBe('incomplete-link')
    expect(error.text()).toContain('This link is incomplete — ask your interviewer for the full link')
    expect(p.linkOptions).toHaveLength(0)
  })

  it('starts the guest link with the room, the secret, same-origin signaling and the ICE servers', async () => {
    const p = await open({ pathname: `/s/${ROOM_ID}/`, search: '?relay=1' })
    expect(p.linkOptions).toEqual([
      {
        role: 'guest',
        roomId: ROOM_ID,
        secret: SECRET,
        signalingUrl: 'ws://127.0.0.1:8787/ws',
        iceServers: [{ urls: 'stun:stun.example.org:3478' }],
        forceRelay: true,
      },
    ])
  })
})

describe('waiting and the join screen', () => {
  it('waits for the interviewer until the session info arrives', async () => {
    const p = await open()
    expect(p.byTestId('cand-waiting').text()).toContain('Waiting for your interviewer…')
    await p.mode('direct')
    expect(p.byTestId('cand-waiting').exists()).toBe(true)
    await p.hostSends({ type: 'session.info', info: INFO })
    expect(p.byTestId('cand-waiting').exists()).toBe(false)
    expect(p.byTestId('cand-join').exists()).toBe(true)
  })

  it('shows the interviewer, the title, the problem count, the language and the recording notice', async () => {
    const p = await atJoinScreen()
    expect(p.byTestId('cand-interviewer').text()).toBe('Ada Lovelace')
    expect(p.byTestId('cand-title').text()).toBe('Backend pairing')
    expect(p.byTestId('cand-problem-count').text()).toBe('2 problems')
    expect(p.byTestId('cand-language').text()).toBe('Python')
    expect(p.byTestId('cand-recording-notice').text()).toContain('recorded on your interviewer’s computer')
  })

  it.each([
    ['', 'Enter your name'],
    ['   ', 'Enter your name'],
    [' A ', 'at least 2 characters'],
    ['x'.repeat(81), 'at most 80 characters'],
  ])('refuses the name %j with a clear message', async (name, message) => {
    const p = await atJoinScreen()
    expect(p.byTestId('cand-name-error').exists()).toBe(false)
    await p.byTestId('cand-name').setValue(name)
    await p.byTestId('cand-join-button').trigger('submit')
    const error = p.byTestId('cand-name-error')
    expect(error.text()).toContain(message)
    expect(p.byTestId('cand-name').attributes('aria-invalid')).toBe('true')
    expect(p.byTestId('cand-join').exists()).toBe(true)
    expect(p.received.filter((f) => f.type === 'candidate.hello')).toHaveLength(0)
  })

  it('clears the message once the name is fixed, and joins with the trimmed name', async () => {
    const p = await atJoinScreen()
    await p.byTestId('cand-join-button').trigger('submit')
    expect(p.byTestId('cand-name-error').exists()).toBe(true)
    await p.byTestId('cand-name').setValue('  Sam Lee  ')
    expect(p.byTestId('cand-name-error').exists()).toBe(false)
    await p.byTestId('cand-join-button').trigger('submit')
    await p.settle()
    expect(p.received).toContainEqual({ type: 'candidate.hello', name: 'Sam Lee' })
    expect(p.byTestId('cand-session').exists()).toBe(true)
    expect(p.storage.getItem(`duet:name:${ROOM_ID}`)).toBe('Sam Lee')
  })

  it('accepts names of exactly 2 and 80 characters', () => {
    expect(INFO.problems).toHaveLength(2)
    return Promise.all(
      ['Al', 'y'.repeat(80)].map(async (name) => {
        const p = await startPage()
        await p.mode('direct')
        await p.hostSends({ type: 'session.info', info: INFO })
        expect(p.session.join(name)).toEqual({ ok: true, name })
        await p.dispose()
      }),
    )
  })
})

describe('the session screen', () => {
  it('shows the problem, its difficulty and progress, following the host', async () => {
    const p = await joined()
    expect(p.byTestId('cand-progress').text()).toBe('Problem 1 of 2')
    expect(p.byTestId('cand-problem-title').text()).toBe('Two sum')
    expect(p.byTestId('cand-difficulty').text()).toBe('Junior')
    expect(p.byTestId('cand-connection').attributes('data-mode')).toBe('direct')
    expect(p.byTestId('cand-editor').exists()).toBe(true)
    await p.hostSends({
      type: 'session.state',
      state: { status: 'live', currentProblem: 1, startedAt: 1, timeLimitMs: null },
    })
    expect(p.byTestId('cand-progress').text()).toBe('Problem 2 of 2')
    expect(p.byTestId('cand-problem-title').text()).toBe('LRU cache')
    expect(p.byTestId('cand-difficulty').text()).toBe('Senior')
  })

  it('renders the statement as Markdown without any of its raw HTML', async () => {
    const p = await joined()
    const statement = p.byTestId('cand-statement')
    expect(statement.find('strong').text()).toBe('two')
    expect(statement.find('script').exists()).toBe(false)
    expect(statement.find('img').exists()).toBe(false)
    expect(statement.find('[onerror]').exists()).toBe(false)
    expect(statement.text()).toContain('<script>alert(1)</script>')
  })

  it('receives the starter code from the host, and the candidate never seeds', async () => {
    const p = await joined()
    expect(p.session.state.codeReady).toBe(true)
    expect(problemText(p.session.doc, 0).toString()).toBe(INFO.problems[0]?.starterCode)
    problemText(p.session.doc, 0).insert(0, '# mine\n')
    p.pair.flush()
    expect(problemText(p.hostDoc, 0).toString()).toBe(`# mine\n${INFO.problems[0]?.starterCode}`)
  })

  it('shows the connection state as it changes', async () => {
    const p = await joined()
    await p.mode('reconnecting')
    expect(p.byTestId('cand-connection').attributes('data-mode')).toBe('reconnecting')
    expect(p.byTestId('cand-connection').text()).toContain('Reconnecting')
    await p.mode('relayed')
    expect(p.byTestId('cand-connection').text()).toContain('relayed')
  })

  it('tells the host about focus changes and large pastes, keeping them while the link is down', async () => {
    const p = await joined()
    window.dispatchEvent(new Event('blur'))
    window.dispatchEvent(new Event('blur'))
    window.dispatchEvent(new Event('focus'))
    p.pair.flush()
    p.session.pasted(99)
    p.session.pasted(250)
    p.pair.flush()
    await p.mode('reconnecting')
    window.dispatchEvent(new Event('blur'))
    expect(p.received.filter((f) => f.type === 'event')).toHaveLength(3)
    await p.mode('direct')
    expect(p.received.filter((f) => f.type === 'event' || f.type === 'candidate.hello')).toEqual([
      { type: 'candidate.hello', name: 'Sam Lee' },
      { type: 'event', kind: 'focus-lost', problem: 0 },
      { type: 'event', kind: 'focus-gained', problem: 0 },
      { type: 'event', kind: 'paste', problem: 0, chars: 250 },
      { type: 'candidate.hello', name: 'Sam Lee' },
      { type: 'event', kind: 'focus-lost', problem: 0 },
    ])
  })

  it('rejoins after a refresh without asking for the name again, with the code it kept', async () => {
    const storage = new MemoryStorage()
    storage.setItem(`duet:name:${ROOM_ID}`, 'Sam Lee')
    const earlier = new Y.Doc()
    problemText(earlier, 0).insert(0, 'typed offline before the refresh\n')
    const p = await open({ storage, stored: Y.encodeStateAsUpdate(earlier) })
    expect(p.session.state.codeReady).toBe(true)
    await p.mode('direct')
    await p.hostSends({ type: 'session.info', info: INFO })
    expect(p.byTestId('cand-session').exists()).toBe(true)
    expect(p.received).toContainEqual({ type: 'candidate.hello', name: 'Sam Lee' })
    expect(problemText(p.hostDoc, 0).toString()).toContain('typed offline before the refresh\n')
    expect(problemText(p.session.doc, 0).toString()).toBe(problemText(p.hostDoc, 0).toString())
  })
})

describe('the end pages', () => {
  it.each(['room-not-found', 'bad-key', 'expired', 'replaced'] as const)(
    'shows the %s page when the link closes for that reason',
    async (reason) => {
      const p = await open()
      await p.mode('closed', reason)
      const error = p.byTestId('cand-error')
      expect(error.attributes('data-code')).toBe(reason)
      expect(error.text()).toContain(END_PAGES[reason].message)
      expect(p.pair.b.closedByOwner).toBe(true)
    },
  )

  it('explains when the browser cannot encrypt (an http:// page that is not localhost)', async () => {
    const p = await open({ canEncrypt: false })
    expect(p.byTestId('cand-error').attributes('data-code')).toBe('unsupported')
    expect(p.linkOptions).toHaveLength(0)
  })

  it('says the interview is open elsewhere when the host says it was replaced', async () => {
    const p = await joined()
    await p.hostSends({ type: 'bye', reason: 'replaced' })
    expect(p.byTestId('cand-error').attributes('data-code')).toBe('replaced')
    expect(p.byTestId('cand-error').text()).toContain('This interview is open in another tab or device')
  })

  it('thanks the candidate when the interview ends, and forgets this browser’s copy', async () => {
    const p = await joined()
    await p.hostSends({
      type: 'session.state',
      state: { status: 'ended', currentProblem: 1, startedAt: 1, timeLimitMs: null },
    })
    expect(p.byTestId('cand-thanks-title').text()).toBe('Thank you, Sam Lee!')
    expect(p.byTestId('cand-thanks-problems').text()).toBe('2 of 2')
    expect(p.cleared()).toBe(true)
    expect(p.storage.getItem(`duet:name:${ROOM_ID}`)).toBeNull()
  })

  it('shows the plain thank-you page when the interview ended before the candidate joined', async () => {
    const p = await atJoinScreen()
    await p.hostSends({ type: 'bye', reason: 'ended' })
    expect(p.byTestId('cand-error').attributes('data-code')).toBe('ended')
    expect(p.byTestId('cand-error').text()).toContain(END_PAGES.ended.message)
    expect(p.byTestId('cand-thanks').exists()).toBe(false)
  })

  it('stays put when the interviewer leaves for a while, and shows a generic page when the link closes', async () => {
    const p = await joined()
    await p.hostSends({ type: 'bye', reason: 'closed' })
    expect(p.byTestId('cand-session').exists()).toBe(true)
    await p.mode('closed', 'closed')
    expect(p.byTestId('cand-error').attributes('data-code')).toBe('closed')
  })
})
