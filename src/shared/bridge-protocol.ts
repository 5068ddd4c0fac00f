import { z } from 'zod'
import { HostReplySchema } from './host-errors'

/** Frames of the browser bridge: the host API carried over one WebSocket at `BRIDGE_PATH`. */
export const BRIDGE_PATH = '/__duet_host'

export const BridgeRequestSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown().optional(),
})
export type BridgeRequest = z.infer<typeof BridgeRequestSchema>

export const BridgeMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id: z.number().int().nonnegative(), reply: HostReplySchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
])
export type BridgeMessage = z.infer<typeof BridgeMessageSchema>
