import type * as Y from 'yjs'
import type { SessionInfo } from '../../../src/shared/peer/frames'
import { problemText } from '../../../src/shared/sync/doc'

export interface AttemptedProblem {
  index: number
  title: string
  /** The candidate's last code, from this page's own copy of the document. */
  code: string
}

/** What the thank-you page shows: all of it known on the candidate's page, nothing asked of the host. */
export interface EndSummary {
  name: string
  durationMs: number
  problemCount: number
  attempted: AttemptedProblem[]
  runsMade: number
}

export interface EndSummaryInput {
  name: string
  info: SessionInfo
  doc: Y.Doc
  /** Problems the interviewer showed while this page was open. */
  visited: readonly number[]
  runsMade: number
  durationMs: number
}

/** A problem counts as attempted when it was shown here or its code is no longer the starter code. */
export function endSummaryOf(input: EndSummaryInput): EndSummary {
  const attempted: AttemptedProblem[] = []
  input.info.problems.forEach((problem, index) => {
    const code = problemText(input.doc, index).toString()
    if (input.visited.includes(index) || (code !== '' && code !== problem.starterCode)) {
      attempted.push({ index, title: problem.title, code })
    }
  })
  return {
    name: input.name,
    durationMs: Math.max(0, input.durationMs),
    problemCount: input.info.problems.length,
    attempted,
    runsMade: input.runsMade,
  }
}
