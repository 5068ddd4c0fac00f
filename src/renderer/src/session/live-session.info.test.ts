import { describe, expect, it } from 'vitest'
import { eventually } from '../test-support/mount-app'
import { useLiveViews } from '../test-support/live-view'
import type { LiveSession } from './live-session'

const env = useLiveViews()

/** A problem as long as the problem bank allows, in two-byte characters. */
async function longProblem(): Promise<number> {
  const problem = await env.host.api.problems.create({
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
  const session = await env.host.api.sessions.create({ language: 'python', problems: { mode: 'pick', ids } })
  return env.open(session.id)
}

describe('session.info for a long problem', () => {
  it('is sent when it takes more than one link frame', async () => {
    const view = await open([await longProblem()])
    env.candidate.setMode('direct')
    await eventually(() => {
      env.candidate.deliver()
      expect(env.candidate.framesOf('session.info')).toHaveLength(1)
    })
    expect(env.candidate.framesOf('session.info')[0]?.info.problems[0]?.description).toBe('é'.repeat(50_000))
    expect(view.state.error).toBeNull()
  })
})
