import { mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../shared/exec/run'
import { logOf, OutputLog, type OutputView } from './output-log'
import OutputConsole from './OutputConsole.vue'
import type { RunPhase } from './use-run'

const tid = (id: string): string => `[data-testid="${id}"]`
let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
})

interface Props {
  output?: OutputView
  phase?: RunPhase
  result?: RunResult | null
  inputPrompt?: string | null
  waiting?: boolean
}

function open(props: Props = {}): VueWrapper {
  wrapper = mount(OutputConsole, {
    props: { output: { blocks: [], hiddenChars: 0 }, phase: 'idle', result: null, idPrefix: 'x', ...props },
    attachTo: document.body,
  })
  return wrapper
}

/** Gives the scrolling body a layout: happy-dom lays nothing out. */
function layout(el: HTMLElement, size: { scrollHeight: number; clientHeight: number }): void {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => size.scrollHeight })
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => size.clientHeight })
}

describe('the output console', () => {
  it('tells stdout and stderr apart, by colour class and for screen readers', () => {
    const view = logOf([
      { stream: 'stdout', text: 'ok\n' },
      { stream: 'stderr', text: 'Traceback\n' },
      { stream: 'stdout', text: 'more\n' },
    ]).view()
    const w = open({ output: view, phase: 'done', result: { status: 'error', durationMs: 5, tests: null } })
    const chunks = w.findAll('.chunk')
    expect(chunks.map((c) => c.attributes('data-stream'))).toEqual(['stdout', 'stderr', 'stdout'])
    expect(chunks.map((c) => c.classes())).toEqual([
      ['chunk', 'stdout'],
      ['chunk', 'stderr'],
      ['chunk', 'stdout'],
    ])
    expect(chunks.map((c) => c.find('.sr-only').text())).toEqual(['Output:', 'Error output:', 'Output:'])
    expect(w.find(tid('x-output-text')).text()).toContain('ok')
    expect(w.find(tid('x-output-text')).element.tagName).toBe('PRE')
  })

  it('reads plain output without stream names when there is no error output', () => {
    const w = open({ output: logOf([{ stream: 'stdout', text: 'just this\n' }]).view() })
    expect(w.find('.sr-only').exists()).toBe(false)
    expect(w.find(tid('x-output-text')).element.textContent).toBe('just this\n')
  })

  it.each<[RunPhase, RunResult | null, boolean, string, string]>([
    ['idle', null, false, 'idle', 'Not run yet'],
    ['running', null, true, 'running', 'Waiting for the runtime to load…'],
    ['running', null, false, 'running', 'Running…'],
    ['done', { status: 'ok', durationMs: 12.4, tests: null }, false, 'ok', 'Finished in 12 ms'],
    ['done', { status: 'timeout', durationMs: 10_000, tests: null }, false, 'timeout', 'Timed out after 10 s'],
    ['done', { status: 'stopped', durationMs: 1234, tests: null }, false, 'stopped', 'Stopped after 1.23 s'],
    [
      'done',
      { status: 'output-limit', durationMs: 80, tests: null },
      false,
      'output-limit',
      'Output limit reached after 80 ms',
    ],
  ])('shows the %s status (%j) in words, as a live status', (phase, result, waiting, key, text) => {
    const status = open({ phase, result, waiting }).find(tid('x-status'))
    expect(status.attributes('role')).toBe('status')
    expect(status.attributes('data-status')).toBe(key)
    expect(status.text()).toBe(text)
  })

  it('shows the run’s message, such as the output limit notice', () => {
    const w = open({
      phase: 'done',
      result: { status: 'output-limit', durationMs: 3, tests: null, message: 'Output passed 1 MB and was cut off.' },
    })
    expect(w.find(tid('x-message')).text()).toBe('Output passed 1 MB and was cut off.')
  })

  it('says how much earlier output it leaves out', () => {
    const log = new OutputLog()
    log.append({ stream: 'stdout', text: 'x'.repeat(300_000) })
    const w = open({ output: log.view(), phase: 'done', result: { status: 'ok', durationMs: 1, tests: null } })
    expect(w.find(tid('x-output-hidden')).text()).toMatch(/^[\d,]+ characters of earlier output are not shown here\.$/)
    expect(w.findAll('.chunk').length).toBeLessThanOrEqual(26)
  })

  it('says when a finished run printed nothing', () => {
    const w = open({ phase: 'done', result: { status: 'ok', durationMs: 1, tests: null } })
    expect(w.find(tid('x-output-empty')).text()).toBe('Nothing was printed.')
  })

  it('clears on request', async () => {
    const w = open({ output: logOf([{ stream: 'stdout', text: 'a' }]).view() })
    await w.find(tid('x-clear')).trigger('click')
    expect(w.emitted('clear')).toHaveLength(1)
  })

  it('asks for a line inline: Enter sends it, Ctrl+D or the button ends input', async () => {
    const w = open({ phase: 'running', inputPrompt: 'Name? ' })
    expect(w.find(tid('x-input-line')).find('label').text()).toBe('The program asks: Name? Type a line and press Enter')
    const field = w.find<HTMLInputElement>(tid('x-input'))
    await w.vm.$nextTick()
    expect(document.activeElement).toBe(field.element)
    await field.setValue('Sam')
    await w.find(tid('x-input-line')).trigger('submit')
    expect(w.emitted('input')).toEqual([['Sam']])
    expect(field.element.value).toBe('')
    await field.trigger('keydown', { key: 'd', ctrlKey: true })
    await w.find(tid('x-input-end')).trigger('click')
    expect(w.emitted('input')).toEqual([['Sam'], [null], [null]])
    await w.setProps({ inputPrompt: null })
    expect(w.find(tid('x-input-line')).exists()).toBe(false)
  })

  it('follows new output until the reader scrolls up, and again once back at the end', async () => {
    const log = new OutputLog()
    log.append({ stream: 'stdout', text: 'line\n' })
    const w = open({ output: log.view(), phase: 'running' })
    const body = w.find<HTMLElement>(tid('x-output-body')).element
    const size = { scrollHeight: 1000, clientHeight: 200 }
    layout(body, size)

    log.append({ stream: 'stdout', text: 'more\n' })
    await w.setProps({ output: log.view() })
    expect(body.scrollTop).toBe(1000)

    body.scrollTop = 300
    await w.find(tid('x-output-body')).trigger('scroll')
    size.scrollHeight = 2000
    log.append({ stream: 'stdout', text: 'even more\n' })
    await w.setProps({ output: log.view() })
    expect(body.scrollTop).toBe(300)
    expect(w.find(tid('x-output-jump')).exists()).toBe(true)

    await w.find(tid('x-output-jump')).trigger('click')
    expect(body.scrollTop).toBe(2000)
    expect(w.find(tid('x-output-jump')).exists()).toBe(false)
  })
})
