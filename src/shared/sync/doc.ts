import * as Y from 'yjs'

/**
 * The per-session Yjs document: one `Y.Text` named `problem:<index>` per problem, nothing else.
 * Session state (current problem, timer, status) is not in the document: the host sends it as
 * `session.state` frames, so the candidate cannot change it.
 */
export const PROBLEM_TEXT_PREFIX = 'problem:'

/**
 * Writes the starter code. A client id no real client uses: Yjs picks random 32-bit ids, and
 * every seed made from the same starter code is then the same items with the same ids, which
 * Yjs merges as one. Seeding twice (a host restarted without its recording) cannot double the code.
 */
const SEED_CLIENT_ID = 0

export function problemTextName(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad problem index ${index}`)
  return `${PROBLEM_TEXT_PREFIX}${index}`
}

/** The problem's code; both sides bind their editor to it. */
export function problemText(doc: Y.Doc, index: number): Y.Text {
  return doc.getText(problemTextName(index))
}

/** The index in a `problem:<index>` name, or null for any other name. */
export function problemIndexOf(name: string): number | null {
  const match = /^problem:(0|[1-9]\d{0,5})$/.exec(name)
  return match ? Number(match[1]) : null
}

/** The update that seeds these starter codes; the same codes always give the same update. */
export function seedUpdate(starterCodes: readonly string[]): Uint8Array {
  const seed = new Y.Doc({ gc: false })
  seed.clientID = SEED_CLIENT_ID
  seed.transact(() => {
    starterCodes.forEach((code, index) => {
      if (code !== '') problemText(seed, index).insert(0, code)
    })
  })
  const update = Y.encodeStateAsUpdate(seed)
  seed.destroy()
  return update
}

/**
 * Host only, when the session's document is created: puts each problem's starter code in its
 * text. The candidate never seeds; it receives the text from the host. Idempotent (see above).
 */
export function seedProblems(doc: Y.Doc, starterCodes: readonly string[], origin: unknown = null): void {
  Y.applyUpdate(doc, seedUpdate(starterCodes), origin)
}
