import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeCandidate } from '../test-support/fake-candidate'
import { eventually } from '../test-support/mount-app'
import { startRealHost, type RealHost } from '../test-support/real-host'
import { openLiveView } from '../test-support/live-view'
import type { LiveSession } from './live-session'

let host: RealHost
let candidate: FakeCandidate
const views: LiveSession[] = []

/** A problem as long as the problem bank allows, in two-byte characters. */
async function longProblem(): Promise<number> {
  const problem = await host.api.problems.create({
    title: 'Long',
    slug: 'long',
    difficulty: 'junior',
    description: 'é'.repeat(50_000),
    entryFunction: 'solve',
    starterCode: { python: `def solve():\n    return "${'é'.repeat(99_000)}"\n` },
    solution: {},
  })
  return problem.id
}

async function open(ids: number[]): Promise<LiveSession> {
  const session = await host.api.sessions.create({ language: 'python', problems: { mode: 'pick', ids } })
  const view = await openLiveView(host.api, session.id, candidate)
  views.push(view)
  return view
}

beforeEach(() => {
  host = startRealHost()
  candidate = new FakeCandidate()
})

afterEach(async () => {
  for (const view of views.splice(0)) await view.close()
  host.dispose()
})

describe('session.info for a long problem', () => {
  it('is sent when it takes more than one link frame', async () => {
    const view = await open([await longProblem()])
    candidate.setMode('direct')
    await eventually(() => {
      candidate.deliver()
      expect(candidate.framesOf('session.info')).toHaveLength(1)
    })
    expect(candidate.framesOf('session.info')[0]?.info.problems[0]?.description).toBe('é'.repeat(50_000))
    expect(view.state.error).toBeNull()
  })
})
