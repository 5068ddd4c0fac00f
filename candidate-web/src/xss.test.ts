import { mount } from '@vue/test-utils'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { unsafeDom, XSS_NAMES, XSS_PAYLOADS } from '../../src/browser/testing/xss'
import type { SessionInfo } from '../../src/shared/peer/frames'
import type { CandidateProblem } from '../../src/shared/session'
import { recordReliability } from '../../src/test-support/reliability-log'
import ProblemStatement from './components/ProblemStatement.vue'
import { startPage, type Harness } from './test-support'

/**
 * Known XSS payloads in what the candidate's page shows: the session title, the interviewer's
 * name and the problems the host sends, and the name the candidate types. Nothing that can run
 * script may reach the DOM on the join screen, during the interview or on the thank-you page, and
 * the names show as the text they are.
 */

let page: Harness | null = null
const checked = { screens: 0, payloads: 0 }

afterEach(async () => {
  await page?.dispose()
  page = null
})

afterAll(() => {
  recordReliability({
    area: 'hostile-input',
    scenario: 'XSS in the candidate’s page',
    tried: `${XSS_PAYLOADS.length} known payloads as problem statements, problem and test titles, the session title and the interviewer’s name, and ${XSS_NAMES.length} typed as the candidate’s name, on the join screen, the problem statement and the thank-you page`,
    frames: checked.payloads,
    refused: checked.payloads,
    screens: checked.screens,
    lost: 'nothing',
  })
})

const problemOf = (payload: string, i: number): CandidateProblem => ({
  title: payload.trim().slice(0, 200) || `Payload ${i}`,
  difficulty: 'junior',
  description: payload,
  entryFunction: 'solve',
  starterCode: 'def solve(x):\n    pass\n',
  tests: [{ name: payload.trim().slice(0, 120) || `case ${i}`, args: [1], expected: 1, hidden: false }],
  timeoutMs: 5000,
})

function expectSafe(what: string): void {
  expect(unsafeDom(document.body), what).toEqual([])
  checked.screens++
}

describe('known XSS payloads in the candidate’s page', () => {
  it.each(XSS_PAYLOADS.map((p, i) => [p, i] as const))(
    'the problem statement renders %j as inert markup',
    (payload, i) => {
      const view = mount(ProblemStatement, { props: { problem: problemOf(payload, i) } })
      expect(unsafeDom(view.element), payload).toEqual([])
      expect(view.find('[data-testid="cand-problem-title"]').element.textContent).toBe(problemOf(payload, i).title)
      view.unmount()
      checked.payloads++
    },
  )

  it.each(XSS_NAMES.map((name, i) => [name, i] as const))(
    'the join screen, the interview and the thank-you page keep %j as text',
    async (name, i) => {
      const payload = XSS_PAYLOADS[i % XSS_PAYLOADS.length] ?? name
      const info: SessionInfo = {
        title: payload.trim().slice(0, 200),
        interviewerName: name,
        language: 'python',
        problems: [problemOf(payload, i), problemOf(XSS_PAYLOADS[(i + 1) % XSS_PAYLOADS.length] ?? '', i + 1)],
      }
      const p = (page = await startPage())
      await p.mode('direct')
      await p.hostSends({ type: 'session.info', info })
      expect(p.byTestId('cand-join').exists()).toBe(true)
      expect(p.byTestId('cand-interviewer').element.textContent).toBe(name)
      expectSafe(`join screen for ${name}`)

      // A text input drops line breaks from what is typed into it, as browsers do.
      const typed = name.replace(/[\r\n]/g, '')
      await p.byTestId('cand-name').setValue(name)
      await p.byTestId('cand-join-button').trigger('submit')
      await p.settle()
      expect(p.byTestId('cand-joined-as').element.textContent).toBe(typed)
      expect(p.byTestId('cand-statement').exists()).toBe(true)
      expectSafe(`interview for ${name}`)

      const state = { status: 'live' as const, currentProblem: 1, startedAt: Date.now(), timeLimitMs: null }
      await p.hostSends({ type: 'session.state', state })
      expectSafe(`second problem for ${name}`)
      await p.hostSends({ type: 'session.state', state: { ...state, status: 'ended' } })
      expect(p.byTestId('cand-thanks-title').element.textContent).toBe(`Thank you, ${typed}!`)
      expectSafe(`thank-you page for ${name}`)
      checked.payloads++
    },
  )
})
