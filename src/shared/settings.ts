import { z } from 'zod'

export const ThemeSchema = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof ThemeSchema>

/** User settings, stored one key per row; later features add keys with defaults here. */
export const SettingsSchema = z.object({
  theme: ThemeSchema.default('system'),
})
export type Settings = z.infer<typeof SettingsSchema>

export const SettingsPatchSchema = SettingsSchema.partial().strict()
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>
