import { z } from 'zod'

/**
 * What each side puts in its Yjs awareness state: `user` (name and colour), and `selection`,
 * which y-monaco writes as relative positions in the bound text.
 */
export const PresenceUserSchema = z.object({
  name: z.string().trim().min(1).max(80),
  // Only a plain hex colour: the value ends up in a style sheet.
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
})
export type PresenceUser = z.infer<typeof PresenceUserSchema>

export const INTERVIEWER_COLOR = '#8250df'
export const CANDIDATE_COLOR = '#1a7f37'

/** Awareness state field names, written by `setLocalStateField`. */
export const PRESENCE_USER_FIELD = 'user'

/** The user of one awareness state, or null when it is missing or not well formed. */
export function presenceUserOf(state: unknown): PresenceUser | null {
  if (typeof state !== 'object' || state === null) return null
  const parsed = PresenceUserSchema.safeParse((state as Record<string, unknown>)[PRESENCE_USER_FIELD])
  return parsed.success ? parsed.data : null
}

/** A CSS string literal; the name comes from the other side and must not break out of it. */
function cssString(text: string): string {
  return `"${[...text].map((ch) => (/[\w .,'-]/.test(ch) ? ch : `\\${ch.codePointAt(0)?.toString(16) ?? ''} `)).join('')}"`
}

/**
 * Style rules for y-monaco's remote cursor classes (`yRemoteSelection-<clientId>`,
 * `yRemoteSelectionHead-<clientId>`): the selection tinted in the user's colour, the caret in it,
 * and the name above the caret.
 */
export function remoteCursorCss(states: ReadonlyMap<number, unknown>, localClientId: number): string {
  const rules: string[] = []
  for (const [clientId, state] of states) {
    const user = clientId === localClientId ? null : presenceUserOf(state)
    if (!user) continue
    rules.push(
      `.yRemoteSelection-${clientId} { background-color: ${user.color}33; }`,
      `.yRemoteSelectionHead-${clientId} { position: absolute; height: 100%; box-sizing: border-box; ` +
        `border-left: 2px solid ${user.color}; }`,
      `.yRemoteSelectionHead-${clientId}::after { position: absolute; top: -1.3em; left: -2px; padding: 0 4px; ` +
        `border-radius: 3px 3px 3px 0; font: 11px/1.3em system-ui, sans-serif; white-space: nowrap; ` +
        `pointer-events: none; z-index: 10; color: #fff; background: ${user.color}; content: ${cssString(user.name)}; }`,
    )
  }
  return rules.join('\n')
}

/** Which clients an awareness 'change' or 'update' event is about. */
export interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}
