import { mount, type VueWrapper } from '@vue/test-utils'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { unsafeDom, XSS_NAMES, XSS_PAYLOADS } from '../../browser/testing/xss'
import type { ProblemDraft } from '../../shared/problem'
import type { Session } from '../../shared/session'
import { remoteCursorCss } from '../../shared/sync/presence'
import { recordReliability } from '../../test-support/reliability-log'
import MarkdownView from './components/MarkdownView.vue'
import { HISTORY_PAGE_SIZE } from './history/history-store'
import { hostLinkFactoryKey } from './session/link-types'
import { FakeCandidate } from './test-support/fake-candidate'
import { eventually, mountApp, tid } from './test-support/mount-app'
import { startRealHost, type RealHost } from './test-support/real-host'

/**
 * Known XSS payloads as problem statements, problem and test titles, and candidate names, through
 * the real host (SQLite) into the interviewer's views: nothing that can run script may reach the
 * DOM, and a name shows as the text it is.
 */

/** One problem per payload: the payload is its statement, its title and its test's name. */
const hostilePack: ProblemDraft[] = XSS_PAYLOADS.map((payload, i) => ({
  title: payload.trim().slice(0, 200) || `Payload ${i}`,
  slug: `xss-${i}`,
  difficulty: 'junior',
  tags: [],
  description: payload,
  entryFunction: 'solve',
  starterCode: { python: 'def solve(x):\n    pass\n' },
  solution: { python: 'def solve(x):\n    return x\n' },
  tests: [{ name: payload.trim().slice(0, 120) || `case ${i}`, args: [1], expected: 1 }],
}))

let host: RealHost
let wrapper: VueWrapper | undefined
let problemIds: number[]
/** An ended session per payload that fits a name, named with it. */
const ended: { name: string; session: Session }[] = []
const checked = { views: 0, payloads: 0 }

