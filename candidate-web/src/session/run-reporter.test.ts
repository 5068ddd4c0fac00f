import { describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src/shared/exec/run'
import { LinkFrameSchema, MAX_RUN_OUTPUT_FRAME_BYTES, type LinkFrame } from '../../../src/shared/peer/frames'
import { MAX_LINK_FRAME_BYTES } from '../../../src/shared/peer/link'
import type { Cancel } from '../../../src/shared/peer/schedule'
import {
  createRunReporter,
  OUTPUT_LOST_NOTICE,
  RUN_OUTPUT_COALESCE_MS,
  type CandidateRunStart,
  type RunReporterOptions,
} from './run-reporter'

const utf8 = new TextEncoder()

/** A clock and timer queue the test moves by hand. */
class ManualTime {
  now = 1_000
  private tasks: { at: number; task: () => void; cancelled: boolean }[] = []

  schedule = (task: () => void, ms: number): Cancel => {
    const entry = { at: this.now + ms, task, cancelled: false }
    this.tasks.push(entry)
    return () => {
      entry.cancelled = true
    }
  }

  advance(ms: number): void {
    this.now += ms
    for (const entry of this.tasks.filter((t) => t.at <= this.now && !t.cancelled)) {
      entry.cancelled = true
      entry.task()
    }
    this.tasks = this.tasks.filter((t) => !t.cancelled)
  }
}

/** The link as the reporter sees it: frames go through JSON and the schema, as on the wire. */
class FakeLink {
  open = true
  readonly frames: LinkFrame[] = []

  send = (frame: LinkFrame): boolean => {
    if (!this.open) return false
    const json = JSON.stringify(frame)
    expect(utf8.encode(json).length).toBeLessThanOrEqual(MAX_LINK_FRAME_BYTES)
    this.frames.push(LinkFrameSchema.parse(JSON.parse(json)))
    return true
  }

  ofType<T extends LinkFrame['type']>(type: T): Extract<LinkFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<LinkFrame, { type: T }> => f.type === type)
  }

  output(runId: string): string {
    return this.ofType('run.output')
      .filter((f) => f.runId === runId)
      .map((f) => f.text)
      .join('')
  }
}

function setup(options: Partial<RunReporterOptions> = {}) {
  const time = new ManualTime()
  const link = new FakeLink()
  const reporter = createRunReporter({ send: link.send, now: () => time.now, schedule: time.schedule, ...options })
  return { time, link, reporter }
}

const start = (runId: string, extra: Partial<CandidateRunStart> = {}): CandidateRunStart => ({
  runId,
  problem: 0,
  kind: 'run',
  language: 'python',
  code: 'print("hi")\n',
  ...extra,
})
const ok: RunResult = { status: 'ok', durationMs: 4, tests: null }

