import { describe, expect, it } from 'vitest'
import { reportFileName } from './file-name'
import { buildReportData } from './report-data'
import {
  emptyEvaluation,
  sampleEvaluation,
  sampleNote,
  sampleRun,
  sampleSession,
  sampleSources,
} from './testing/sample-report'

describe('buildReportData', () => {
  it('joins the session, its runs, notes and evaluation problem by problem', () => {
    const data = buildReportData(sampleSources())
    expect(data.session).toMatchObject({ candidateName: 'Ada Lovelace', status: 'ended', durationMs: 2_850_000 })
    expect(data.generatedAt).toBe('2025-03-13T09:30:00.000Z')
    expect(data.problems.map((p) => [p.title, p.codeSource, p.runs.length, p.rating.stars])).toEqual([
      ['Two Sum', 'recording', 3, 4],
      ['Balanced Brackets', 'recording', 1, 3],
    ])
    expect(data.problems[0]?.finalCode).toBe('def two_sum(nums, target):\n    return [0, 1]\n')
    expect(data.notes.map((n) => [n.tMs, n.problem?.title])).toEqual([
      [125_000, 'Two Sum'],
      [2_000_000, 'Balanced Brackets'],
    ])
    expect(data.evaluation).toMatchObject({ state: 'complete', recommendation: 'yes', score: 3.5 })
  })

  it('details the last run, the last visible tests and every hidden-test run, in time order', () => {
    const runs = [
      sampleRun({ kind: 'hidden-tests', side: 'interviewer', tMs: 100, testResults: [] }),
      sampleRun({ kind: 'tests', tMs: 200, testResults: [] }),
      sampleRun({ kind: 'tests', tMs: 300, testResults: [] }),
      sampleRun({ kind: 'hidden-tests', side: 'interviewer', tMs: 400, testResults: [] }),
      sampleRun({ kind: 'run', tMs: 500 }),
    ]
    // Stored out of order: the report sorts by session time.
    const data = buildReportData(sampleSources({ runs: [...runs].reverse() }))
    const problem = data.problems[0]
    expect(problem?.runs.map((r) => r.tMs)).toEqual([100, 200, 300, 400, 500])
    expect(problem?.details.map((r) => [r.tMs, r.highlights])).toEqual([
      [100, ['hidden-tests']],
      [300, ['last-tests']],
      [400, ['hidden-tests']],
      [500, ['last-run']],
    ])
  })

  it('counts passed tests, and leaves plain runs without a count', () => {
    const data = buildReportData(sampleSources())
    expect(data.problems[0]?.runs.map((r) => [r.kind, r.passed, r.total])).toEqual([
      ['run', null, null],
      ['tests', 1, 1],
      ['hidden-tests', 1, 3],
    ])
  })

  it('says when the code is the starter code, as nothing was recorded', () => {
    const codes = ['def two_sum(nums, target):\n    pass\n', 'def is_balanced(s):\n    pass\n']
    const data = buildReportData(sampleSources({ finalCode: { codes, fromStarter: true } }))
    expect(data.problems.map((p) => [p.codeSource, p.finalCode])).toEqual([
      ['starter', 'def two_sum(nums, target):\n    pass\n'],
      ['starter', 'def is_balanced(s):\n    pass\n'],
    ])
  })

  it('tells an untouched evaluation from a draft', () => {
    const session = sampleSession()
    expect(buildReportData(sampleSources({ evaluation: emptyEvaluation(session) })).evaluation.state).toBe('empty')
    expect(buildReportData(sampleSources({ evaluation: null })).evaluation).toEqual({
      state: 'empty',
      criteria: [],
      recommendation: null,
      summary: '',
      score: null,
    })
    const draft = sampleEvaluation({ completedAt: null, recommendation: null, criteria: [] })
    expect(buildReportData(sampleSources({ evaluation: draft })).evaluation.state).toBe('draft')
  })

  it('has no duration for a session that never started or is still live', () => {
    const live = sampleSession({ status: 'live', endedAt: null })
    expect(buildReportData(sampleSources({ session: live })).session.durationMs).toBeNull()
  })

  it('keeps a note taken with no problem on screen, or naming one the session lacks, without a problem', () => {
    const notes = [sampleNote({ problem: null }), sampleNote({ id: 2, problem: 9 })]
    expect(buildReportData(sampleSources({ notes })).notes.map((n) => n.problem)).toEqual([null, null])
  })
})

describe('reportFileName', () => {
  it('names the file after the candidate and the day of the session, in the report time zone', () => {
    const data = buildReportData(sampleSources())
    expect(reportFileName(data, 'md')).toBe('duet-report-ada-lovelace-2025-03-12.md')
    const late = buildReportData(
      sampleSources({
        session: sampleSession({ candidateName: "Zoë O'Brien / <b>", startedAt: '2025-03-12T23:30:00.000Z' }),
        timeZone: 'Asia/Tokyo',
      }),
    )
    expect(reportFileName(late, 'pdf')).toBe('duet-report-zoe-o-brien-b-2025-03-13.pdf')
  })

  it('names an unnamed candidate so', () => {
    const data = buildReportData(sampleSources({ session: sampleSession({ candidateName: '  ' }) }))
    expect(reportFileName(data, 'html')).toBe('duet-report-unnamed-candidate-2025-03-12.html')
  })
})
