import { describe, expect, it } from 'vitest'
import { MAX_CODE_CHARS } from '../exec/run'
import { CANDIDATE_ONLY_FRAMES, HOST_ONLY_FRAMES, LinkFrameSchema, MAX_RUN_OUTPUT_FRAME_BYTES } from './frames'

const started = {
  type: 'run.started',
  runId: 'r-1',
  problem: 0,
  kind: 'tests',
  language: 'python',
  code: 'print(1)\n',
  agoMs: 0,
}
const finished = {
  type: 'run.finished',
  runId: 'r-1',
  result: {
    status: 'ok',
    durationMs: 1.25,
    tests: [{ name: 'one', status: 'fail', expected: [1], actual: [2], stdout: 'hi\n', durationMs: 0.1 }],
  },
}

const valid = (value: unknown): boolean => LinkFrameSchema.safeParse(value).success

describe('run frames', () => {
  it('take a run start, its output and its end', () => {
    expect(valid(started)).toBe(true)
    expect(valid({ ...started, code: null })).toBe(true)
    expect(valid({ type: 'run.output', runId: 'r-1', stream: 'stderr', text: 'Traceback\n' })).toBe(true)
    expect(valid(finished)).toBe(true)
    expect(
      valid({ ...finished, result: { status: 'timeout', durationMs: 10000, tests: null, message: 'Too long.' } }),
    ).toBe(true)
  })

  it('refuse hidden tests from the candidate, and anything malformed', () => {
    expect(valid({ ...started, kind: 'hidden-tests' })).toBe(false)
    expect(valid({ ...started, runId: '' })).toBe(false)
    expect(valid({ ...started, runId: 'a b' })).toBe(false)
    expect(valid({ ...started, runId: 'x'.repeat(65) })).toBe(false)
    expect(valid({ ...started, problem: -1 })).toBe(false)
    expect(valid({ ...started, agoMs: -5 })).toBe(false)
    expect(valid({ ...started, language: 'ruby' })).toBe(false)
    expect(valid({ ...started, code: 'x'.repeat(MAX_CODE_CHARS + 1) })).toBe(false)
    expect(valid({ ...started, agoMs: undefined })).toBe(false)
    expect(valid({ type: 'run.output', runId: 'r-1', stream: 'stdin', text: 'x' })).toBe(false)
    expect(valid({ type: 'run.output', runId: 'r-1', stream: 'stdout', text: '' })).toBe(false)
    expect(
      valid({ type: 'run.output', runId: 'r-1', stream: 'stdout', text: 'x'.repeat(MAX_RUN_OUTPUT_FRAME_BYTES + 1) }),
    ).toBe(false)
    expect(valid({ ...finished, result: { ...finished.result, status: 'running' } })).toBe(false)
    expect(valid({ ...finished, result: { ...finished.result, durationMs: -1 } })).toBe(false)
    expect(valid({ ...finished, result: { status: 'ok', durationMs: 1, tests: [{ name: 'x' }] } })).toBe(false)
  })

  it('go only from the candidate: no frame is both host-only and candidate-only', () => {
    for (const type of ['run.started', 'run.output', 'run.finished', 'candidate.hello', 'event'] as const) {
      expect(CANDIDATE_ONLY_FRAMES.has(type)).toBe(true)
    }
    for (const type of HOST_ONLY_FRAMES) expect(CANDIDATE_ONLY_FRAMES.has(type)).toBe(false)
  })
})

describe('clock frames', () => {
  it('carry the candidate’s ping time back with the host’s clock', () => {
    expect(valid({ type: 'ping', t: 1234.5 })).toBe(true)
    expect(valid({ type: 'pong', t: 1234.5, at: 1_700_000_000_000 })).toBe(true)
    expect(valid({ type: 'pong', t: 1234.5, at: 'now' })).toBe(false)
    expect(CANDIDATE_ONLY_FRAMES.has('ping')).toBe(true)
    expect(HOST_ONLY_FRAMES.has('pong')).toBe(true)
  })
})
