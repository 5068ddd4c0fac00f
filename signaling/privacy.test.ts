import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LinkFrame } from '../src/shared/peer/frames'
import { deriveLinkKeys } from '../src/shared/peer/keys'
import type { PeerLink } from '../src/shared/peer/link'
import {
  newMaterial,
  openGuest,
  openHost,
  registered,
  waitForModes,
  type LinkSetup,
  type Watched,
} from '../src/shared/peer/test-support/link-pair'
import { waitFor } from '../src/shared/peer/test-support/wait'
import { recordReliability } from '../src/test-support/reliability-log'
import {
  CAN_READ_PROCESS_MEMORY,
  searchProcessMemory,
  startInspectedServer,
  type InspectedServer,
} from './test-inspector'

/**
 * A full relayed interview through the real signaling server, run as its own process: the server
 * must never hold or log the code, the candidate's name, notes or any secret. Only ciphertext,
 * the room id and digests (of the host token and the join key) may reach it.
 */

const CODE = 'def solve_PRIVACY_8d1f(nums):\n    return sorted(nums)[::-1]  # candidate code'
const NAME = 'Quintessa Marlowe-Okafor'
const NOTE = 'Interviewer note PRIVACY-4c2e: strong on recursion, hesitant on complexity'
const LATE_CODE = 'function lateEdit_PRIVACY_77aa() { return 42 }'

const b64 = (text: string): string => Buffer.from(text).toString('base64')
const sync = (text: string): LinkFrame => ({ type: 'sync', data: b64(text) })

let server: InspectedServer
const links: PeerLink[] = []
let needles: Record<string, string>
let roomId: string
const snapshots: { when: string; strings: string[]; snapshotBytes: number }[] = []
/** What a search of the whole process memory found, right after each heap snapshot (and its GC). */
const memoryScans: { when: string; found: Record<string, number> }[] = []
let relayedFrames = 0

async function inspect(when: string): Promise<void> {
  snapshots.push({ when, ...(await server.inspector.heapStrings()) })
  if (CAN_READ_PROCESS_MEMORY && server.process.pid !== undefined) {
    memoryScans.push({ when, found: searchProcessMemory(server.process.pid, { ...needles, 'room id': roomId }) })
  }
}

function track<W extends Watched>(watched: W): W {
  links.push(watched.link)
  return watched
}

/** The needles found in any of `texts`, by name. */
function leaks(texts: readonly string[], named: Record<string, string>): string[] {
  return Object.entries(named)
    .filter(([, needle]) => texts.some((text) => text.includes(needle)))
    .map(([name]) => name)
}

beforeAll(async () => {
  server = await startInspectedServer()
  const material = newMaterial()
  roomId = material.roomId
  const keys = await deriveLinkKeys(material.secret)
  needles = {
    code: CODE,
    'code (base64)': b64(CODE),
    'late code': LATE_CODE,
    'candidate name': NAME,
    'candidate name (base64)': b64(NAME),
    note: NOTE,
    'note (base64)': b64(NOTE),
    'link secret': material.secret,
    'join key': keys.joinKey,
    'host token': material.hostToken,
  }
  const setup: LinkSetup = { wsUrl: server.wsUrl, material, forceRelay: true }

  // The interview: host and candidate relayed, frames both ways, the candidate's tab replaced by
  // a second one (the join key goes to the server again), an edit after that, then the end.
  // The candidate's browser opens the link first: the secret is in the fragment, never sent.
  const page = await fetch(`${server.baseUrl}/s/${roomId}#${material.secret}`)
  expect(page.status).toBe(503)
  expect((await fetch(`${server.baseUrl}/config`)).status).toBe(200)
  const host = track(openHost(setup))
  await registered(host)
  const firstTab = track(openGuest(setup))
  await waitForModes('relayed', [
    [host, 'relayed'],
    [firstTab, 'relayed'],
  ])
  firstTab.link.send({ type: 'candidate.hello', name: NAME })
  firstTab.link.send(sync(CODE))
  host.link.send(sync(NOTE))
  host.link.send(sync(CODE))
  await waitFor(() => host.frames.length === 2 && firstTab.frames.length === 2, 'frames both ways')

  const secondTab = track(openGuest(setup))
  await waitFor(() => firstTab.mode() === 'closed' && secondTab.mode() === 'relayed', 'the second tab takes over')
  secondTab.link.send({ type: 'candidate.hello', name: NAME })
  secondTab.link.send(sync(LATE_CODE))
  await waitFor(() => host.frames.length === 4, 'the second tab’s frames')
  relayedFrames = host.link.stats().framesReceived + host.link.stats().framesSent

  await inspect('during the session')

  host.link.endRoom()
  await waitFor(() => host.mode() === 'closed' && secondTab.mode() === 'closed', 'the room ended')
  await inspect('after the session ended')
}, 120_000)

