import type { RouteLocationRaw } from 'vue-router'

/** The session's replay, at a moment of its timeline (ms since it started) or from the start. */
export function replayLink(sessionId: string, tMs?: number): RouteLocationRaw {
  const path = `/sessions/${sessionId}/replay`
  return tMs === undefined ? { path } : { path, query: { t: String(tMs) } }
}
