import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, mountApp, tid } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'

let host: RealHost
let wrapper: VueWrapper | undefined
let router: Router
let sessionId: string

const find = (id: string): DOMWrapper<HTMLElement> => {
  if (!wrapper) throw new Error('not mounted')
  return wrapper.find<HTMLElement>(tid(id))
}
const all = (id: string): DOMWrapper<HTMLElement>[] => wrapper?.findAll<HTMLElement>(tid(id)) ?? []
const stored = () => host.api.evaluations.get({ sessionId })

async function idOf(title: string): Promise<number> {
  return (await host.api.problems.list({ text: title })).items.find((p) => p.title === title)?.id ?? 0
}

async function open(id = sessionId): Promise<void> {
  ;({ wrapper, router } = await mountApp(host.api, `/sessions/${id}/evaluate`))
  await eventually(() => expect(find('evaluation-form').exists() || find('evaluation-load-error').exists()).toBe(true))
}

function unmount(): void {
  wrapper?.unmount()
  wrapper = undefined
}

async function choose(id: string): Promise<void> {
  await find(id).setValue(true)
}

async function fillEverything(): Promise<void> {
  await choose('evaluation-stars-0-4')
  await choose('evaluation-stars-1-2')
  for (let i = 0; i < 4; i++) await choose(`evaluation-score-${i}-3`)
  await choose('evaluation-recommendation-yes')
}

beforeEach(async () => {
  host = startRealHost()
  const session = await host.api.sessions.create({
    candidateName: 'Ada Lovelace',
    language: 'python',
    problems: { mode: 'pick', ids: [await idOf('Two Sum'), await idOf('Balanced Brackets')] },
  })
  sessionId = session.id
  await host.api.sessions.setStatus({ id: sessionId, status: 'live' })
  await host.api.sessions.setStatus({ id: sessionId, status: 'ended' })
})

afterEach(() => {
  unmount()
  host.dispose()
})

