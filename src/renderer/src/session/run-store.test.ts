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

  it('rejects a run the host refuses, without holding up the runs after it', async () => {
    const stored: string[] = []
    const store = createRunStore({
      record: async (r) => {
        if (r.runId === 'bad') throw new HostError('invalid-input', 'This run cannot be stored.')
        stored.push(r.runId ?? '')
      },
    })
    await expect(store.save(run('bad'))).rejects.toThrow('This run cannot be stored.')
    await store.save(run('good'))
    await store.flush()
    expect(stored).toEqual(['good'])
  })
})
