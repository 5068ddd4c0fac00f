import type { InjectionKey } from 'vue'

/**
 * `monaco` in the app; `plain` gives a textarea with the same v-model, for environments where
 * Monaco cannot run (component tests in happy-dom). Provide it on the app to choose.
 */
export type CodeEditorMode = 'monaco' | 'plain'
export const codeEditorModeKey: InjectionKey<CodeEditorMode> = Symbol('code-editor-mode')
