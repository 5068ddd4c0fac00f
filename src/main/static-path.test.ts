import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mimeTypeOf, resolveStaticPath } from './static-path'

const root = resolve('/srv/duet/renderer')

describe('resolveStaticPath', () => {
  it('maps paths inside the folder, with index.html for the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'))
    expect(resolveStaticPath(root, '/assets/a%20b.js')).toBe(join(root, 'assets/a b.js'))
  })

  it.each([
    '/../secret.txt',
    '/assets/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2fetc%2fpasswd',
    '/assets/..\\..\\etc\\passwd',
    '/%5c..%5cetc',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(root, path)).toBeNull()
  })

  it('refuses a sibling folder whose name starts like the root', () => {
    expect(resolveStaticPath(root, '/../renderer-evil/x.js')).toBeNull()
  })
})

describe('mimeTypeOf', () => {
  it('knows the types the UI ships and falls back to octet-stream', () => {
    expect(mimeTypeOf('a/index.html')).toBe('text/html; charset=utf-8')
    expect(mimeTypeOf('a/x.JS')).toBe('text/javascript; charset=utf-8')
    expect(mimeTypeOf('pyodide.asm.wasm')).toBe('application/wasm')
    expect(mimeTypeOf('file.unknown')).toBe('application/octet-stream')
  })
})