afterAll(async () => {
  for (const link of links.splice(0)) link.close()
  await server?.stop()
})

describe('the signaling server during a relayed interview', () => {
  it('logs no code, name, note or secret, nor the room id', () => {
    const lines = [...server.stdout, ...server.stderr]
    expect(server.stdout.filter((line) => line.startsWith('{')).length).toBeGreaterThan(5)
    expect(leaks(lines, { ...needles, 'room id': roomId })).toEqual([])
    recordReliability({
      area: 'privacy',
      scenario: 'Signaling server logs',
      tried: `a relayed interview through the server run as its own process (the candidate page and /config fetched, code, the candidate's name, a note, a tab replaced, the room ended); searched its stdout and stderr for ${Object.keys(needles).length + 1} secrets and contents`,
      lost: 'nothing: no code, name, note, link secret, join key, host token or room id in any line',
      logLines: lines.length,
      relayedFrames,
    })
  })

  it('holds none of them in its heap, during the session or after it, once garbage is collected', () => {
    for (const snapshot of snapshots) {
      // The snapshot sees the server's state: the room id is what the room table is keyed by.
      expect(
        snapshot.strings.some((text) => text.includes(roomId)),
        snapshot.when,
      ).toBe(true)
      expect(leaks(snapshot.strings, needles), snapshot.when).toEqual([])
    }
    recordReliability({
      area: 'privacy',
      scenario: 'Signaling server memory',
      tried: `V8 heap snapshots of the server process through the inspector (after two forced GCs), during the session and after it ended; searched every string in them for ${Object.keys(needles).length} secrets and contents, plain and base64`,
      lost: 'nothing: no code, name, note, link secret, join key or host token; of the session it holds only the room id (its room table key) and digests',
      snapshots: snapshots.length,
      heapStrings: snapshots.map((s) => s.strings.length).join(' / '),
      snapshotMB: snapshots.map((s) => (s.snapshotBytes / 1e6).toFixed(1)).join(' / '),
    })
  })

  it('holds none of them anywhere in its memory either: no freed buffer still has a token or key', (context) => {
    if (!CAN_READ_PROCESS_MEMORY) {
      context.skip('the whole-memory search reads /proc/<pid>/mem, which only Linux has; the heap snapshots ran')
      return
    }
    expect(memoryScans).toHaveLength(2)
    for (const { when, found } of memoryScans) {
      // The search reaches the server's data: the room id is in its room table (and tombstones).
      expect(found['room id (UTF-8)'] ?? 0, when).toBeGreaterThan(0)
      const leaked = Object.keys(found).filter((name) => !name.startsWith('room id'))
      expect(leaked, when).toEqual([])
    }
    recordReliability({
      area: 'privacy',
      scenario: 'Signaling server process memory',
      tried: `searched every writable region of the server process (/proc/<pid>/mem: JavaScript heap, malloc heap with freed blocks, stacks) for ${Object.keys(needles).length} secrets and contents as UTF-8 and UTF-16, during the session and after it ended`,
      lost: 'nothing: no copy anywhere; frames are zeroed once handled, so no host token or join key outlives its frame in freed memory',
      scans: memoryScans.length,
    })
  })
})
