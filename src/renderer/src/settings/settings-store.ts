import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DEFAULT_INTERVIEWER_NAME, type Settings } from '../../../shared/settings'
import { useHost } from '../host'
import { errorMessage } from '../lib/errors'

/**
 * The saved settings, for code that reads them outside the Settings page (the live session's
 * interviewer name, say). Loads on first use and follows `settings.changed` from the host.
 */
export const useSettingsStore = defineStore('settings', () => {
  const host = useHost()
  const settings = ref<Settings | null>(null)
  const error = ref<string | null>(null)
  let loading: Promise<void> | null = null

  host.on('settings.changed', (changed) => {
    settings.value = changed
  })

  /** Reads the settings once; later calls wait for that read. */
  function load(): Promise<void> {
    loading ??= host.settings
      .get()
      .then((loaded) => {
        // An event that arrived meanwhile is at least as new as this read.
        settings.value ??= loaded
        error.value = null
      })
      .catch((e: unknown) => {
        loading = null
        error.value = errorMessage(e)
      })
    return loading
  }

  /** What the candidate's join screen shows; the default until the settings are read. */
  const interviewerName = computed(() => settings.value?.interviewerName ?? DEFAULT_INTERVIEWER_NAME)

  void load()

  return { settings, error, load, interviewerName }
})
