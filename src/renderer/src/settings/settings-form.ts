import { computed, ref } from 'vue'
import type { Settings, SettingsPatch } from '../../../shared/settings'
import type { FieldIssue, Parsed } from '../../../shared/validation'
import { useHost } from '../host'
import { errorMessage, issuesOf } from '../lib/errors'

export interface SettingsFormOptions {
  /** The form's values as text: "Saved." shows while they equal what was saved last. */
  snapshot: () => string
  /** The patch to save, parsed with the host's own schema so every field error shows at once. */
  patch: () => Parsed<SettingsPatch>
  /** Puts the saved settings back into the form: the host trims and normalises. */
  show: (settings: Settings) => void
}

/** One card of the Settings page: saving its part of the settings, its errors and its state. */
export function useSettingsForm(options: SettingsFormOptions) {
  const host = useHost()
  const saving = ref(false)
  const savedSnapshot = ref<string | null>(null)
  const failure = ref<string | null>(null)
  const issues = ref<FieldIssue[]>([])
  const saved = computed(() => savedSnapshot.value === options.snapshot())

  /** Messages for a field: its own path, and with `exact` false also everything below it. */
  function errorsAt(path: string, exact = false): string[] {
    return issues.value
      .filter((i) => i.path === path || (!exact && (i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`))))
      .map((i) => i.message)
  }

  function fail(message: string, found: FieldIssue[]): void {
    failure.value = message
    issues.value = found
  }

  /** Checks and saves the form; the saved settings, or null when something was wrong. */
  async function save(): Promise<Settings | null> {
    if (saving.value) return null
    const patch = options.patch()
    if (!patch.ok) {
      fail('Some fields are not valid.', patch.issues)
      return null
    }
    saving.value = true
    failure.value = null
    issues.value = []
    try {
      const settings = await host.settings.update(patch.value)
      options.show(settings)
      savedSnapshot.value = options.snapshot()
      return settings
    } catch (e) {
      fail(errorMessage(e), issuesOf(e))
      return null
    } finally {
      saving.value = false
    }
  }

  return { saving, saved, failure, issues, errorsAt, save }
}
