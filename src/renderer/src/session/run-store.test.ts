import { describe, expect, it } from 'vitest'
import { HostError } from '../../../shared/host-errors'
import type { RunRecord } from '../../../shared/run-record'
import { createRunStore } from './run-store'

const run = (runId: string): RunRecord => ({
  sessionId: 's',
  runId,
  problem: 0,
  side: 'candidate',
  kind: 'run',
  language: 'python',
  code: '',
  stdout: '',
  stderr: '',
  status: 'ok',
  durationMs: 1,
  testResults: null,
  tMs: 0,
})

describe('the run store', () => {
  it('retries a host that fails until the run is stored, in order, and says when it is in trouble', async () => {
    const stored: string[] = []
    const trouble: (string | null)[] = []
    let failures = 2
    const store = createRunStore({
      record: async (r) => {
        if (r.runId === 'a' && failures-- > 0) throw new HostError('database', 'The database is busy.')
        stored.push(r.runId ?? '')
      },
      onTrouble: (error) => trouble.push(error instanceof Error ? error.message : null),
      retryDelayMs: 1,
    })
    const a = store.save(run('a'))
    const b = store.save(run('b'))
    await Promise.all([a, b])
    expect(stored).toEqual(['a', 'b'])
    expect(trouble).toEqual(['The database is busy.', 'The database is busy.', null, null])
  })

  it('rejects a run the host refuses, at once, without holding up the runs after it', async () => {
    const stored: string[] = []
    const attempts: string[] = []
    const store = createRunStore({
      record: async (r) => {
        attempts.push(r.runId ?? '')
        if (r.runId === 'bad') throw new HostError('invalid-input', 'This run cannot be stored.')
        if (r.runId === 'ended') throw new HostError('conflict', 'Run ended of this session is stored already.')
        stored.push(r.runId ?? '')
      },
      // Were a refusal retried, the test would wait on this, and fail on its attempts.
      retryDelayMs: 60_000,
    })
    await expect(store.save(run('bad'))).rejects.toThrow('This run cannot be stored.')
    await expect(store.save(run('ended'))).rejects.toThrow('Run ended of this session is stored already.')
    await store.save(run('good'))
    await store.flush()
    expect(stored).toEqual(['good'])
    expect(attempts).toEqual(['bad', 'ended', 'good'])
  })
})
