import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { draftOf, EvaluationSchema } from '../../shared/evaluation'
import type { HostReply } from '../../shared/host-errors'
import { NoteSchema } from '../../shared/notes'
import { PACK_FORMAT } from '../../shared/pack'
import type { ProblemDraft } from '../../shared/problem'
import { SessionSchema } from '../../shared/session'
import { createHost, type Host, type HostOptions } from './host'

let dir: string
const hosts: Host[] = []

function draft(slug: string): ProblemDraft {
  return {
    title: `Title ${slug}`,
    slug,
    difficulty: 'junior',
    entryFunction: 'solve',
    starterCode: { python: 'def solve():\n    pass\n' },
    solution: {},
  }
}

function start(overrides: Partial<HostOptions> = {}): Host {
  const packPath = join(dir, 'starter-pack.yaml')
  writeFileSync(packPath, stringify({ format: PACK_FORMAT, version: 1, problems: [draft('one')] }))
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
  return host
}

function valueOf(reply: HostReply): unknown {
  if (!reply.ok) throw new Error(`host error: ${JSON.stringify(reply.error)}`)
  return reply.value
}

function errorOf(reply: HostReply) {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value)}`)
  return reply.error
}

async function newSession(host: Host): Promise<string> {
  const input = { language: 'python', problems: { mode: 'random', difficulty: 'junior', count: 1 } }
  return SessionSchema.parse(valueOf(await host.dispatch('sessions.create', input))).id
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-host-interview-'))
})

afterEach(() => {
  for (const host of hosts.splice(0)) host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('notes through dispatch', () => {
  it('adds, lists, edits and deletes, parsing every input', async () => {
    const host = start()
    const sessionId = await newSession(host)
    const note = NoteSchema.parse(
      valueOf(await host.dispatch('notes.add', { sessionId, text: 'Good questions', tMs: 61_000, problem: 0 })),
    )
    expect(valueOf(await host.dispatch('notes.list', { sessionId }))).toEqual([note])
    expect(valueOf(await host.dispatch('notes.update', { id: note.id, text: 'Very good questions' }))).toMatchObject({
      text: 'Very good questions',
    })
    expect(errorOf(await host.dispatch('notes.add', { sessionId, text: ' ', tMs: 0, problem: null }))).toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'text', message: 'write something first' }],
    })
    expect(valueOf(await host.dispatch('notes.delete', { id: note.id }))).toEqual({ deleted: true })
    expect(valueOf(await host.dispatch('notes.list', { sessionId }))).toEqual([])
  })
})

describe('evaluations through dispatch', () => {
  it('starts with the rubric in the settings, saves drafts and refuses to complete with parts missing', async () => {
    const host = start()
    const sessionId = await newSession(host)
    valueOf(await host.dispatch('settings.update', { rubric: ['Design', 'Testing'] }))
    const started = EvaluationSchema.parse(valueOf(await host.dispatch('evaluations.get', { sessionId })))
    expect(started.criteria).toEqual([
      { label: 'Design', score: null },
      { label: 'Testing', score: null },
    ])

    const draft = { ...draftOf(started), summary: 'Calm and clear.' }
    draft.problems[0] = { stars: 4, comment: '' }
    expect(valueOf(await host.dispatch('evaluations.save', draft))).toMatchObject({ summary: 'Calm and clear.' })
    const refusal = errorOf(await host.dispatch('evaluations.complete', draft))
    expect(refusal.code).toBe('invalid-input')
    expect(refusal.issues.map((i) => i.path)).toEqual(['criteria[0].score', 'criteria[1].score', 'recommendation'])

    const full = {
      ...draft,
      criteria: draft.criteria.map((c) => ({ ...c, score: 3 })),
      recommendation: 'strong-yes',
    }
    expect(valueOf(await host.dispatch('evaluations.complete', full))).toMatchObject({
      completedAt: '2026-11-23T10:00:00.000Z',
      score: 4,
    })
    expect(valueOf(await host.dispatch('evaluations.list', undefined))).toEqual([
      {
        sessionId,
        state: 'complete',
        recommendation: 'strong-yes',
        score: 4,
        updatedAt: '2026-11-23T10:00:00.000Z',
      },
    ])
    const bad = errorOf(await host.dispatch('evaluations.save', { ...full, recommendation: 'maybe' }))
    expect(bad.issues.map((i) => i.path)).toEqual(['recommendation'])
  })
})

describe('app.openDataFolder', () => {
  it('opens the data folder with the injected opener', async () => {
    const opened: string[] = []
    const host = start({ openPath: (path) => (opened.push(path), Promise.resolve('')) })
    expect(valueOf(await host.dispatch('app.openDataFolder', undefined))).toEqual({
      opened: true,
      path: join(dir, 'data'),
    })
    expect(opened).toEqual([join(dir, 'data')])
  })

  it('says why it could not, with the path to copy: the opener failed, or there is no desktop', async () => {
    const failing = start({ openPath: () => Promise.resolve('Failed to open path.') })
    expect(valueOf(await failing.dispatch('app.openDataFolder', undefined))).toEqual({
      opened: false,
      path: join(dir, 'data'),
      reason: 'The folder could not be opened (Failed to open path). Copy the path and open it in your file manager.',
    })
    failing.close()
    const bridge = start()
    expect(valueOf(await bridge.dispatch('app.openDataFolder', undefined))).toEqual({
      opened: false,
      path: join(dir, 'data'),
      reason:
        'Duet runs as the browser bridge here, which cannot open folders on the desktop. ' +
        'Copy the path and open it in your file manager.',
    })
  })
})

describe('settings.signalingStatus', () => {
  it('gives the embedded address and where links point with the saved settings', async () => {
    const embedded = { baseUrl: 'http://192.168.1.20:8787', iceServers: [] }
    const host = start({ signaling: () => embedded })
    expect(valueOf(await host.dispatch('settings.signalingStatus', undefined))).toEqual({
      embeddedUrl: 'http://192.168.1.20:8787',
      linkBase: 'http://192.168.1.20:8787',
    })
    valueOf(
      await host.dispatch('settings.update', { signaling: { mode: 'remote', remoteUrl: 'https://duet.example.com' } }),
    )
    expect(valueOf(await host.dispatch('settings.signalingStatus', undefined))).toEqual({
      embeddedUrl: 'http://192.168.1.20:8787',
      linkBase: 'https://duet.example.com',
    })
    const stopped = start({ signaling: () => null, dataDir: join(dir, 'other') })
    expect(valueOf(await stopped.dispatch('settings.signalingStatus', undefined))).toEqual({
      embeddedUrl: null,
      linkBase: null,
    })
  })
})
