import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { recordSecurityCheck } from './test-support/security-record'

/**
 * Candidate code runs only in the runner workers (DESIGN.md, Security). This reads the source of
 * every layer and finds each place that could turn text into running code, starts a worker, or
 * loosens a window; every one must be on the allow-list below, with the reason it is safe. Then it
 * follows the imports from each entry point of the main process, the preload, both pages, the
 * browser bridge and the signaling server, and checks that none of them reaches a module that
 * evaluates code: only the runner workers do.
 */

const repoRoot = resolve(import.meta.dirname, '../..')
const SCANNED_FOLDERS = [
  'src/main',
  'src/preload',
  'src/renderer',
  'src/browser',
  'src/shared',
  'candidate-web/src',
  'signaling',
]

type Sink =
  /** `eval`, direct or indirect. */
  | 'eval'
  /** `Function(…)` / `new Function(…)`: the Function constructor. */
  | 'Function constructor'
  /** Pyodide's `runPython` / `runPythonAsync`, or Python `exec(`/`compile(` in program text. */
  | 'runs Python'
  /** Program text that evaluates what it is given once it runs: `eval(`, `Function(`, `exec(` in a string. */
  | 'evaluating program text'
  /** `import(x)` of a computed specifier: loads whatever script x names. */
  | 'computed import'
  /** `vm`, `child_process`, `worker_threads`, `cluster`: Node ways to run code or programs. */
  | 'Node code execution module'
  /** `webContents.executeJavaScript*`, `vm.run*`, `importScripts`. */
  | 'script injection API'
  /** `setTimeout('code')` and the like. */
  | 'string timer'
  /** `new Worker(…)`, `new SharedWorker(…)`, or a Vite `?worker` import. */
  | 'starts a worker'
  /** `URL.createObjectURL`: a blob: URL could become a worker or script source. */
  | 'blob URL'
  /** A window option that turns a protection off (Node in a page, no sandbox, no isolation…). */
  | 'loosened window'

interface Allowed {
  sinks: Sink[]
  why: string
}

/** Every place that may evaluate code or start a worker, and why it is safe. Paths from the repo root. */
const ALLOWED: Readonly<Record<string, Allowed>> = {
  'src/shared/exec/javascript-engine.ts': {
    sinks: ['eval', 'Function constructor'],
    why: 'The JavaScript engine: evaluates the candidate’s program. Imported only by javascript-runner.worker.ts (checked below), whose response CSP alone has unsafe-eval.',
  },
  'src/shared/exec/python-engine.ts': {
    sinks: ['runs Python'],
    why: 'The Python engine: runs the program in Pyodide. Imported for running only by python-runner.worker.ts; pyodide-loader.ts takes its load options from it.',
  },
  'src/shared/exec/harness.ts': {
    sinks: ['evaluating program text', 'runs Python'],
    why: 'Builds the test program text (JavaScript and Python) that the two engines evaluate; evaluates nothing itself.',
  },
  'src/shared/exec/python-driver.ts': {
    sinks: ['runs Python'],
    why: 'Python source text of the driver that runs a program inside Pyodide; only ever handed to python-engine.ts.',
  },
  'src/browser/exec/pyodide-loader.ts': {
    sinks: ['computed import'],
    why: 'Imports pyodide.mjs from the app’s own Pyodide folder (never a CDN); imported only by python-runner.worker.ts.',
  },
  'src/browser/exec/create-runner.ts': {
    sinks: ['starts a worker'],
    why: 'Starts the two runner workers from fixed module files: the one way candidate code leaves a page.',
  },
  'src/renderer/src/code-editor/monaco-setup.ts': {
    sinks: ['starts a worker'],
    why: 'Monaco’s editor worker, a fixed bundled file: it tokenizes and diffs text, never runs it.',
  },
  'candidate-web/src/editor/monaco-setup.ts': {
    sinks: ['starts a worker'],
    why: 'The same Monaco editor worker, on the candidate’s page.',
  },
  'src/renderer/src/lib/download.ts': {
    sinks: ['blob URL'],
    why: 'A Blob URL for an <a download> of a report or bundle, never a script or worker source.',
  },
}

/** The sinks that make a module an evaluator; program text too, to be on the safe side. */
const EVALUATING_SINKS: ReadonlySet<Sink> = new Set([
  'eval',
  'Function constructor',
  'runs Python',
  'evaluating program text',
  'computed import',
])

/** The code-runner workers: the only entry points whose imports may reach an evaluator. */
const WORKER_ENTRIES = ['src/browser/exec/javascript-runner.worker.ts', 'src/browser/exec/python-runner.worker.ts']

