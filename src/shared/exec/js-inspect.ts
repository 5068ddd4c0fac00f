/**
 * console.log's formatting for user JavaScript, close to Node's util.inspect (what candidates
 * know): `[ 1, 2 ]`, `{ a: 'x' }`, `Map(1) { 'a' => 1 }`, nested objects cut at depth 2, long
 * ones over several lines. Accessors are shown, not called, so printing never runs user code.
 */

const MAX_DEPTH = 2
const BREAK_LENGTH = 80
const MAX_ENTRIES = 100
const MAX_STRING = 10_000

/** The line console.log prints for these arguments, with Node's %s %d %i %f %j %o %O %c %% when the first is a string. */
export function formatLogArguments(args: readonly unknown[], showError: (error: Error) => string): string {
  const inspector = new Inspector(showError)
  const rest = [...args]
  let head = ''
  const first = rest[0]
  if (typeof first === 'string' && first.includes('%') && rest.length > 1) {
    rest.shift()
    head = first.replace(/%([sdifjoOc%])/g, (match, spec: string) => {
      if (spec === '%') return '%'
      if (rest.length === 0) return match
      const value = rest.shift()
      switch (spec) {
        case 's':
          return typeof value === 'string' ? value : inspector.inspect(value, 1)
        case 'd':
        case 'i': {
          const number = typeof value === 'bigint' ? value : Number(value)
          if (typeof number === 'bigint') return `${number}n`
          return String(spec === 'i' ? Math.trunc(number) : number)
        }
        case 'f':
          return String(Number.parseFloat(String(value)))
        case 'j':
          return safeJson(value)
        case 'c':
          return ''
        default:
          return inspector.inspect(value, MAX_DEPTH)
      }
    })
  }
  const parts = rest.map((value) => (typeof value === 'string' ? value : inspector.inspect(value, MAX_DEPTH)))
  return (head === '' ? parts : [head, ...parts]).join(' ')
}

/** One value as console.log shows it inside other output (strings quoted). */
export function inspectValue(value: unknown, showError: (error: Error) => string): string {
  return new Inspector(showError).inspect(value, MAX_DEPTH)
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined'
  } catch {
    return '[Circular]'
  }
}

function quote(text: string): string {
  const cut =
    text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}… ${text.length - MAX_STRING} more characters` : text
  const escaped = cut.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c)
  if (!escaped.includes("'")) return `'${escaped}'`
  if (!escaped.includes('"')) return `"${escaped}"`
  return `'${escaped.replace(/'/g, "\\'")}'`
}

