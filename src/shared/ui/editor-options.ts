import type { Language } from '../problem'

/** The Monaco options every Duet editor shares, in the app and on the candidate's page. */
export function baseEditorOptions(language: Language) {
  return {
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    tabSize: language === 'python' ? 4 : 2,
  }
}
