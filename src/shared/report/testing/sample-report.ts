import type { Evaluation } from '../../evaluation'
import type { Note } from '../../notes'
import type { StoredRun } from '../../run-record'
import type { FrozenProblem, Session } from '../../session'
import type { ReportSources } from '../report-data'

// Test data for the report: a finished two-problem interview with runs of every kind, notes and
// an evaluation, built as the host API returns them.

const HASH = 'a'.repeat(64)

export function sampleProblem(overrides: Partial<FrozenProblem> = {}): FrozenProblem {
  return {
    title: 'Two Sum',
    slug: 'two-sum',
    difficulty: 'junior',
    tags: ['arrays'],
    description: '# Two Sum\n\nReturn the indices of the two numbers that add up to `target`.',
    entryFunction: 'two_sum',
    starterCode: { python: 'def two_sum(nums, target):\n    pass\n', javascript: '' },
    solution: { python: 'def two_sum(nums, target):\n    return [0, 1]\n', javascript: '' },
    timeoutMs: 10_000,
    tests: [{ name: 'small', args: [[2, 7], 9], expected: [0, 1], hidden: false }],
    sourceProblemId: 1,
    ...overrides,
  }
}

export function sampleSession(overrides: Partial<Session> = {}): Session {
  return {
    id: 'session-1',
    roomId: 'room',
    secret: 'secret',
    title: '',
    candidateName: 'Ada Lovelace',
    language: 'python',
    status: 'ended',
    timeLimitMs: 60 * 60_000,
    currentProblem: 1,
    createdAt: '2025-03-12T13:55:00.000Z',
    startedAt: '2025-03-12T14:00:00.000Z',
    endedAt: '2025-03-12T14:47:30.000Z',
    problems: [
      sampleProblem(),
      sampleProblem({
        title: 'Balanced Brackets',
        slug: 'balanced-brackets',
        difficulty: 'middle',
        description: 'Is every bracket in `s` closed in the right order?',
        entryFunction: 'is_balanced',
        starterCode: { python: 'def is_balanced(s):\n    pass\n', javascript: '' },
      }),
    ],
    ...overrides,
  }
}

let nextRunId = 1

export function sampleRun(overrides: Partial<StoredRun> = {}): StoredRun {
  const id = nextRunId++
  return {
    id,
    runId: `run-${id}`,
    problem: 0,
    side: 'candidate',
    kind: 'run',
    language: 'python',
    code: 'print(1)',
    codeHash: HASH,
    stdout: '',
    stderr: '',
    status: 'ok',
    durationMs: 12,
    testResults: null,
    message: null,
    tMs: 60_000,
    createdAt: '2025-03-12T14:01:00.000Z',
    ...overrides,
  }
}

export function sampleNote(overrides: Partial<Note> = {}): Note {
  return {
    id: 1,
    sessionId: 'session-1',
    text: 'Asked about duplicates before coding.',
    tMs: 125_000,
    problem: 0,
    createdAt: '2025-03-12T14:02:05.000Z',
    updatedAt: '2025-03-12T14:02:05.000Z',
    ...overrides,
  }
}

export function sampleEvaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    sessionId: 'session-1',
    problems: [
      { title: 'Two Sum', stars: 4, comment: 'Clean hash map solution.' },
      { title: 'Balanced Brackets', stars: 3, comment: 'Needed a hint about the stack.\nThen fast.' },
    ],
    criteria: [
      { label: 'Problem solving', score: 3 },
      { label: 'Code quality', score: 4 },
    ],
    recommendation: 'yes',
    summary: 'Solid fundamentals.\n\nWould hire for the junior role.',
    score: 3.5,
    completedAt: '2025-03-12T15:00:00.000Z',
    updatedAt: '2025-03-12T15:00:00.000Z',
    ...overrides,
  }
}

export function emptyEvaluation(session: Session): Evaluation {
  return {
    sessionId: session.id,
    problems: session.problems.map((p) => ({ title: p.title, stars: null, comment: '' })),
    criteria: [{ label: 'Problem solving', score: null }],
    recommendation: null,
    summary: '',
    score: null,
    completedAt: null,
    updatedAt: '2025-03-12T15:00:00.000Z',
  }
}

/** The whole interview: two problems, a plain run, visible and hidden tests, two notes. */
export function sampleSources(overrides: Partial<ReportSources> = {}): ReportSources {
  const passing = { expected: [0, 1], actual: [0, 1], stdout: '', durationMs: 1 }
  return {
    session: sampleSession(),
    runs: [
      sampleRun({ kind: 'run', tMs: 300_000, stdout: 'hello\n' }),
      sampleRun({
        kind: 'tests',
        tMs: 400_000,
        testResults: [{ name: 'small', status: 'pass', ...passing }],
      }),
      sampleRun({
        side: 'interviewer',
        kind: 'hidden-tests',
        tMs: 500_000,
        testResults: [
          { name: 'small', status: 'pass', ...passing },
          { name: 'negatives', status: 'fail', expected: [0, 2], actual: null, stdout: '', durationMs: 1 },
          {
            name: 'huge',
            status: 'error',
            expected: 1,
            error: 'IndexError: list index out of range',
            stdout: '',
            durationMs: 2,
          },
        ],
      }),
      sampleRun({ problem: 1, kind: 'run', tMs: 1_900_000, status: 'error', stderr: 'SyntaxError: invalid syntax' }),
    ],
    notes: [
      sampleNote(),
      sampleNote({ id: 2, text: 'Struggled with the stack.\nRecovered.', tMs: 2_000_000, problem: 1 }),
    ],
    evaluation: sampleEvaluation(),
    finalCode: {
      codes: ['def two_sum(nums, target):\n    return [0, 1]\n', 'def is_balanced(s):\n    return True\n'],
      fromStarter: false,
    },
    generatedAt: new Date('2025-03-13T09:30:00.000Z'),
    timeZone: 'UTC',
    ...overrides,
  }
}

/** The interview with a payload in every string a user or a candidate could have written. */
export function hostileSources(payload: string): ReportSources {
  const problem = sampleProblem({ title: payload, description: payload })
  const session = sampleSession({ candidateName: payload, title: payload, problems: [problem] })
  const tests = [
    {
      name: payload,
      status: 'fail' as const,
      expected: payload,
      actual: { [payload]: payload },
      stdout: payload,
      durationMs: 1,
    },
    { name: payload, status: 'error' as const, expected: [payload], error: payload, stdout: '', durationMs: 1 },
  ]
  return sampleSources({
    session,
    runs: [
      sampleRun({
        kind: 'tests',
        testResults: tests,
        stdout: payload,
        stderr: payload,
        message: payload,
        code: payload,
      }),
    ],
    notes: [sampleNote({ text: payload })],
    evaluation: sampleEvaluation({
      problems: [{ title: payload, stars: 2, comment: payload }],
      criteria: [{ label: payload, score: 1 }],
      summary: payload,
    }),
    finalCode: { codes: [payload], fromStarter: false },
  })
}
