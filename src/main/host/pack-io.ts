import { extname } from 'node:path'
import { LineCounter, parseDocument, stringify } from 'yaml'
import { HostError } from '../../shared/host-errors'
import {
  PACK_FORMAT,
  PACK_VERSION,
  PackFileSchema,
  PackHeaderSchema,
  type ConflictPolicy,
  type ExportedPack,
  type ImportPreview,
  type ImportResult,
  type PackFile,
  type PackFormat,
  type PackSource,
} from '../../shared/pack'
import { problemInputOf } from '../../shared/problem'
import { describeIssues, parseWith, type FieldIssue, type Parsed } from '../../shared/validation'
import type { Db } from './database'
import type { ProblemBank } from './problem-bank'

export interface PackImport {
  result: ImportResult
  /** Ids of the problems created or replaced, for the `problems.changed` event. */
  changedIds: number[]
}

export interface PackIo {
  previewImport(source: PackSource): ImportPreview
  importPack(source: PackSource, onConflict: ConflictPolicy): PackImport
  exportPack(ids: readonly number[], format: PackFormat): ExportedPack
}

const FILE_PATH = '(file)'
const MAX_ISSUES_IN_MESSAGE = 3

function formatOf(source: PackSource, text: string): PackFormat {
  const ext = extname(source.fileName).toLowerCase()
  if (ext === '.json') return 'json'
  if (ext === '.yaml' || ext === '.yml') return 'yaml'
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml'
}

function at(line: number, column: number): string {
  return `line ${line}, column ${column}`
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lastBreak = before.lastIndexOf('\n')
  return { line: before.split('\n').length, column: offset - lastBreak }
}

function parseJsonText(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // V8 says "… in JSON at position N (line L column C)"; the end of input has no position.
    const position = /at position (\d+)/.exec(message)
    const { line, column } = lineColumnOf(text, position ? Number(position[1]) : text.length)
    const reason = message.replace(/,? in JSON at position.*$/s, '')
    return { ok: false, issues: [{ path: at(line, column), message: `not valid JSON: ${reason}` }] }
  }
}

function parseYamlText(text: string): Parsed<unknown> {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0])
        return { path: at(line, col), message: `not valid YAML: ${e.message}` }
      }),
    }
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown }
  } catch (error) {
    // Too many aliases (a "billion laughs" file) is refused instead of expanded.
    const reason = error instanceof Error ? error.message : String(error)
    return { ok: false, issues: [{ path: FILE_PATH, message: `not valid YAML: ${reason}` }] }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function duplicateSlugIssues(pack: PackFile): FieldIssue[] {
  const firstIndex = new Map<string, number>()
  const issues: FieldIssue[] = []
  pack.problems.forEach((p, i) => {
    const first = firstIndex.get(p.slug)
    if (first === undefined) firstIndex.set(p.slug, i)
    else issues.push({ path: `problems[${i}].slug`, message: `"${p.slug}" is already the slug of problems[${first}]` })
  })
  return issues
}

/** Reads a pack file into a validated pack; every issue names where it is and what is wrong. */
export function parsePack(source: PackSource): Parsed<PackFile> {
  const text = source.text.replace(/^\uFEFF/, '')
  const data = formatOf(source, text) === 'json' ? parseJsonText(text) : parseYamlText(text)
  if (!data.ok) return data
  if (!isRecord(data.value)) {
    const message = `is not a Duet problem pack: expected a mapping with format "${PACK_FORMAT}", version and problems`
    return { ok: false, issues: [{ path: FILE_PATH, message }] }
  }
  // The header first: a file from elsewhere or from a newer Duet gets one clear reason, not a hundred.
  const header = parseWith(PackHeaderSchema, data.value)
  if (!header.ok) return header
  if (header.value.version > PACK_VERSION) {
    const message = `made by a newer Duet (format version ${header.value.version}; this Duet reads ${PACK_VERSION}) — update Duet to import it`
    return { ok: false, issues: [{ path: 'version', message }] }
  }
  const pack = parseWith(PackFileSchema, data.value)
  if (!pack.ok) return pack
  const duplicates = duplicateSlugIssues(pack.value)
  return duplicates.length > 0 ? { ok: false, issues: duplicates } : pack
}

/** Like parsePack, but a broken file is an `invalid-input` error listing every issue. */
export function readPack(source: PackSource): PackFile {
  const parsed = parsePack(source)
  if (parsed.ok) return parsed.value
  const n = parsed.issues.length
  const shown = parsed.issues.slice(0, MAX_ISSUES_IN_MESSAGE)
  const more = n > shown.length ? `; and ${n - shown.length} more` : ''
  const summary = describeIssues(shown).replaceAll('\n', '; ')
  throw new HostError(
    'invalid-input',
    `The pack file has ${n} problem${n === 1 ? '' : 's'}: ${summary}${more}`,
    parsed.issues,
  )
}

function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Import and export of problem packs over the bank; an import writes all of its problems or none. */
export function createPackIo(db: Db, bank: ProblemBank, now: () => Date): PackIo {
  function previewImport(source: PackSource): ImportPreview {
    const pack = readPack(source)
    return {
      problemCount: pack.problems.length,
      conflicts: pack.problems.filter((p) => bank.slugOwner(p.slug) !== null).map((p) => p.slug),
    }
  }

  const write = db.transaction((pack: PackFile, onConflict: ConflictPolicy): PackImport => {
    const result: ImportResult = { created: [], replaced: [], skipped: [], renamed: [] }
    const changedIds: number[] = []
    // A renamed copy must not take a slug that a later problem of the same file brings.
    const reserved = new Set(pack.problems.map((p) => p.slug))
    for (const problem of pack.problems) {
      const owner = bank.slugOwner(problem.slug)
      if (owner === null) {
        changedIds.push(bank.create(problem).id)
        result.created.push(problem.slug)
      } else if (onConflict === 'skip') {
        result.skipped.push(problem.slug)
      } else if (onConflict === 'replace') {
        changedIds.push(bank.update(owner.id, problem).id)
        result.replaced.push(problem.slug)
      } else {
        const slug = bank.freeSlug(problem.slug, reserved)
        reserved.add(slug)
        changedIds.push(bank.create({ ...problem, slug }).id)
        result.renamed.push([problem.slug, slug])
      }
    }
    return { result, changedIds }
  })

  function importPack(source: PackSource, onConflict: ConflictPolicy): PackImport {
    return write(readPack(source), onConflict)
  }

  const exportPack = db.transaction((ids: readonly number[], format: PackFormat): ExportedPack => {
    const date = now()
    const pack: PackFile = {
      format: PACK_FORMAT,
      version: PACK_VERSION,
      exportedAt: date.toISOString(),
      problems: [...new Set(ids)].map((id) => problemInputOf(bank.get(id))),
    }
    const text =
      format === 'json'
        ? `${JSON.stringify(pack, null, 2)}\n`
        : stringify(pack, { lineWidth: 0, aliasDuplicateObjects: false })
    return { fileName: `duet-problems-${localDate(date)}.${format}`, text, problemCount: pack.problems.length }
  })

  return { previewImport, importPack, exportPack }
}
