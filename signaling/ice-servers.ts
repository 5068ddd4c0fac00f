import { z } from 'zod'
import { IceServerSchema, type IceServer } from '../src/shared/signaling/protocol'
import { describeIssues, parseWith } from '../src/shared/validation'

const IceServersSchema = z.array(IceServerSchema)

export type IceServersResult = { ok: true; value: IceServer[] } | { ok: false; message: string }

/** Reads ICE servers given as JSON (`DUET_ICE_SERVERS`); unset or blank means none (a LAN needs none). */
export function parseIceServers(raw: string | undefined, name = 'DUET_ICE_SERVERS'): IceServersResult {
  if (raw === undefined || raw.trim() === '') return { ok: true, value: [] }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    // JSON.parse quotes the input in its message, and this input may hold a TURN credential.
    return { ok: false, message: `${name} is not valid JSON.` }
  }
  return validateIceServers(json, name)
}

export function validateIceServers(value: unknown, name: string): IceServersResult {
  const parsed = parseWith(IceServersSchema, value)
  if (parsed.ok) return parsed
  return {
    ok: false,
    message: `${name} must be a JSON array of ICE servers like [{"urls":"stun:stun.example.org:3478"}]:\n${describeIssues(parsed.issues)}`,
  }
}
