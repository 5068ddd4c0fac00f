import { describe, expect, it } from 'vitest'
import { isCompressible, negotiateEncoding } from './compression'

describe('negotiateEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['GZIP;q=0.5, identity', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['*', 'gzip'],
    ['identity', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected)
  })
})

describe('isCompressible', () => {
  it('compresses text, scripts, JSON, SVG and WebAssembly, not images or archives', () => {
    for (const type of [
      'text/html; charset=utf-8',
      'text/javascript',
      'application/json',
      'image/svg+xml',
      'application/wasm',
    ]) {
      expect(isCompressible(type)).toBe(true)
    }
    for (const type of ['image/png', 'application/zip', 'font/woff2', 'application/octet-stream']) {
      expect(isCompressible(type)).toBe(false)
    }
  })
})