/** Where code runs with Node, in a window with a preload, or in a page: none may reach an evaluator. */
const NON_WORKER_ENTRIES = [
  'src/main/index.ts',
  'src/preload/index.ts',
  'src/renderer/src/main.ts',
  'candidate-web/src/main.ts',
  'src/main/bridge/cli.ts',
  'signaling/cli.ts',
]

const NODE_EXECUTION_MODULES = new Set(
  ['vm', 'child_process', 'worker_threads', 'cluster'].flatMap((name) => [name, `node:${name}`]),
)
const INJECTION_APIS = new Set([
  'executeJavaScript',
  'executeJavaScriptInIsolatedWorld',
  'runInNewContext',
  'runInThisContext',
  'runInContext',
  'compileFunction',
  'importScripts',
])
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate'])
const PYTHON_RUNNERS = new Set(['runPython', 'runPythonAsync'])
/** Options that must never be turned off, and ones never turned on. */
const MUST_STAY_TRUE = new Set(['contextIsolation', 'sandbox', 'webSecurity'])
const MUST_STAY_FALSE = new Set([
  'nodeIntegration',
  'nodeIntegrationInWorker',
  'nodeIntegrationInSubFrames',
  'webviewTag',
  'allowRunningInsecureContent',
  'experimentalFeatures',
])
// `Function(` only when given text: "[Function (anonymous)]" is a label, not a call.
const EVALUATING_TEXT = /\beval\s*\(|\(0,\s*eval\)|\bFunction\s*\(\s*['"`]/
const PYTHON_EVALUATING_TEXT = /\bexec\s*\(|\bcompile\s*\(/

/** Tests and their helpers (`*.test.ts`, `test-support/`, `test-*.ts`) run under vitest, never in the app. */
const isTestFile = (path: string): boolean =>
  /\.test\.ts$/.test(path) || /(^|\/)(test-support\/|test-[\w.-]*\.ts$)/.test(path) || path.endsWith('.d.ts')

function sourceFiles(): string[] {
  return SCANNED_FOLDERS.flatMap((folder) =>
    readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
      .map((file) => `${folder}/${file.split('\\').join('/')}`)
      .filter((file) => /\.(ts|vue)$/.test(file) && !isTestFile(file) && !file.includes('/dist/')),
  )
}

/** The TypeScript of a file: a .vue file's <script> blocks, joined. */
function scriptOf(path: string): string {
  const text = readFileSync(join(repoRoot, path), 'utf8')
  if (!path.endsWith('.vue')) return text
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '').join('\n')
}

interface Scan {
  sinks: Map<Sink, string[]>
  /** Specifiers imported at run time (static, re-exported or dynamic with a literal). */
  imports: string[]
}

function scan(path: string): Scan {
  const source = ts.createSourceFile(path, scriptOf(path), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const sinks = new Map<Sink, string[]>()
  const imports: string[] = []
  const found = (sink: Sink, node: ts.Node): void => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart())
    sinks.set(sink, [...(sinks.get(sink) ?? []), `${path}:${line + 1}`])
  }
  const checkModule = (specifier: string, node: ts.Node): void => {
    imports.push(specifier)
    if (NODE_EXECUTION_MODULES.has(specifier)) found('Node code execution module', node)
    if (/\?worker\b/.test(specifier)) found('starts a worker', node)
  }
  const nameOf = (node: ts.Expression): string | null =>
    ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : null
  const checkText = (text: string, node: ts.Node): void => {
    if (EVALUATING_TEXT.test(text)) found('evaluating program text', node)
    if (PYTHON_EVALUATING_TEXT.test(text)) found('runs Python', node)
  }

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly) checkModule(node.moduleSpecifier.text, node)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) checkModule(node.moduleSpecifier.text, node)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression
      if (ts.isStringLiteral(expression)) checkModule(expression.text, node)
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression
      const [first] = node.arguments ?? []
      const name = nameOf(callee)
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        if (first && ts.isStringLiteralLike(first)) checkModule(first.text, node)
        else found('computed import', node)
      }
      if (name === 'Function') found('Function constructor', node)
      if (
        name !== null &&
        TIMERS.has(name) &&
        first &&
        (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first))
      ) {
        found('string timer', node)
      }
      if (ts.isNewExpression(node) && (name === 'Worker' || name === 'SharedWorker')) found('starts a worker', node)
    } else if (ts.isIdentifier(node) && node.text === 'eval') {
      found('eval', node)
    } else if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      if (INJECTION_APIS.has(node.text)) found('script injection API', node)
      if (PYTHON_RUNNERS.has(node.text)) found('runs Python', node)
      if (node.text === 'createObjectURL') found('blob URL', node)
    } else if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      checkText(node.text, node)
    } else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      const option = node.name.text
      const value = node.initializer.kind
      if (
        (MUST_STAY_TRUE.has(option) && value === ts.SyntaxKind.FalseKeyword) ||
        (MUST_STAY_FALSE.has(option) && value === ts.SyntaxKind.TrueKeyword)
      ) {
        found('loosened window', node)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { sinks, imports }
}

