import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Theme } from '../../../shared/settings'
import { useHost } from '../host'
import { useSystemPrefersDark } from '../lib/system-theme'

export type EffectiveTheme = 'light' | 'dark'

/** The theme the user chose (stored in settings) and the one in effect after asking the OS. */
export const useThemeStore = defineStore('theme', () => {
  const host = useHost()
  const systemDark = useSystemPrefersDark()
  const preference = ref<Theme>('system')
  const effective = computed<EffectiveTheme>(() =>
    preference.value === 'system' ? (systemDark.value ? 'dark' : 'light') : preference.value,
  )

  // Another window (or the bridge's other tab) may change the theme.
  host.on('settings.changed', (settings) => {
    preference.value = settings.theme
  })

  async function load(): Promise<void> {
    preference.value = (await host.settings.get()).theme
  }

  async function choose(theme: Theme): Promise<void> {
    const previous = preference.value
    preference.value = theme
    try {
      preference.value = (await host.settings.update({ theme })).theme
    } catch (error) {
      preference.value = previous
      throw error
    }
  }

  return { preference, effective, load, choose }
})
