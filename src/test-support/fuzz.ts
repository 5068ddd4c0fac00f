// Test-only: seeded random and mutated frames for the fuzz tests. The same seed gives the same
// frames, so a failure reproduces with DUET_FUZZ_SEED=<seed>.

export const FUZZ_SEED_ENV = 'DUET_FUZZ_SEED'

/** The seed from $DUET_FUZZ_SEED, or a fresh one; the caller prints it. */
export function fuzzSeed(env: Record<string, string | undefined>): number {
  const given = Number(env[FUZZ_SEED_ENV])
  return Number.isSafeInteger(given) && given > 0 ? given : 1 + Math.floor(Math.random() * 0x7fff_fffe)
}

/** mulberry32: small and fast, and good enough to pick mutations. */
export class Rng {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }

  /** Text with the characters that break parsers: quotes, controls, lone surrogates, emoji, NUL. */
  text(maxLength: number): string {
    const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\u0000', '\u2028']
    const length = this.int(maxLength + 1)
    let out = ''
    for (let i = 0; i < length; i++) {
      const kind = this.int(10)
      if (kind < 6) out += this.pick(alphabet)
      else if (kind < 8) out += String.fromCharCode(this.int(0x10000))
      else if (kind < 9) out += '😀'
      else out += String.fromCharCode(0xd800 + this.int(0x800))
    }
    return out
  }
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

const KEYS = ['type', 'data', 'state', 'info', 'name', 'runId', 't', 'k', 'seq', 'v', 'roomId', '__proto__', '']
const NUMBERS = [0, -1, 1, 0.5, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -(2 ** 53), 1e300, -1e-300]

/** A random JSON value, at most `depth` levels deep. */
export function randomJson(rng: Rng, depth = 3): Json {
  const kind = rng.int(depth > 0 ? 8 : 5)
  switch (kind) {
    case 0:
      return null
    case 1:
      return rng.chance(0.5)
    case 2:
      return rng.pick(NUMBERS)
    case 3:
      return rng.text(20)
    case 4:
      return rng.pick(KEYS)
    case 5:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth - 1))
    default: {
      const out: { [key: string]: Json } = {}
      for (let i = rng.int(5); i > 0; i--) out[rng.pick(KEYS)] = randomJson(rng, depth - 1)
      return out
    }
  }
}

/** JSON text nested `depth` levels deep: a stack-overflow probe. */
export function deepJson(depth: number, open = '[', close = ']', inner = ''): string {
  return open.repeat(depth) + inner + close.repeat(depth)
}

const encoder = new TextEncoder()
const lossy = new TextDecoder('utf-8', { fatal: false })

/** Flips 1 to 3 random bits in the UTF-8 bytes of `text`; invalid UTF-8 becomes U+FFFD. */
export function flipBits(rng: Rng, text: string): string {
  const bytes = encoder.encode(text)
  if (bytes.length === 0) return text
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const at = rng.int(bytes.length)
    bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.int(8))
  }
  return lossy.decode(bytes)
}

/** Cuts `text` at a random place (never whole). */
export function truncate(rng: Rng, text: string): string {
  return text.slice(0, rng.int(Math.max(1, text.length)))
}

const isObject = (value: Json): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Every object in `value`, the value itself included. */
function objectsIn(value: Json, out: { [key: string]: Json }[] = []): { [key: string]: Json }[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, out)
  else if (isObject(value)) {
    out.push(value)
    for (const item of Object.values(value)) objectsIn(item, out)
  }
  return out
}

/**
 * A copy of `frame` with one structural change: a field removed, swapped with another field,
 * given another type, replaced by a field of `donor`, or a field added.
 */
export function mutateFields(rng: Rng, frame: Json, donor: Json): Json {
  const copy = JSON.parse(JSON.stringify(frame)) as Json
  const targets = objectsIn(copy)
  if (targets.length === 0) return randomJson(rng)
  const target = rng.pick(targets)
  const keys = Object.keys(target)
  const key = keys.length > 0 ? rng.pick(keys) : rng.pick(KEYS)
  switch (rng.int(6)) {
    case 0:
      Reflect.deleteProperty(target, key)
      break
    case 1: {
      const other = keys.length > 0 ? rng.pick(keys) : key
      const value = target[key] ?? null
      target[key] = target[other] ?? null
      target[other] = value
      break
    }
    case 2: {
      const value = target[key] ?? null
      target[key] = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.length : [value]
      break
    }
    case 3: {
      const donors = objectsIn(donor)
      const from = donors.length > 0 ? rng.pick(donors) : {}
      const donorKeys = Object.keys(from)
      const donorKey = donorKeys.length > 0 ? rng.pick(donorKeys) : key
      target[key] = from[donorKey] ?? null
      break
    }
    case 4:
      target[rng.pick(KEYS)] = randomJson(rng, 2)
      break
    default:
      target[key] = randomJson(rng, 1)
  }
  return copy
}

/** Standard base64 of bytes, without Node's Buffer. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
}

/** A base64 blob changed the ways a wire or an attacker changes ciphertext: still base64. */
export function mutateBlob(rng: Rng, blob: string): string {
  const bytes = fromBase64(blob)
  switch (rng.int(4)) {
    case 0: {
      for (let n = 1 + rng.int(3); n > 0; n--) {
        const at = rng.int(bytes.length)
        bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.int(8))
      }
      return toBase64(bytes)
    }
    case 1:
      return toBase64(bytes.subarray(0, rng.int(bytes.length)))
    case 2: {
      // The IV of one blob with the ciphertext of another part: splice a random run of bytes.
      const at = rng.int(bytes.length)
      bytes.set(rng.bytes(Math.min(8, bytes.length - at)), at)
      return toBase64(bytes)
    }
    default:
      return toBase64(new Uint8Array([...bytes, ...rng.bytes(1 + rng.int(16))]))
  }
}

/** Tally of outcomes by name, for assertions and the reliability report. */
export class Tally {
  readonly counts: Record<string, number> = {}

  add(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n
  }

  get(name: string): number {
    return this.counts[name] ?? 0
  }

  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0)
  }
}
