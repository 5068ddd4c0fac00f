import { describe, expect, it } from 'vitest'
import { MutualAuth, type AuthStep } from './auth'
import { deriveLinkKeys, newSecret } from './keys'

const keys = await deriveLinkKeys(newSecret())

function sent(step: AuthStep): string {
  if (step.kind !== 'send') throw new Error(`expected a message to send, got ${step.kind}`)
  return step.text
}

describe('mutual HMAC challenge', () => {
  it('verifies both sides when both hold the auth key', async () => {
    const host = new MutualAuth('host', keys.auth)
    const guest = new MutualAuth('guest', keys.auth)
    const hostAnswer = sent(await host.step(guest.challenge))
    const guestAnswer = sent(await guest.step(host.challenge))
    expect(await host.step(guestAnswer)).toEqual({ kind: 'verified' })
    expect(await guest.step(hostAnswer)).toEqual({ kind: 'verified' })
  })

  it('fails against a side with another key', async () => {
    const other = await deriveLinkKeys(newSecret())
    const host = new MutualAuth('host', keys.auth)
    const impostor = new MutualAuth('guest', other.auth)
    await host.step(impostor.challenge)
    const answer = sent(await impostor.step(host.challenge))
    expect(await host.step(answer)).toEqual({ kind: 'failed' })
  })

  it('fails when an answer is reflected back (the role is in the MAC)', async () => {
    const host = new MutualAuth('host', keys.auth)
    // An attacker sends the host its own challenge and returns the host's answer as its own.
    const reflected = sent(await host.step(host.challenge))
    expect(await host.step(reflected)).toEqual({ kind: 'failed' })
  })

  it('fails when an answer is replayed from another run (fresh nonces)', async () => {
    const guest = new MutualAuth('guest', keys.auth)
    const oldHost = new MutualAuth('host', keys.auth)
    await oldHost.step(guest.challenge)
    const oldAnswer = sent(await guest.step(oldHost.challenge))
    const newHost = new MutualAuth('host', keys.auth)
    await newHost.step(new MutualAuth('guest', keys.auth).challenge)
    expect(await newHost.step(oldAnswer)).toEqual({ kind: 'failed' })
  })

  it('fails on an answer before the challenge, a second challenge, or anything else', async () => {
    const guest = new MutualAuth('guest', keys.auth)
    const early = new MutualAuth('host', keys.auth)
    const answer = sent(await guest.step(early.challenge))
    expect(await early.step(answer)).toEqual({ kind: 'failed' })

    const twice = new MutualAuth('host', keys.auth)
    await twice.step(guest.challenge)
    expect(await twice.step(guest.challenge)).toEqual({ kind: 'failed' })

    const host = new MutualAuth('host', keys.auth)
    for (const junk of ['', 'not json', '{"type":"ping","t":1}', '{"auth":"answer","mac":"short"}']) {
      expect(await host.step(junk)).toEqual({ kind: 'failed' })
    }
  })
})
