import { describe, expect, it } from 'vitest'
import { slugify } from './slug'

describe('slugify', () => {
  it('turns a title into a slug the host accepts', () => {
    expect(slugify('Two Sum (II)')).toBe('two-sum-ii')
    expect(slugify('  Crème brûlée: élan! ')).toBe('creme-brulee-elan')
    expect(slugify('!!!')).toBe('')
    expect(slugify('a'.repeat(79) + ' b')).toBe('a'.repeat(79))
  })
})
