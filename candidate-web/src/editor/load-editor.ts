import type { InjectionKey } from 'vue'
import type { Language } from '../../../src/shared/problem'
import type * as MonacoSetup from './monaco-setup'

export type EditorKit = typeof MonacoSetup
export type EditorLoader = (language: Language) => Promise<EditorKit>

// One chunk per language, so the page downloads only the session's.
const LANGUAGE_MODULES: Readonly<Record<Language, () => Promise<unknown>>> = {
  python: () => import('monaco-editor/languages/definitions/python/register'),
  javascript: () => import('monaco-editor/languages/definitions/javascript/register'),
}

const loading = new Map<Language, Promise<EditorKit>>()

/** Loads Monaco with y-monaco and the one language; started as soon as the language is known. */
export const loadEditor: EditorLoader = (language) => {
  let kit = loading.get(language)
  if (!kit) {
    kit = Promise.all([import('./monaco-setup'), LANGUAGE_MODULES[language]()]).then(([setup]) => setup)
    // A failed load may be retried (a reload of a chunk after a network blip).
    kit.catch(() => loading.delete(language))
    loading.set(language, kit)
  }
  return kit
}

/** Tests provide a loader of their own: Monaco needs a real browser. */
export const editorLoaderKey: InjectionKey<EditorLoader> = Symbol('editor-loader')
