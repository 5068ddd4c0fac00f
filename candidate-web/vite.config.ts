import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { pyodidePlugin, pyodideWorkerPlugin } from '../build/vite-pyodide.ts'

/**
 * The candidate's page: small static files, served by the signaling server. The page lives at
 * `/s/<roomId>` (with or without a trailing slash) and the server serves the build's files from
 * the root too, so assets take absolute `/assets/…` paths, which work from either form.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [vue(), pyodidePlugin()],
  resolve: {
    // y-monaco imports Monaco by its pre-0.56 path, which 0.57's export map no longer resolves;
    // pointing it at the current path also keeps a single copy of Monaco in the bundle.
    alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' }],
  },
  worker: { format: 'es', plugins: () => pyodideWorkerPlugin() },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Monaco is one large lazy chunk by design; the size that matters is measured gzipped.
    chunkSizeWarningLimit: 4000,
  },
})
