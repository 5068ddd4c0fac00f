import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'
import skipFormatting from '@vue/eslint-config-prettier/skip-formatting'
import globals from 'globals'

const nodeOnly = ['electron', 'node:*', 'fs', 'path', 'os', 'child_process', 'better-sqlite3', 'ws']

export default defineConfigWithVueTs(
  { ignores: ['out/**', 'dist/**', 'candidate-web/dist/**', 'coverage/**', 'playwright-report/**', 'test-results/**'] },
  js.configs.recommended,
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/renderer/**', 'src/browser/**', 'candidate-web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layers by runtime: shared code runs everywhere, so it may not reach for Node or Electron.
  {
    files: ['src/shared/**', 'src/browser/**', 'src/renderer/**', 'candidate-web/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: nodeOnly, message: 'This layer runs in a browser: no Node or Electron imports.' }] },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeOnly, message: 'src/shared runs everywhere: no Node or Electron imports.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared imports only src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/host/**', 'src/main/bridge/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Host services and the bridge run under plain Node: no electron.' }] },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  skipFormatting,
)
