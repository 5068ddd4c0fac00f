import { z } from 'zod'

/** `unavailable`: this host cannot do it at all (no PDF printer beside it, say); the message says what to do instead. */
export const HostErrorCodeSchema = z.enum([
  'invalid-input',
  'not-found',
  'conflict',
  'database',
  'internal',
  'unavailable',
])
export type HostErrorCode = z.infer<typeof HostErrorCodeSchema>

export const FieldIssueSchema = z.object({ path: z.string(), message: z.string() })

export const HostErrorShapeSchema = z.object({
  code: HostErrorCodeSchema,
  message: z.string(),
  /** For `invalid-input`: each field that is wrong and why. */
  issues: z.array(FieldIssueSchema).default([]),
})
export type HostErrorShape = z.infer<typeof HostErrorShapeSchema>

/** An expected failure of a host method: bad input, a missing row, a conflict. */
export class HostError extends Error {
  readonly code: HostErrorCode
  readonly issues: { path: string; message: string }[]

  constructor(code: HostErrorCode, message: string, issues: { path: string; message: string }[] = []) {
    super(message)
    this.name = 'HostError'
    this.code = code
    this.issues = issues
  }

  toShape(): HostErrorShape {
    return { code: this.code, message: this.message, issues: this.issues }
  }
}

/** Every host call answers with this envelope, so errors keep their code and issues across IPC. */
export const HostReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: HostErrorShapeSchema }),
])
export type HostReply = z.infer<typeof HostReplySchema>
