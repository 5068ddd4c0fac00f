import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'
import type { UserConfig } from 'vite'
import { pyodidePlugin, pyodideWorkerPlugin } from './build/vite-pyodide.ts'

/** The interviewer UI's Vite config, shared by the Electron build and the browser bridge. */
export const rendererRoot = resolve(import.meta.dirname, 'src/renderer')
export const rendererOutDir = resolve(import.meta.dirname, 'out/renderer')

export const rendererConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [vue(), pyodidePlugin()],
  // y-monaco imports Monaco's old ESM path, which Monaco 0.57's exports map no longer resolves.
  resolve: { alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' }] },
  worker: { format: 'es', plugins: () => pyodideWorkerPlugin() },
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
    target: 'es2023',
    chunkSizeWarningLimit: 5000,
    rollupOptions: { input: resolve(rendererRoot, 'index.html') },
  },
}
