import type { Difficulty, Language, ProblemSummary } from '../../../shared/problem'
import type { SessionCreate } from '../../../shared/session'
import type { Settings } from '../../../shared/settings'
import type { FieldIssue } from '../../../shared/validation'

export type PickedProblem = Pick<ProblemSummary, 'id' | 'title' | 'difficulty' | 'languages'>

export const pickedOf = ({ id, title, difficulty, languages }: ProblemSummary): PickedProblem => ({
  id,
  title,
  difficulty,
  languages,
})

export interface SessionForm {
  candidateName: string
  title: string
  language: Language
  mode: 'random' | 'pick'
  difficulty: Difficulty
  count: number
  picked: PickedProblem[]
  /** Empty means no limit (a number input gives '' for nothing, or for what is not a number). */
  timeLimit: number | ''
}

export type SessionDefaults = Pick<Settings, 'defaultLanguage' | 'defaultTimeLimitMinutes'>

/** A new form, with the language and time limit the settings choose for new sessions. */
export function emptySessionForm(
  defaults: SessionDefaults = { defaultLanguage: 'python', defaultTimeLimitMinutes: null },
): SessionForm {
  return {
    candidateName: '',
    title: '',
    language: defaults.defaultLanguage,
    mode: 'random',
    difficulty: 'junior',
    count: 2,
    picked: [],
    timeLimit: defaults.defaultTimeLimitMinutes ?? '',
  }
}

export type CreateInput = { ok: true; input: SessionCreate } | { ok: false; issues: FieldIssue[] }

/** The host validates the rest; only what JSON could not carry faithfully is checked here. */
export function createInputOf(form: SessionForm): CreateInput {
  const minutes = form.timeLimit === '' ? null : form.timeLimit
  if (minutes !== null && !Number.isInteger(minutes)) {
    return { ok: false, issues: [{ path: 'timeLimitMinutes', message: 'must be a whole number of minutes' }] }
  }
  return {
    ok: true,
    input: {
      candidateName: form.candidateName,
      title: form.title,
      language: form.language,
      problems:
        form.mode === 'random'
          ? { mode: 'random', difficulty: form.difficulty, count: form.count }
          : { mode: 'pick', ids: form.picked.map((p) => p.id) },
      timeLimitMinutes: minutes,
    },
  }
}

/**
 * The form field a host issue belongs to: `problems.ids[3]` → `problems.ids`, `title` stays
 * itself; an issue about the whole choice (`problems`) shows with the mode.
 */
export function sessionFieldKey(path: string): string {
  const [first = path, second] = path.replace(/\[\d+\]/g, '').split('.')
  return first === 'problems' && second ? `problems.${second}` : first
}

export function groupSessionIssues(issues: readonly FieldIssue[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {}
  for (const issue of issues) (grouped[sessionFieldKey(issue.path)] ??= []).push(issue.message)
  return grouped
}
