import type { Evaluation } from '../../../shared/evaluation'
import type { HostApi } from '../../../shared/host-api'
import { buildReportData, type ReportData } from '../../../shared/report/report-data'
import { finalCodeOf } from '../review/final-code'

/** The steps of an export, in order; only a PDF is printed. */
export const REPORT_STEPS = ['load', 'code', 'render', 'print'] as const
export type ReportStep = (typeof REPORT_STEPS)[number]

export interface LoadOptions {
  /** Told as each step starts, so a long export shows where it is. */
  onStep?: (step: ReportStep) => void
  now?: () => Date
  timeZone?: string
}

/** Lets the page paint the new step before a long stretch of work that holds the thread. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

async function evaluationOf(api: HostApi, sessionId: string): Promise<Evaluation | null> {
  // `evaluations.get` would start an evaluation: a report only reads one that exists.
  const started = (await api.evaluations.list()).some((e) => e.sessionId === sessionId)
  return started ? api.evaluations.get({ sessionId }) : null
}

/** Everything the report shows, read through the host API, with each problem's code rebuilt. */
export async function loadReportData(api: HostApi, sessionId: string, options: LoadOptions = {}): Promise<ReportData> {
  options.onStep?.('load')
  const [session, runs, notes, evaluation, recording] = await Promise.all([
    api.sessions.get({ id: sessionId }),
    api.runs.list({ sessionId }),
    api.notes.list({ sessionId }),
    evaluationOf(api, sessionId),
    api.recording.load({ sessionId }),
  ])
  options.onStep?.('code')
  await nextTask()
  const finalCode = finalCodeOf(session.problems, session.language, recording)
  return buildReportData({
    session,
    runs,
    notes,
    evaluation,
    finalCode,
    generatedAt: (options.now ?? (() => new Date()))(),
    timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  })
}
