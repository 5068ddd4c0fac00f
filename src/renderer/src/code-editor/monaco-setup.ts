// Only the editor core, the two interview languages and a few everyday editing features:
// the full `monaco-editor` entry would pull in every language and the TypeScript worker.
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/languages/definitions/python/register'
import 'monaco-editor/languages/definitions/javascript/register'
import 'monaco-editor/editor/contrib/find/browser/findController'
import 'monaco-editor/editor/contrib/comment/browser/comment'
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching'
import 'monaco-editor/editor/contrib/folding/browser/folding'
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations'
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor'
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'

// Monaco ≥ 0.56 asks for its workers here; the editor worker is the only one these languages need.
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
}

export { monaco }
