import { describe, expect, it } from 'vitest'
import { parseCpuList, splitCpus } from './cpu-sides'

describe('parseCpuList', () => {
  it('expands ranges and single CPUs', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1])
    expect(parseCpuList('0-2,5,7-8\n')).toEqual([0, 1, 2, 5, 7, 8])
    expect(parseCpuList('3')).toEqual([3])
  })

  it('refuses what is not a CPU list', () => {
    expect(() => parseCpuList('a-b')).toThrow('not a CPU list')
    expect(() => parseCpuList('4-2')).toThrow('not a CPU list')
  })
})

describe('splitCpus', () => {
  it('gives the candidate the first half and the interviewer the rest', () => {
    expect(splitCpus([0, 1])).toEqual({ split: true, candidate: '0', interviewer: '1' })
    expect(splitCpus([0, 1, 2, 5, 7])).toEqual({ split: true, candidate: '0,1', interviewer: '2,5,7' })
  })

  it('shares one CPU, and says why', () => {
    expect(splitCpus([3])).toEqual({ split: false, reason: expect.stringContaining('1 CPU') as unknown })
  })
})
