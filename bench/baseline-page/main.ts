// The seeds' design in a browser, for bench/keystroke-baseline.ts: a Monaco editor whose every
// change sends the whole text over a plain WebSocket, and which replaces its model's whole content
// (`model.setValue`) with every text that arrives. Monaco is loaded as the app loads it: the core,
// one language and the editor worker. `?role=receiver` makes the editor read-only, like the
// interviewer's live view.
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/languages/definitions/python/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
}

const host = document.getElementById('editor')
if (!host) throw new Error('the page has no #editor')
const model = monaco.editor.createModel('', 'python')
monaco.editor.create(host, {
  model,
  readOnly: new URLSearchParams(location.search).get('role') === 'receiver',
  automaticLayout: true,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  fontSize: 14,
  tabSize: 4,
})

const socket = new WebSocket(`ws://${location.host}/ws`)
let applyingRemote = false
model.onDidChangeContent(() => {
  if (!applyingRemote && socket.readyState === WebSocket.OPEN) socket.send(model.getValue())
})
socket.addEventListener('message', (event: MessageEvent<string>) => {
  applyingRemote = true
  try {
    model.setValue(event.data)
  } finally {
    applyingRemote = false
  }
  // The server's first message is the current text: from then on the page is in the session.
  document.body.dataset.open = 'true'
})
