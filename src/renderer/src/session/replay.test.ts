import { describe, expect, it } from 'vitest'
import type { Recording } from '../../../shared/session'
import { runMarks } from './replay'

const mark = (runId: string, status: string, side = 'candidate') => JSON.stringify({ runId, side, kind: 'run', status })

describe('run marks on the timeline', () => {
  it('gives one mark per run, its last status, ordered by when the runs started', () => {
    const recording: Recording = {
      snapshots: [],
      events: [
        { id: 1, tMs: 900, kind: 'run', problem: 1, data: mark('b', 'ok', 'interviewer') },
        { id: 2, tMs: 100, kind: 'run', problem: 0, data: mark('a', 'stopped') },
        { id: 3, tMs: 150, kind: 'paste', problem: 0, data: '{"chars":120}' },
        { id: 4, tMs: 100, kind: 'run', problem: 0, data: mark('a', 'error') },
        { id: 5, tMs: 200, kind: 'run', problem: 0, data: 'not json' },
        { id: 6, tMs: 300, kind: 'run', problem: 0, data: '{"runId":"c"}' },
      ],
    }
    expect(runMarks(recording)).toEqual([
      { runId: 'a', side: 'candidate', kind: 'run', status: 'error', tMs: 100, problem: 0 },
      { runId: 'b', side: 'interviewer', kind: 'run', status: 'ok', tMs: 900, problem: 1 },
    ])
  })
})