describe('the evaluation', () => {
  it('shows each problem, the rubric and the recommendation, marking every required part that is missing', async () => {
    await open()
    expect(find('evaluation-heading').text()).toBe('Evaluation of Ada Lovelace')
    expect(all('evaluation-problem').map((p) => p.find('h3').text())).toEqual([
      '1. Two Sum junior',
      '2. Balanced Brackets middle',
    ])
    expect(all('evaluation-criterion').map((c) => c.find('.criterion-label').text())).toEqual([
      'Problem solving Required',
      'Code quality Required',
      'Communication Required',
      'Testing Required',
    ])
    expect(all('evaluation-missing-mark')).toHaveLength(7)
    expect(find('evaluation-state').text()).toBe('Draft · 7 required parts missing')
    expect(find('evaluation-stars-0').attributes('aria-invalid')).toBe('true')
    expect(find('evaluation-recommendation').attributes('aria-invalid')).toBe('true')
    expect(find('evaluation-not-ended').exists()).toBe(false)
    expect(find('evaluation-save-state').text()).toBe('Saved')

    await choose('evaluation-stars-0-4')
    expect(all('evaluation-missing-mark')).toHaveLength(6)
    expect(find('evaluation-stars-0').attributes('aria-invalid')).toBe('false')
    expect(find('evaluation-stars-0').text()).toContain('4 of 5')
  })

  it('saves the draft as it is typed, and reads it back from SQLite', async () => {
    await open()
    await choose('evaluation-stars-1-3')
    await find('evaluation-comment-1').setValue('Found the stack idea quickly.')
    expect(find('evaluation-save-state').text()).toBe('Saving…')
    await choose('evaluation-score-1-4')
    await choose('evaluation-recommendation-strong-yes')
    await find('evaluation-summary').setValue('Would hire.')

    await eventually(() => expect(find('evaluation-save-state').text()).toBe('Saved'))
    await eventually(async () =>
      expect(await stored()).toMatchObject({
        problems: [
          { title: 'Two Sum', stars: null, comment: '' },
          { title: 'Balanced Brackets', stars: 3, comment: 'Found the stack idea quickly.' },
        ],
        criteria: [
          { label: 'Problem solving', score: null },
          { label: 'Code quality', score: 4 },
          { label: 'Communication', score: null },
          { label: 'Testing', score: null },
        ],
        recommendation: 'strong-yes',
        summary: 'Would hire.',
        completedAt: null,
      }),
    )

    unmount()
    await open()
    expect((find('evaluation-comment-1').element as HTMLTextAreaElement).value).toBe('Found the stack idea quickly.')
    expect((find('evaluation-recommendation-strong-yes').element as HTMLInputElement).checked).toBe(true)
    expect((find('evaluation-summary').element as HTMLTextAreaElement).value).toBe('Would hire.')
  })

  it('saves at once when a field loses focus, and loses nothing when the view closes mid-typing', async () => {
    await open()
    await find('evaluation-comment-0').setValue('Brute force first')
    await find('evaluation-comment-0').trigger('focusout')
    await eventually(async () => expect((await stored()).problems[0]?.comment).toBe('Brute force first'))

    await find('evaluation-summary').setValue('Typed just before leaving')
    unmount()
    await eventually(async () => expect((await stored()).summary).toBe('Typed just before leaving'))
  })

  it('refuses to mark it complete while parts are missing, listing them, then completes', async () => {
    await open()
    await choose('evaluation-stars-0-5')
    await find('evaluation-complete').trigger('click')
    await eventually(() => expect(find('evaluation-refused').exists()).toBe(true))
    const refused = find('evaluation-refused')
    expect(refused.text()).toContain('The evaluation cannot be marked complete: 6 required parts are missing.')
    expect(refused.findAll('li').map((li) => li.text())).toEqual([
      'missing stars for problem 2, "Balanced Brackets"',
      'missing a score for "Problem solving"',
      'missing a score for "Code quality"',
      'missing a score for "Communication"',
      'missing a score for "Testing"',
      'missing the overall recommendation',
    ])
    expect(document.activeElement).toBe(refused.element)
    // The refusal saved the draft all the same.
    expect((await stored()).problems[0]?.stars).toBe(5)

    await fillEverything()
    expect(find('evaluation-refused').exists()).toBe(false)
    expect(find('evaluation-state').text()).toBe('Draft · everything required is filled in')
    await find('evaluation-complete').trigger('click')
    await eventually(() => expect(find('evaluation-state').text()).toMatch(/^Complete since /))
    expect(find('evaluation-complete').exists()).toBe(false)
    expect(all('evaluation-missing-mark')).toHaveLength(0)
    const done = await stored()
    expect(done.completedAt).not.toBeNull()
    expect(done).toMatchObject({ recommendation: 'yes', score: 3 })
    await expect(host.api.evaluations.list()).resolves.toMatchObject([{ sessionId, state: 'complete' }])
  })

  it('keeps the rubric it started with when the settings change later', async () => {
    await open()
    await choose('evaluation-score-0-2')
    await eventually(async () => expect((await stored()).criteria[0]?.score).toBe(2))
    unmount()
    await host.api.settings.update({ rubric: ['System design', 'Testing'] })

    await open()
    expect(all('evaluation-criterion')).toHaveLength(4)
    expect((find('evaluation-score-0-2').element as HTMLInputElement).checked).toBe(true)

    const other = await host.api.sessions.create({
      language: 'python',
      problems: { mode: 'random', difficulty: 'junior', count: 1 },
    })
    unmount()
    await open(other.id)
    expect(all('evaluation-criterion').map((c) => c.find('.criterion-label').text())).toEqual([
      'System design Required',
      'Testing Required',
    ])
    expect(find('evaluation-heading').text()).toBe('Evaluation of the candidate')
    expect(find('evaluation-not-ended').text()).toContain('This session has not ended yet')
  })

  it('links back to the session and the list, and says when the session does not exist', async () => {
    await open()
    await wrapper
      ?.findAll('a')
      .find((a) => a.text() === 'All sessions')
      ?.trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('sessions'))
    unmount()
    await open('no-such-session')
    expect(find('evaluation-load-error').text()).toContain('There is no session with id no-such-session')
  })
})
