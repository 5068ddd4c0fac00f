import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../security-headers'
import { createStaticHandler } from './static-files'

let dir: string
let server: Server
let origin: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duet-static-'))
  mkdirSync(join(dir, 'assets'))
  mkdirSync(join(dir, 'pyodide'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Duet</title>')
  writeFileSync(join(dir, 'assets', 'python-runner.worker-B6OkkZDd.js'), 'export {}')
  writeFileSync(join(dir, 'assets', 'javascript-runner.worker-Ci_eRsEx.js'), 'export {}')
  writeFileSync(join(dir, 'pyodide', 'pyodide.asm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]))
  const handler = createStaticHandler(dir)
  server = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(dir, { recursive: true, force: true })
})

describe('bridge static files for the code runners', () => {
  it('serves each runner worker with its own policy, Python’s fetches held to the Pyodide folder', async () => {
    const python = await fetch(`${origin}/assets/python-runner.worker-B6OkkZDd.js`)
    expect(python.headers.get('content-security-policy')).toContain(`connect-src ${origin}/pyodide/;`)
    expect(python.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    const javascript = await fetch(`${origin}/assets/javascript-runner.worker-Ci_eRsEx.js`)
    expect(javascript.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-eval'")
  })

  it('serves Pyodide’s files same-origin, loadable under COEP, with the page policy', async () => {
    const wasm = await fetch(`${origin}/pyodide/pyodide.asm.wasm`)
    expect(wasm.headers.get('content-type')).toBe('application/wasm')
    expect(wasm.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    expect(wasm.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    const page = await fetch(`${origin}/`)
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })
})
