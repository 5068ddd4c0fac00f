import { z } from 'zod'

/** Whether the SQLite file could be opened, and if not, what the user can do about it. */
export const DatabaseStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready'), path: z.string(), schemaVersion: z.number().int() }),
  z.object({ state: z.literal('corrupt'), path: z.string(), reason: z.string() }),
  z.object({
    state: z.literal('too-new'),
    path: z.string(),
    fileVersion: z.number().int(),
    supportedVersion: z.number().int(),
  }),
])
export type DatabaseStatus = z.infer<typeof DatabaseStatusSchema>

export const AppInfoSchema = z.object({
  version: z.string(),
  runtime: z.enum(['electron', 'browser-bridge']),
  dataDir: z.string(),
  databasePath: z.string(),
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const MovedAsideSchema = z.object({ movedTo: z.string(), status: DatabaseStatusSchema })
