import { toBase64 } from 'lib0/buffer'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FrozenProblem, Recording } from '../../../shared/session'
import { problemText, seedProblems } from '../../../shared/sync/doc'
import { finalCodeOf } from './final-code'

const problem = (title: string, python: string): FrozenProblem => ({
  sourceProblemId: null,
  title,
  slug: title.toLowerCase(),
  difficulty: 'junior',
  tags: [],
  description: '',
  entryFunction: 'solve',
  starterCode: { python, javascript: '' },
  solution: { python: '', javascript: '' },
  tests: [],
  timeoutMs: 5000,
})
const problems = [problem('One', 'def one():\n    pass\n'), problem('Two', 'def two():\n    pass\n')]

describe('the final code of each problem', () => {
  it('is the state after the last recorded update, from the newest snapshot on', () => {
    const live = new Y.Doc()
    const updates: Uint8Array[] = []
    live.on('update', (update: Uint8Array) => updates.push(update))
    seedProblems(
      live,
      problems.map((p) => p.starterCode.python),
    )
    problemText(live, 0).insert(0, '# first\n')
    const snapshot = toBase64(Y.encodeStateAsUpdate(live))
    problemText(live, 1).insert(0, '# after the snapshot\n')

    const events = updates.map((update, i) => ({
      id: i + 1,
      tMs: i * 100,
      kind: 'yjs' as const,
      problem: null,
      data: toBase64(update),
    }))
    const recording: Recording = { events, snapshots: [{ tMs: 100, lastEventId: 2, state: snapshot }] }

    expect(finalCodeOf(problems, 'python', recording)).toEqual({
      codes: ['# first\ndef one():\n    pass\n', '# after the snapshot\ndef two():\n    pass\n'],
      fromStarter: false,
    })
  })

  it('is the starter code when nothing was recorded', () => {
    expect(finalCodeOf(problems, 'python', { events: [], snapshots: [] })).toEqual({
      codes: ['def one():\n    pass\n', 'def two():\n    pass\n'],
      fromStarter: true,
    })
  })
})
