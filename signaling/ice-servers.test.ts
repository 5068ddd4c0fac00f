import { describe, expect, it } from 'vitest'
import { parseIceServers } from './ice-servers'

describe('parseIceServers (DUET_ICE_SERVERS)', () => {
  it('means no ICE servers when unset or blank', () => {
    expect(parseIceServers(undefined)).toEqual({ ok: true, value: [] })
    expect(parseIceServers('  ')).toEqual({ ok: true, value: [] })
  })

  it('reads STUN and TURN servers', () => {
    const servers = [
      { urls: 'stun:stun.example.org:3478' },
      {
        urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349?transport=tcp'],
        username: 'duet',
        credential: 'pw',
      },
    ]
    expect(parseIceServers(JSON.stringify(servers))).toEqual({ ok: true, value: servers })
  })

  it.each([
    ['{"urls":"stun:a"}', 'must be a JSON array'],
    ['[{"urls":"http://a"}]', '[0].urls'],
    ['[{"url":"stun:a"}]', '[0]'],
    ['[{"urls":[]}]', 'at least one URL'],
    ['[{"urls":"turn:a","username":"u"}]', 'needs a username and a credential'],
  ])('refuses %s with a message naming the problem', (raw, expected) => {
    const parsed = parseIceServers(raw)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toContain(expected)
  })

  it('does not echo the input of broken JSON, which may hold a credential', () => {
    const parsed = parseIceServers('[{"urls":"turn:a","username":"u","credential":"hunter2"')
    expect(parsed).toEqual({ ok: false, message: 'DUET_ICE_SERVERS is not valid JSON.' })
  })
})
