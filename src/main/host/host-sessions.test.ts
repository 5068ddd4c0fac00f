import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostEventName } from '../../shared/host-api'
import type { HostReply } from '../../shared/host-errors'
import { PACK_FORMAT } from '../../shared/pack'
import type { ProblemDraft } from '../../shared/problem'
import { RecordingSchema, SessionConnectionSchema, SessionSchema, SessionSummarySchema } from '../../shared/session'
import { createHost, type Host, type HostOptions } from './host'
import type { SignalingInfo } from './sessions'

let dir: string
const hosts: Host[] = []

function draft(slug: string): ProblemDraft {
  return {
    title: `Title ${slug}`,
    slug,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve():\n    pass\n' },
    solution: { python: 'def solve():\n    return 1\n' },
    tests: [{ name: 'one', args: [], expected: 1 }],
  }
}

function start(overrides: Partial<HostOptions> = {}): { host: Host; events: [HostEventName, unknown][] } {
  const packPath = join(dir, 'starter-pack.yaml')
  writeFileSync(packPath, stringify({ format: PACK_FORMAT, version: 1, problems: [draft('one'), draft('two')] }))
  const host = createHost({
    dataDir: join(dir, 'data'),
    runtime: 'browser-bridge',
    appVersion: '0.1.0',
    starterPackPath: packPath,
    now: () => new Date('2026-11-23T10:00:00.000Z'),
    log: () => undefined,
    ...overrides,
  })
  hosts.push(host)
  const events: [HostEventName, unknown][] = []
  host.onEvent((event, payload) => events.push([event, payload]))
  return { host, events }
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

function errorOf(reply: HostReply) {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value)}`)
  return reply.error
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-host-sessions-'))
})

afterEach(() => {
  for (const host of hosts.splice(0)) host.close()
  rmSync(dir, { recursive: true, force: true })
})

const signaling: SignalingInfo = { baseUrl: 'http://192.168.1.20:8787', iceServers: [] }

describe('session methods through dispatch', () => {
  it('create, get, list, setStatus, setCurrentProblem and connection, with sessions.changed after writes', async () => {
    const { host, events } = start({ signaling: () => signaling })
    const session = SessionSchema.parse(
      valueOf(
        await host.dispatch('sessions.create', {
          candidateName: 'Ada',
          language: 'python',
          problems: { mode: 'random', difficulty: 'junior', count: 2 },
        }),
      ),
    )
    expect(session).toMatchObject({ title: 'Interview with Ada', status: 'created' })
    expect(session.problems.map((p) => p.slug).sort()).toEqual(['one', 'two'])
    expect(SessionSchema.parse(valueOf(await host.dispatch('sessions.get', { id: session.id })))).toEqual(session)

    const list = SessionSummarySchema.array().parse(valueOf(await host.dispatch('sessions.list', undefined)))
    expect(list.map((s) => [s.id, s.problemTitles.length])).toEqual([[session.id, 2]])

    expect(valueOf(await host.dispatch('sessions.setStatus', { id: session.id, status: 'live' }))).toMatchObject({
      status: 'live',
      startedAt: '2026-11-23T10:00:00.000Z',
    })
    expect(valueOf(await host.dispatch('sessions.setCurrentProblem', { id: session.id, index: 1 }))).toMatchObject({
      currentProblem: 1,
    })
    const connection = SessionConnectionSchema.parse(
      valueOf(await host.dispatch('sessions.connection', { id: session.id })),
    )
    expect(connection.link).toBe(`http://192.168.1.20:8787/s/${session.roomId}#${session.secret}`)
    expect(connection.signalingUrl).toBe('ws://192.168.1.20:8787/ws')

    expect(events.filter(([event]) => event === 'sessions.changed')).toEqual([
      ['sessions.changed', { id: session.id }],
      ['sessions.changed', { id: session.id }],
      ['sessions.changed', { id: session.id }],
    ])
  })

  it('recording.append and recording.load round-trip without sessions.changed', async () => {
    const { host, events } = start()
    const { id } = SessionSchema.parse(
      valueOf(await host.dispatch('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [1] } })),
    )
    events.length = 0
    const batch = [
      { tMs: 0, kind: 'join', data: '{"name":"Ada"}' },
      { tMs: 10, kind: 'yjs', problem: 0, data: 'AQIDBA==' },
    ]
    expect(
      valueOf(
        await host.dispatch('recording.append', { sessionId: id, events: batch, snapshot: { tMs: 10, state: 'AAA=' } }),
      ),
    ).toEqual({ stored: 2 })
    const loaded = RecordingSchema.parse(valueOf(await host.dispatch('recording.load', { sessionId: id })))
    expect(loaded.events.map(({ tMs, kind, problem, data }) => ({ tMs, kind, problem, data }))).toEqual([
      { tMs: 0, kind: 'join', problem: null, data: '{"name":"Ada"}' },
      { tMs: 10, kind: 'yjs', problem: 0, data: 'AQIDBA==' },
    ])
    expect(loaded.snapshots).toEqual([{ tMs: 10, lastEventId: loaded.events[1]?.id, state: 'AAA=' }])
    expect(events).toEqual([])
  })

  it('names the fields of bad input', async () => {
    const { host } = start()
    expect(
      errorOf(
        await host.dispatch('sessions.create', {
          language: 'cobol',
          problems: { mode: 'random', difficulty: 'junior', count: 6 },
        }),
      ),
    ).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'language' }, { path: 'problems.count', message: 'choose at most 5 problems' }],
    })
    expect(
      errorOf(
        await host.dispatch('sessions.create', {
          language: 'python',
          problems: { mode: 'random', difficulty: 'senior', count: 1 },
        }),
      ),
    ).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'problems.count', message: 'only 0 senior problems support Python' }],
    })
    expect(
      errorOf(
        await host.dispatch('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [1, 1, 77] } }),
      ),
    ).toMatchObject({
      code: 'invalid-input',
      issues: [
        { path: 'problems.ids[1]', message: 'problem 1 is already chosen' },
        { path: 'problems.ids[2]', message: 'there is no problem with id 77' },
      ],
    })
    expect(
      errorOf(
        await host.dispatch('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [1] }, extra: 1 }),
      ),
    ).toMatchObject({ code: 'invalid-input', issues: [{ path: '(value)' }] })
    expect(errorOf(await host.dispatch('sessions.setStatus', { id: 'x', status: 'paused' }))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'status' }],
    })
    expect(errorOf(await host.dispatch('sessions.setCurrentProblem', { id: 'x', index: -1 }))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'index' }],
    })
    expect(
      errorOf(await host.dispatch('recording.append', { sessionId: 'x', events: [{ tMs: -1, kind: 'typing' }] })),
    ).toMatchObject({ code: 'invalid-input', issues: [{ path: 'events[0].tMs' }, { path: 'events[0].kind' }] })
    expect(errorOf(await host.dispatch('recording.append', { sessionId: 'x', events: [] }))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'events' }],
    })
    expect(errorOf(await host.dispatch('sessions.get', {}))).toMatchObject({
      issues: [{ path: 'id', message: 'required' }],
    })
  })

  it('answers missing sessions with not-found and a stopped signaling server with conflict', async () => {
    const { host } = start({ signaling: () => null })
    for (const [method, input] of [
      ['sessions.get', { id: 'nope' }],
      ['sessions.setStatus', { id: 'nope', status: 'live' }],
      ['sessions.setCurrentProblem', { id: 'nope', index: 0 }],
      ['sessions.connection', { id: 'nope' }],
      ['recording.append', { sessionId: 'nope', events: [{ tMs: 0, kind: 'join' }] }],
      ['recording.load', { sessionId: 'nope' }],
    ] as const) {
      expect(errorOf(await host.dispatch(method, input)).code).toBe('not-found')
    }
    const { id } = SessionSchema.parse(
      valueOf(await host.dispatch('sessions.create', { language: 'python', problems: { mode: 'pick', ids: [1] } })),
    )
    expect(errorOf(await host.dispatch('sessions.connection', { id }))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('signaling server is not running'),
    })
    const { host: without } = start()
    expect(errorOf(await without.dispatch('sessions.connection', { id })).code).toBe('conflict')
  })
})
