export const NAME_MIN = 2
export const NAME_MAX = 80

export type NameCheck = { ok: true; name: string } | { ok: false; message: string }

/** The same rule as the `candidate.hello` frame: trimmed, 2–80 characters. */
export function checkCandidateName(raw: string): NameCheck {
  const name = raw.trim()
  if (name.length === 0) return { ok: false, message: 'Enter your name so your interviewer knows who joined.' }
  if (name.length < NAME_MIN) return { ok: false, message: `Your name needs at least ${NAME_MIN} characters.` }
  if (name.length > NAME_MAX) {
    return { ok: false, message: `Your name can have at most ${NAME_MAX} characters (this one has ${name.length}).` }
  }
  return { ok: true, name }
}
