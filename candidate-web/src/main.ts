import { createApp } from 'vue'
import { createSessionLink } from '../../src/shared/peer/session-link'
import App from './App.vue'
import { createCandidateSession } from './session/candidate-session'
import { openIndexeddbStore } from './session/indexeddb-store'

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

const session = createCandidateSession({
  location: window.location,
  createLink: (options) => createSessionLink(options),
  fetchConfig: async () => {
    const response = await fetch('/config', { cache: 'no-store' })
    if (!response.ok) throw new Error(`/config answered ${response.status}`)
    return response.json()
  },
  openDocStore: openIndexeddbStore,
  storage: localStorageOrNull(),
  // A LAN link is plain http, where crypto.subtle is missing: the link falls back to pure-JS crypto
  // and needs only a random source.
  canEncrypt: () => typeof window.crypto?.getRandomValues === 'function',
})

createApp(App, { session }).mount('#app')
void session.start()
