import { readonly, ref, type Ref } from 'vue'

const QUERY = '(prefers-color-scheme: dark)'

/** Whether the OS asks for dark mode, kept up to date while the app runs. */
export function useSystemPrefersDark(): Readonly<Ref<boolean>> {
  const media = typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null
  const dark = ref(media?.matches ?? false)
  media?.addEventListener('change', (event) => {
    dark.value = event.matches
  })
  return readonly(dark)
}