/** The file a relative specifier names, or null for a package or a non-code file. */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const base = join(dirname(from), specifier.replace(/\?.*$/, ''))
  const stem = base.replace(/\.js$/, '')
  for (const candidate of [base, `${stem}.ts`, `${base}.vue`, join(base, 'index.ts')]) {
    if (/\.(ts|vue)$/.test(candidate) && existsSync(join(repoRoot, candidate))) return candidate.split('\\').join('/')
  }
  return null
}

const files = sourceFiles()
const scans = new Map(files.map((file) => [file, scan(file)]))

/** Every file an entry point loads, following run-time imports between our own files. */
function closureOf(entry: string): Set<string> {
  const seen = new Set<string>()
  const queue = [entry]
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue
    seen.add(file)
    const scanned = scans.get(file) ?? scan(file)
    for (const specifier of scanned.imports) {
      const target = resolveImport(file, specifier)
      if (target !== null) queue.push(target)
    }
  }
  return seen
}

const evaluators = new Set(
  [...scans].filter(([, s]) => [...s.sinks.keys()].some((sink) => EVALUATING_SINKS.has(sink))).map(([file]) => file),
)

describe('candidate code runs only in the runner workers', () => {
  it('finds every code-evaluating, worker-starting or window-loosening call on the allow-list', () => {
    expect(files.length).toBeGreaterThan(200)
    const unexpected: string[] = []
    const used = new Map<string, Set<Sink>>()
    for (const [file, { sinks }] of scans) {
      for (const [sink, where] of sinks) {
        if (ALLOWED[file]?.sinks.includes(sink)) used.set(file, new Set([...(used.get(file) ?? []), sink]))
        else unexpected.push(`${sink} at ${where.join(', ')}`)
      }
    }
    expect(
      unexpected,
      'not on the allow-list: move it into a runner worker, or add it with the reason it is safe',
    ).toEqual([])
    // And no stale entry: each allowed sink is still there, so the list says what the code does.
    for (const [file, allowed] of Object.entries(ALLOWED)) {
      expect([...(used.get(file) ?? [])].sort(), file).toEqual([...allowed.sinks].sort())
    }
  })

  it('the scan sees what it looks for', () => {
    expect(evaluators).toEqual(
      new Set([
        'src/shared/exec/javascript-engine.ts',
        'src/shared/exec/python-engine.ts',
        'src/shared/exec/harness.ts',
        'src/shared/exec/python-driver.ts',
        'src/browser/exec/pyodide-loader.ts',
      ]),
    )
    const worker = [...WORKER_ENTRIES.flatMap((entry) => [...closureOf(entry)])]
    for (const engine of ['src/shared/exec/javascript-engine.ts', 'src/shared/exec/python-engine.ts']) {
      expect(worker, engine).toContain(engine)
    }
  })

  it.each(NON_WORKER_ENTRIES)('%s loads no module that evaluates code', (entry) => {
    const closure = closureOf(entry)
    expect(closure.size, 'the import walk found the entry’s modules').toBeGreaterThan(1)
    const reached = [...closure].filter((file) => evaluators.has(file))
    expect(reached).toEqual([])
  })

  it('records the outcome', () => {
    const loaded = new Set(NON_WORKER_ENTRIES.flatMap((entry) => [...closureOf(entry)]))
    recordSecurityCheck(
      'Candidate code only in workers',
      `scanned ${files.length} source files of main, preload, both pages, browser code, shared code and the signaling server for eval, Function, Pyodide, computed imports, vm/child_process/worker_threads, script injection, string timers, workers and blob URLs; followed the imports of ${NON_WORKER_ENTRIES.length} entry points (${loaded.size} modules)`,
      `nothing: ${Object.keys(ALLOWED).length} allowed places, each explained; no entry point outside the runner workers loads one of the ${evaluators.size} evaluating modules`,
      { files: files.length, evaluators: evaluators.size },
    )
    expect(relative(repoRoot, join(repoRoot, WORKER_ENTRIES[0] ?? ''))).toBe(WORKER_ENTRIES[0])
  })
})
