import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

/** The candidate's page: small static files, served by the signaling server. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [vue()],
  build: { outDir: resolve(import.meta.dirname, 'dist'), emptyOutDir: true },
})
