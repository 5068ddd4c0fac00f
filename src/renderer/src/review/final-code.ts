import * as Y from 'yjs'
import type { Language } from '../../../shared/problem'
import type { FrozenProblem, Recording } from '../../../shared/session'
import { problemText, seedProblems } from '../../../shared/sync/doc'
import { applyRecording, hasDocumentState } from '../session/replay'

export interface FinalCode {
  /** One per problem of the session, in order. */
  codes: string[]
  /** Nothing was recorded: the codes are the starter codes, as the candidate would have found them. */
  fromStarter: boolean
}

/** Each problem's code at the end of the recording, rebuilt in a document of its own. */
export function finalCodeOf(problems: readonly FrozenProblem[], language: Language, recording: Recording): FinalCode {
  const doc = new Y.Doc()
  try {
    const fromStarter = !hasDocumentState(recording)
    if (fromStarter)
      seedProblems(
        doc,
        problems.map((p) => p.starterCode[language]),
      )
    else applyRecording(doc, recording)
    return { codes: problems.map((_, index) => problemText(doc, index).toString()), fromStarter }
  } finally {
    doc.destroy()
  }
}
