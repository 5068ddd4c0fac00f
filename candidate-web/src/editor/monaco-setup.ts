// The editor core and a few everyday editing features, nothing more: the candidate page must stay
// small, and the language comes separately (see load-editor.ts), only the session's one.
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching'
import 'monaco-editor/editor/contrib/comment/browser/comment'
import 'monaco-editor/editor/contrib/find/browser/findController'
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import { EditorBinding } from '../../../src/browser/editor/editor-binding'

// Monaco ≥ 0.56 asks for its workers here; the editor worker is the only one the languages need.
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
}

export { monaco, EditorBinding }
