import { describe, expect, it } from 'vitest'
import type { HostApi } from '../../../shared/host-api'
import { eventually } from '../test-support/mount-app'
import { useLiveViews } from '../test-support/live-view'
import type { LiveSession } from './live-session'

const env = useLiveViews()

/**
 * The real host, except that loading the stored runs always fails and the next `failMoves`
 * problem changes fail, as a locked or full disk would make them.
 */
function faultyHost(failMoves: number): HostApi {
  const { runs, sessions } = env.host.api
  let moves = 0
  return {
    ...env.host.api,
    runs: { ...runs, list: () => Promise.reject(new Error('database is locked')) },
    sessions: {
      ...sessions,
      setCurrentProblem: (input) =>
        ++moves <= failMoves
          ? Promise.reject(new Error('database or disk is full'))
          : sessions.setCurrentProblem(input),
    },
  }
}

async function open(api: HostApi): Promise<LiveSession> {
  const ids = (await env.host.api.problems.list({})).items.slice(0, 2).map((p) => p.id)
  const session = await env.host.api.sessions.create({ language: 'python', problems: { mode: 'pick', ids } })
  return env.open(session.id, { host: api })
}

describe('errors in the live view', () => {
  it('keep each failure until that kind of call succeeds, showing the latest', async () => {
    const view = await open(faultyHost(1))
    env.candidate.setMode('direct')
    const runsFailed = 'Could not load the earlier runs: database is locked'
    await eventually(() => expect(view.state.error).toBe(runsFailed))

    await view.goTo(1)
    expect(view.state.session.currentProblem).toBe(0)
    expect(view.state.error).toBe('database or disk is full')

    // The retry works: the move's failure goes, the runs that never loaded are still reported.
    await view.goTo(1)
    expect(view.state.session.currentProblem).toBe(1)
    expect(view.state.error).toBe(runsFailed)
  })

  it('are cleared only by the same change working, not by another host call', async () => {
    const view = await open({ ...faultyHost(1), runs: env.host.api.runs })
    await view.goTo(1)
    expect(view.state.error).toBe('database or disk is full')
    // Going live is a host call of its own, made when the candidate's link opens.
    env.candidate.setMode('direct')
    await eventually(() => expect(view.state.session.status).toBe('live'))
    expect(view.state.error).toBe('database or disk is full')
    await view.goTo(1)
    expect(view.state.error).toBeNull()
  })
})
