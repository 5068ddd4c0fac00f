import { describe, expect, it } from 'vitest'
import { HARNESS_MARKER } from './harness'
import { ReportLineFilter } from './report-filter'

const report = `${HARNESS_MARKER}{"results":[]}\n`

describe('ReportLineFilter', () => {
  it('holds back the report even when it arrives in pieces, the marker itself split', () => {
    const filter = new ReportLineFilter()
    const shown = ['out', `put\n${HARNESS_MARKER.slice(0, 5)}`, HARNESS_MARKER.slice(5), '{"results"', ':[]}\n']
      .map((piece) => filter.push(piece))
      .join('')
    expect(shown).toBe('output\n')
    expect(filter.finish()).toEqual({ report, rest: '' })
  })

  it('lets a marker line through, in place, once anything follows it', () => {
    const filter = new ReportLineFilter()
    expect(filter.push(`a\n${report}`)).toBe('a\n')
    expect(filter.push('b\n')).toBe(`${report}b\n`)
    expect(filter.push(report)).toBe('')
    expect(filter.finish()).toEqual({ report, rest: '' })
  })

  it('gives back what it held when the run ends without a report', () => {
    const filter = new ReportLineFilter()
    expect(filter.push(`x${HARNESS_MARKER.slice(0, 3)}`)).toBe('x')
    expect(filter.finish()).toEqual({ report: null, rest: HARNESS_MARKER.slice(0, 3) })
  })
})