function propertyKey(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${String(key)}]`
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)
}

function functionLabel(fn: (...args: never[]) => unknown): string {
  let source: string
  try {
    source = Function.prototype.toString.call(fn)
  } catch {
    source = ''
  }
  if (source.startsWith('class')) return fn.name ? `[class ${fn.name}]` : '[class (anonymous)]'
  return fn.name ? `[Function: ${fn.name}]` : '[Function (anonymous)]'
}

class Inspector {
  private readonly seen: object[] = []

  constructor(private readonly showError: (error: Error) => string) {}

  inspect(value: unknown, depth: number): string {
    switch (typeof value) {
      case 'string':
        return quote(value)
      case 'number':
        return Object.is(value, -0) ? '-0' : String(value)
      case 'bigint':
        return `${value}n`
      case 'symbol':
        return value.toString()
      case 'undefined':
        return 'undefined'
      case 'boolean':
        return String(value)
      case 'function':
        return functionLabel(value as (...args: never[]) => unknown)
    }
    if (value === null) return 'null'
    return this.inspectObject(value as object, depth)
  }

  private inspectObject(value: object, depth: number): string {
    if (this.seen.includes(value)) return '[Circular]'
    if (value instanceof Error) return this.showError(value)
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
    if (value instanceof RegExp) return String(value)
    if (value instanceof Promise) return 'Promise {}'
    if (value instanceof WeakMap || value instanceof WeakSet) return `${value.constructor.name} { <items unknown> }`
    this.seen.push(value)
    try {
      return this.inspectEntries(value, depth)
    } finally {
      this.seen.pop()
    }
  }

  private inspectEntries(value: object, depth: number): string {
    if (Array.isArray(value)) {
      if (depth < 0) return '[Array]'
      return this.wrap('', '[', ']', this.arrayItems(value, depth))
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const items = Array.from(value as unknown as ArrayLike<number | bigint>)
      const label = `${value.constructor.name}(${items.length})`
      if (depth < 0) return `[${label}]`
      return this.wrap(`${label} `, '[', ']', this.limited(items.map((item) => this.inspect(item, depth - 1))))
    }
    if (value instanceof Map) {
      if (depth < 0) return '[Map]'
      const entries = [...value].map(([k, v]) => `${this.inspect(k, depth - 1)} => ${this.inspect(v, depth - 1)}`)
      return this.wrap(`Map(${value.size}) `, '{', '}', this.limited(entries))
    }
    if (value instanceof Set) {
      if (depth < 0) return '[Set]'
      const entries = [...value].map((v) => this.inspect(v, depth - 1))
      return this.wrap(`Set(${value.size}) `, '{', '}', this.limited(entries))
    }
    const prototype: unknown = Object.getPrototypeOf(value)
    const name =
      prototype === null
        ? '[Object: null prototype]'
        : prototype === Object.prototype
          ? ''
          : (constructorName(prototype) ?? 'Object')
    if (depth < 0) return `[${name || 'Object'}]`
    return this.wrap(name ? `${name} ` : '', '{', '}', this.limited(this.properties(value, depth)))
  }

  private arrayItems(array: readonly unknown[], depth: number): string[] {
    const items: string[] = []
    let holes = 0
    const flushHoles = () => {
      if (holes > 0) items.push(`<${holes} empty item${holes === 1 ? '' : 's'}>`)
      holes = 0
    }
    const shown = Math.min(array.length, MAX_ENTRIES)
    for (let i = 0; i < shown; i++) {
      if (!(i in array)) {
        holes++
        continue
      }
      flushHoles()
      items.push(this.inspect(array[i], depth - 1))
    }
    flushHoles()
    if (array.length > shown)
      items.push(`... ${array.length - shown} more item${array.length - shown === 1 ? '' : 's'}`)
    return items
  }

  private properties(value: object, depth: number): string[] {
    const keys: (string | symbol)[] = Reflect.ownKeys(value)
    return keys.flatMap((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(value, key)
      if (!descriptor?.enumerable) return []
      if (descriptor.get || descriptor.set) {
        const kind = descriptor.get && descriptor.set ? 'Getter/Setter' : descriptor.get ? 'Getter' : 'Setter'
        return [`${propertyKey(key)}: [${kind}]`]
      }
      return [`${propertyKey(key)}: ${this.inspect(descriptor.value, depth - 1)}`]
    })
  }

  private limited(entries: string[]): string[] {
    if (entries.length <= MAX_ENTRIES) return entries
    const more = entries.length - MAX_ENTRIES
    return [...entries.slice(0, MAX_ENTRIES), `... ${more} more item${more === 1 ? '' : 's'}`]
  }

  /** One line when it fits, else one entry per line (short primitives filled across lines). */
  private wrap(label: string, open: string, close: string, entries: string[]): string {
    if (entries.length === 0) return `${label}${open}${close}`
    const oneLine = `${label}${open} ${entries.join(', ')} ${close}`
    if (oneLine.length <= BREAK_LENGTH && !oneLine.includes('\n')) return oneLine
    const indent = (text: string) => text.replace(/\n/g, '\n  ')
    if (entries.length > 6 && entries.every((e) => e.length <= 16 && !e.includes('\n'))) {
      const lines: string[] = []
      let line = ''
      for (const entry of entries) {
        const piece = `${entry},`
        if (line !== '' && line.length + 1 + piece.length > BREAK_LENGTH - 2) {
          lines.push(line)
          line = piece
        } else line = line === '' ? piece : `${line} ${piece}`
      }
      lines.push(line.slice(0, -1))
      return `${label}${open}\n  ${lines.join('\n  ')}\n${close}`
    }
    return `${label}${open}\n  ${entries.map(indent).join(',\n  ')}\n${close}`
  }
}

function constructorName(prototype: unknown): string | null {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'constructor')
  const ctor: unknown = descriptor?.value
  return typeof ctor === 'function' && ctor.name ? ctor.name : null
}
