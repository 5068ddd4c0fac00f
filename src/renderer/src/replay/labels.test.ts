import { describe, expect, it } from 'vitest'
import { markerText, MARKER_KIND_LABELS } from './labels'

describe('replay marker labels', () => {
  it('say how long a gap in the recording lasted and why', () => {
    const gap = { key: 'event:9', kind: 'gap', tMs: 4_000, untilMs: 65_000, problem: null } as const
    expect(markerText(gap, [])).toBe('Not recorded for 1:01: the interviewer’s app stopped')
    expect(MARKER_KIND_LABELS.gap).toBe('Not recorded')
  })
})
