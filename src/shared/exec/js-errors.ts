import { inspectValue } from './js-inspect'

/** Where the user's code sits inside the text that was evaluated. */
export interface UserSource {
  file: string
  /** Characters the wrapper adds before the code on its first line. */
  firstLineOffset: number
  /** Lines of the user's code: frames past them belong to the wrapper. */
  lineCount: number
}

const FRAME = /^\s+at /

/**
 * An error's message and its stack with only the user's frames, at editor positions:
 * `at f (solution.js:2:9)`, and `at solution.js:5:1` for top-level code.
 */
export function userStack(error: Error, source: UserSource): string {
  let stack: unknown
  try {
    stack = error.stack
  } catch {
    stack = undefined
  }
  if (typeof stack !== 'string' || stack === '') return headline(error)
  const location = new RegExp(`${escapeRegExp(source.file)}:(\\d+):(\\d+)`)
  const lines: string[] = []
  for (const line of stack.split('\n')) {
    if (!FRAME.test(line)) {
      lines.push(line)
      continue
    }
    const found = location.exec(line)
    if (!found) continue
    const row = Number(found[1])
    if (row > source.lineCount) continue
    const column = row === 1 ? Math.max(1, Number(found[2]) - source.firstLineOffset) : Number(found[2])
    const at = `${source.file}:${row}:${column}`
    lines.push(line.replace(/^(\s+at )eval \((.*)\)$/, '$1$2').replace(location, at))
  }
  return lines.join('\n')
}

/** What an error nobody caught prints, like a browser console: `Uncaught TypeError: …` and the frames. */
export function describeUncaught(value: unknown, inPromise: boolean, source: UserSource): string {
  const label = inPromise ? 'Uncaught (in promise)' : 'Uncaught'
  const text = value instanceof Error ? userStack(value, source) : inspectValue(value, (e) => userStack(e, source))
  return `${label} ${text}`
}

/** A syntax error with its place, like Node prints one: the location, the line, a caret, the message. */
export function describeSyntaxError(
  message: string,
  code: string,
  place: { line: number; column: number } | null,
  file: string,
): string {
  if (place === null) return `${file}\n${message}`
  const text = code.split('\n')[place.line - 1] ?? ''
  // Keep tabs so the caret lines up under the same character as in the editor.
  const pad = text.slice(0, place.column - 1).replace(/[^\t]/g, ' ')
  return `${file}:${place.line}:${place.column}\n${text}\n${pad}^\n\n${message}`
}

function headline(error: Error): string {
  try {
    return `${error.name}: ${error.message}`
  } catch {
    return 'Error'
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
