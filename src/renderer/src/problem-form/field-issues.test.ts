import { describe, expect, it } from 'vitest'
import { fieldKeyOf, fieldLabel, groupIssues } from './field-issues'

describe('host issue paths on the problem form', () => {
  it('belong to the field that shows them', () => {
    expect(fieldKeyOf('title')).toBe('title')
    expect(fieldKeyOf('tags[2]')).toBe('tags')
    expect(fieldKeyOf('tests[1].expected')).toBe('tests[1].expected')
    expect(fieldKeyOf('tests[0].args[3]')).toBe('tests[0].args')
    expect(fieldKeyOf('starterCode')).toBe('starterCode')
    expect(fieldKeyOf('solution.javascript')).toBe('solution.javascript')
  })

  it('read as words in the summary', () => {
    expect(fieldLabel('entryFunction')).toBe('Entry function')
    expect(fieldLabel('tests[1].expected')).toBe('Test 2 › expected value')
    expect(fieldLabel('tests[0].args[1]')).toBe('Test 1 › arguments 2')
    expect(fieldLabel('tags[0]')).toBe('Tag 1')
    expect(fieldLabel('starterCode.python')).toBe('Python starter code')
    expect(fieldLabel('somethingNew')).toBe('somethingNew')
  })

  it('group by field', () => {
    expect(
      groupIssues([
        { path: 'tags[0]', message: 'a' },
        { path: 'tags[3]', message: 'b' },
        { path: 'slug', message: 'c' },
      ]),
    ).toEqual({ tags: ['a', 'b'], slug: ['c'] })
  })
})
