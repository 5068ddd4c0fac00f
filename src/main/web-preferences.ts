import type { WebPreferences } from 'electron'

/**
 * The renderer rules every window starts from (DESIGN.md, Security), each one spelled out even
 * where it is Electron's default, so a default that changes cannot loosen a window: page and
 * preload in separate worlds, the OS sandbox, no Node anywhere (page, subframes, workers), the
 * same-origin policy on, no http content in our https-like pages, no experimental web features,
 * no <webview>, and no spellchecker (Electron fetches its dictionaries from Google).
 */
export const HARDENED_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies WebPreferences)