describe('the run reporter', () => {
  it('sends the start at once, gathers output for a moment, and ends after the last output', () => {
    const { time, link, reporter } = setup()
    reporter.started(start('r1'))
    expect(link.frames).toEqual([
      {
        type: 'run.started',
        runId: 'r1',
        problem: 0,
        kind: 'run',
        language: 'python',
        code: 'print("hi")\n',
        agoMs: 0,
      },
    ])
    for (let i = 0; i < 100; i++) reporter.output('r1', { stream: 'stdout', text: `${i}\n` })
    reporter.output('r1', { stream: 'stderr', text: 'warning\n' })
    reporter.output('r1', { stream: 'stdout', text: 'after\n' })
    expect(link.frames).toHaveLength(1)

    time.advance(RUN_OUTPUT_COALESCE_MS)
    const lines = Array.from({ length: 100 }, (_, i) => `${i}\n`).join('')
    expect(link.ofType('run.output')).toEqual([
      { type: 'run.output', runId: 'r1', stream: 'stdout', text: lines },
      { type: 'run.output', runId: 'r1', stream: 'stderr', text: 'warning\n' },
      { type: 'run.output', runId: 'r1', stream: 'stdout', text: 'after\n' },
    ])

    reporter.output('r1', { stream: 'stdout', text: 'last\n' })
    reporter.ended('r1', ok)
    expect(link.frames.slice(-2)).toEqual([
      { type: 'run.output', runId: 'r1', stream: 'stdout', text: 'last\n' },
      { type: 'run.finished', runId: 'r1', result: ok },
    ])
    // Nothing for a run that has ended, or that never started.
    reporter.output('r1', { stream: 'stdout', text: 'late' })
    reporter.output('nope', { stream: 'stdout', text: 'x' })
    reporter.ended('nope', ok)
    reporter.started(start('r1'))
    time.advance(RUN_OUTPUT_COALESCE_MS)
    expect(link.frames).toHaveLength(6)
  })

  it('forwards no output past the limit, cutting the last chunk on a character boundary', () => {
    const { time, link, reporter } = setup({ outputLimitBytes: 10 })
    reporter.started(start('r1'))
    reporter.output('r1', { stream: 'stdout', text: 'abcdefgh' })
    reporter.output('r1', { stream: 'stderr', text: 'é🎉' })
    reporter.output('r1', { stream: 'stdout', text: 'more' })
    time.advance(RUN_OUTPUT_COALESCE_MS)
    reporter.ended('r1', { status: 'output-limit', durationMs: 2, tests: null, message: 'Output limit reached.' })
    expect(link.ofType('run.output').map((f) => [f.stream, f.text])).toEqual([
      ['stdout', 'abcdefgh'],
      ['stderr', 'é'],
    ])
    expect(link.ofType('run.finished')[0]?.result.status).toBe('output-limit')
  })

  it('keeps every frame within the link: a flood in 16 KiB pieces, huge code as null, long test output trimmed', () => {
    const { time, link, reporter } = setup()
    const flood = `${'x'.repeat(300_000)}${'"\\\n'.repeat(50_000)}${'🎉'.repeat(50_000)}`
    reporter.started(start('big', { code: '#'.repeat(MAX_LINK_FRAME_BYTES) }))
    reporter.output('big', { stream: 'stdout', text: flood })
    time.advance(RUN_OUTPUT_COALESCE_MS)
    const tests = Array.from({ length: 20 }, (_, i) => ({
      name: `t${i}`,
      status: 'pass' as const,
      expected: i,
      actual: i,
      stdout: 'p'.repeat(20_000),
      durationMs: 1,
    }))
    reporter.ended('big', { status: 'ok', durationMs: 9, tests })

    expect(link.ofType('run.started')[0]?.code).toBeNull()
    expect(link.output('big')).toBe(flood)
    for (const frame of link.ofType('run.output')) {
      expect(utf8.encode(JSON.stringify(frame.text)).length).toBeLessThanOrEqual(MAX_RUN_OUTPUT_FRAME_BYTES)
    }
    const finished = link.ofType('run.finished')[0]
    expect(finished?.result.tests).toHaveLength(20)
    expect(finished?.result.tests?.[0]?.stdout).toMatch(/^p+…\[trimmed to fit the link\]$/)
  })

  it('keeps frames while the link is down and sends them in order on resume, with how long ago the run began', () => {
    const { time, link, reporter } = setup()
    reporter.started(start('before'))
    link.open = false
    reporter.output('before', { stream: 'stdout', text: 'one\n' })
    time.advance(RUN_OUTPUT_COALESCE_MS)
    reporter.ended('before', ok)
    time.advance(1_000)
    reporter.started(start('offline', { kind: 'tests' }))
    reporter.output('offline', { stream: 'stderr', text: 'two\n' })
    reporter.ended('offline', { status: 'error', durationMs: 1, tests: [] })
    expect(link.frames).toHaveLength(1)
    expect(reporter.pending()).toBe(5)

    time.advance(4_000)
    link.open = true
    reporter.resume()
    expect(reporter.pending()).toBe(0)
    expect(link.frames.map((f) => `${f.type} ${'runId' in f ? f.runId : ''}`)).toEqual([
      'run.started before',
      'run.output before',
      'run.finished before',
      'run.started offline',
      'run.output offline',
      'run.finished offline',
    ])
    expect(link.ofType('run.started')[1]?.agoMs).toBe(4_000)
    reporter.resume()
    expect(link.frames).toHaveLength(6)
  })

  it('bounds what it keeps: the oldest output gives way to a notice, never a run’s start or end', () => {
    const { time, link, reporter } = setup({ maxQueuedOutputBytes: 100, maxQueuedRuns: 2 })
    link.open = false
    for (const runId of ['a', 'b']) {
      reporter.started(start(runId))
      reporter.output(runId, { stream: 'stdout', text: `${runId}`.repeat(80) })
      time.advance(RUN_OUTPUT_COALESCE_MS)
      reporter.ended(runId, ok)
    }
    link.open = true
    reporter.resume()
    expect(link.output('a')).toBe(OUTPUT_LOST_NOTICE)
    expect(link.output('b')).toBe('b'.repeat(80))
    expect(link.ofType('run.finished').map((f) => f.runId)).toEqual(['a', 'b'])

    link.open = false
    for (const runId of ['c', 'd', 'e']) {
      reporter.started(start(runId))
      reporter.ended(runId, ok)
    }
    link.open = true
    reporter.resume()
    // Past the cap on runs kept, the oldest goes whole.
    expect(link.ofType('run.finished').map((f) => f.runId)).toEqual(['a', 'b', 'd', 'e'])
  })

  it('forgets what waits when disposed', () => {
    const { time, link, reporter } = setup()
    link.open = false
    reporter.started(start('r1'))
    reporter.output('r1', { stream: 'stdout', text: 'x' })
    reporter.dispose()
    time.advance(RUN_OUTPUT_COALESCE_MS)
    link.open = true
    reporter.resume()
    expect(link.frames).toEqual([])
  })
})