beforeAll(async () => {
  host = startRealHost({ starterProblems: hostilePack })
  const listed = (await host.api.problems.list({ limit: 500 })).items
  problemIds = hostilePack.map((p) => listed.find((l) => l.title === p.title)?.id ?? 0)
  for (const [i, name] of XSS_NAMES.entries()) {
    const created = await host.api.sessions.create({
      language: 'python',
      candidateName: name,
      title: name,
      problems: { mode: 'pick', ids: [problemIds[i % problemIds.length] ?? 0] },
    })
    await host.api.sessions.setStatus({ id: created.id, status: 'live' })
    ended.push({ name, session: await host.api.sessions.setStatus({ id: created.id, status: 'ended' }) })
  }
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

afterAll(() => {
  host.dispose()
  recordReliability({
    area: 'hostile-input',
    scenario: 'XSS in the interviewer’s app',
    tried: `${XSS_PAYLOADS.length} known payloads (script, event handlers, svg, iframe srcdoc, style, javascript: and data: links, Markdown link and image tricks, HTML entities, Unicode tricks) as problem statements, problem and test titles, and ${XSS_NAMES.length} as candidate names, in the problem pages, live view, sessions list, history, review, replay and evaluation`,
    frames: checked.payloads,
    refused: checked.payloads,
    views: checked.views,
    lost: 'nothing',
  })
})

/** Mounts the app at `path`, waits for `ready`, and checks the whole rendered page. */
async function visit(path: string, ready: string, provide: Record<symbol, unknown> = {}): Promise<VueWrapper> {
  wrapper?.unmount()
  ;({ wrapper } = await mountApp(host.api, path, provide))
  const mounted = wrapper
  await eventually(() => expect(mounted.find(tid(ready)).exists()).toBe(true))
  checked.views++
  return mounted
}

function expectSafe(page: VueWrapper, what: string): void {
  expect(unsafeDom(page.element), what).toEqual([])
}

const textOf = (page: VueWrapper): string => page.element.textContent ?? ''

describe('the DOM check the tests below rely on', () => {
  it.each([
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" java\tscript:alert(1)">x</a>',
    '<iframe srcdoc="x"></iframe>',
    '<object data="x"></object>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="data:text/html,x">x</a>',
    '<svg><script>alert(1)</script></svg>',
    '<form action="javascript:alert(1)"></form>',
  ])('flags %s', (html) => {
    const root = document.createElement('div')
    root.innerHTML = html
    expect(unsafeDom(root)).not.toEqual([])
  })

  it('passes what the Markdown view makes of safe Markdown', () => {
    const view = mount(MarkdownView, {
      props: { source: '**bold** [docs](https://example.org) ![dot](data:image/png;base64,iVBORw0KGgo=) `code`' },
    })
    expect(unsafeDom(view.element)).toEqual([])
    expect(view.find('a').attributes('href')).toBe('https://example.org')
    view.unmount()
  })
})

describe('known XSS payloads in the interviewer’s app', () => {
  it.each(XSS_PAYLOADS.map((p) => [p]))('the Markdown view renders %j as inert markup', (payload) => {
    const view = mount(MarkdownView, { props: { source: payload } })
    expectSafe(view, payload)
    view.unmount()
    checked.payloads++
  })

  it('every problem page shows its statement, title and test names without script', async () => {
    for (const [i, id] of problemIds.entries()) {
      const page = await visit(`/problems/${id}`, 'problem-title')
      expectSafe(page, XSS_PAYLOADS[i] ?? '')
      expect(page.find(tid('problem-title')).text()).toBe(hostilePack[i]?.title.trim())
    }
    const list = await visit('/problems', 'problem-row')
    expectSafe(list, 'problem list')
  })

  it('the sessions list and history show every hostile name as text', async () => {
    const sessions = await visit('/sessions', 'session-row')
    expectSafe(sessions, 'sessions list')
    expect(ended.filter(({ name }) => !textOf(sessions).includes(name)).map(({ name }) => name)).toEqual([])

    // History pages by HISTORY_PAGE_SIZE, newest first: each row's name is one of the hostile ones, exactly.
    const history = await visit('/history', 'history-row')
    expectSafe(history, 'history')
    const shown = history.findAll(`${tid('history-row')} .candidate`).map((cell) => cell.text())
    expect(shown).toEqual(
      ended
        .map(({ name }) => name)
        .reverse()
        .slice(0, HISTORY_PAGE_SIZE),
    )
  })

  it('review, replay and evaluation pages show each hostile name as text', async () => {
    for (const { name, session } of ended) {
      for (const [path, ready] of [
        [`/sessions/${session.id}/review`, 'review-heading'],
        [`/sessions/${session.id}/replay`, 'replay-heading'],
        [`/sessions/${session.id}/evaluate`, 'evaluation-heading'],
      ] as const) {
        const page = await visit(path, ready)
        expectSafe(page, `${path} for ${name}`)
        expect(page.find(tid(ready)).element.textContent).toContain(name)
      }
    }
  })

  it('the live view shows a hostile name from the candidate’s page as text, next to hostile statements', async () => {
    for (const [i, name] of XSS_NAMES.entries()) {
      const session = await host.api.sessions.create({
        language: 'python',
        problems: { mode: 'pick', ids: [problemIds[i % problemIds.length] ?? 0] },
      })
      const candidate = new FakeCandidate()
      const page = await visit(`/sessions/${session.id}`, 'session-connection', {
        [hostLinkFactoryKey]: candidate.factory,
      })
      await eventually(() => expect(candidate.connections).toHaveLength(1))
      candidate.setMode('direct')
      candidate.hello(name)
      await eventually(() => expect(page.find(tid('session-presence')).element.textContent).toContain(name))
      expectSafe(page, `live view for ${name}`)
      expect(page.find(tid('session-statement')).exists()).toBe(true)
    }
  })

  it('remote cursor labels keep each hostile name inside its CSS string', () => {
    for (const name of XSS_NAMES) {
      const css = remoteCursorCss(new Map([[7, { user: { name, color: '#1a7f37' } }]]), 1)
      const content = /content: ("(?:[^"\\\n]|\\[0-9a-f]+ )*"); \}$/.exec(css)
      expect(content, name).not.toBeNull()
      expect(css.split('\n')).toHaveLength(3)
      expect(css).not.toMatch(/<|\/\*|@import|url\(/i)
    }
  })
})
