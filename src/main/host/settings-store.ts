import { z } from 'zod'
import { SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings'
import type { Db } from './database'

/** Where the main window was, so it opens there again. */
export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean(),
})
export type WindowState = z.infer<typeof WindowStateSchema>

/** Keys only the main process reads and writes; the renderer never sees them. */
export const internalSettings = {
  'window.state': WindowStateSchema,
  /** The app version whose starter pack was loaded into this database. */
  'starterPack.version': z.string(),
} as const satisfies Record<string, z.ZodType>
export type InternalKey = keyof typeof internalSettings
export type InternalValue<K extends InternalKey> = z.output<(typeof internalSettings)[K]>

export interface SettingsStore {
  get(): Settings
  update(patch: SettingsPatch): Settings
  getInternal<K extends InternalKey>(key: K): InternalValue<K> | null
  putInternal<K extends InternalKey>(key: K, value: InternalValue<K>): void
}

const RowSchema = z.object({ key: z.string(), value: z.string() })

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The `settings` table: one key per row, each value JSON. A value that no longer fits is ignored. */
export function createSettingsStore(db: Db): SettingsStore {
  const readOne = db.prepare('SELECT key, value FROM settings WHERE key = ?')
  const readAll = db.prepare('SELECT key, value FROM settings')
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )

  function get(): Settings {
    const stored: Record<string, unknown> = {}
    for (const row of readAll.all()) {
      const parsed = RowSchema.safeParse(row)
      if (!parsed.success || !Object.hasOwn(SettingsSchema.shape, parsed.data.key)) continue
      const key = parsed.data.key as keyof Settings
      // Each key on its own, so one bad value falls back to its default without losing the others.
      const value = SettingsSchema.shape[key].safeParse(parseJson(parsed.data.value))
      if (value.success) stored[key] = value.data
    }
    return SettingsSchema.parse(stored)
  }

  const update = db.transaction((patch: SettingsPatch): Settings => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) write.run(key, JSON.stringify(value))
    }
    return get()
  })

  function getInternal<K extends InternalKey>(key: K): InternalValue<K> | null {
    const row = RowSchema.safeParse(readOne.get(key))
    if (!row.success) return null
    const value = internalSettings[key].safeParse(parseJson(row.data.value))
    return value.success ? (value.data as InternalValue<K>) : null
  }

  function putInternal<K extends InternalKey>(key: K, value: InternalValue<K>): void {
    write.run(key, JSON.stringify(internalSettings[key].parse(value)))
  }

  return { get, update, getInternal, putInternal }
}
