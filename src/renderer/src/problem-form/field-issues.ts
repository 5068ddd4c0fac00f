import type { FieldIssue } from '../../../shared/validation'

/**
 * The form field a host issue belongs to: `tags[2]` → `tags`, `tests[1].args[0]` →
 * `tests[1].args`, `starterCode.python` stays itself. Each field shows the issues of its key.
 */
export function fieldKeyOf(path: string): string {
  const test = /^tests\[\d+\]\.(?:name|args|expected|hidden)/.exec(path)
  if (test) return test[0]
  const code = /^(?:starterCode|solution)(?:\.\w+)?/.exec(path)
  if (code) return code[0]
  return path.split(/[.[]/)[0] ?? path
}

export function groupIssues(issues: readonly FieldIssue[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {}
  for (const issue of issues) (grouped[fieldKeyOf(issue.path)] ??= []).push(issue.message)
  return grouped
}

const LABELS: Record<string, string> = {
  title: 'Title',
  slug: 'Slug',
  difficulty: 'Difficulty',
  tags: 'Tags',
  description: 'Description',
  entryFunction: 'Entry function',
  timeoutMs: 'Timeout',
  starterCode: 'Starter code',
  'starterCode.python': 'Python starter code',
  'starterCode.javascript': 'JavaScript starter code',
  solution: 'Reference solution',
  'solution.python': 'Python solution',
  'solution.javascript': 'JavaScript solution',
  tests: 'Tests',
}

const TEST_PARTS: Record<string, string> = {
  name: 'name',
  args: 'arguments',
  expected: 'expected value',
  hidden: 'hidden',
}

/** A path as a person reads it in the error summary: `tests[1].expected` → "Test 2 › expected value". */
export function fieldLabel(path: string): string {
  const test = /^tests\[(\d+)\]\.(\w+)(?:\[(\d+)\])?/.exec(path)
  if (test) {
    const [, index = '0', part = '', arg] = test
    const argument = arg === undefined ? '' : ` ${Number(arg) + 1}`
    return `Test ${Number(index) + 1} › ${TEST_PARTS[part] ?? part}${argument}`
  }
  const tag = /^tags\[(\d+)\]/.exec(path)
  if (tag) return `Tag ${Number(tag[1]) + 1}`
  return LABELS[path] ?? LABELS[fieldKeyOf(path)] ?? path
}
