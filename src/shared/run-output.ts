import type { OutputChunk } from './exec/run'

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

/** Bytes of `text` as UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD), without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/** The longest start of `text` within `maxBytes` of UTF-8; never splits a surrogate pair. */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const pair = isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3
    if (bytes + size > maxBytes) return text.slice(0, i)
    bytes += size
    if (pair) i++
  }
  return text
}

/**
 * Adds `chunk` to `output` without going past `roomBytes` more bytes, merging it into the last
 * chunk when both are the same stream. Returns a new array (the old one is left as it was) and
 * how many bytes were added: fewer than the chunk's when it was cut at the limit.
 */
export function appendOutput(
  output: readonly OutputChunk[],
  chunk: OutputChunk,
  roomBytes: number,
): { output: OutputChunk[]; addedBytes: number } {
  const text = utf8Prefix(chunk.text, Math.max(0, roomBytes))
  if (text === '') return { output: [...output], addedBytes: 0 }
  const last = output.at(-1)
  const next =
    last?.stream === chunk.stream
      ? [...output.slice(0, -1), { stream: chunk.stream, text: last.text + text }]
      : [...output, { stream: chunk.stream, text }]
  return { output: next, addedBytes: utf8Length(text) }
}

/** Everything a stream printed, in order. */
export function streamText(output: readonly OutputChunk[], stream: OutputChunk['stream']): string {
  return output
    .filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('')
}

/** Chunks merged by stream and cut at `limitBytes`, as the live view and the store keep them. */
export function capOutput(chunks: readonly OutputChunk[], limitBytes: number): OutputChunk[] {
  const kept: OutputChunk[] = []
  let room = limitBytes
  for (const chunk of chunks) {
    const text = utf8Prefix(chunk.text, room)
    if (text === '') continue
    room -= utf8Length(text)
    const last = kept.at(-1)
    if (last?.stream === chunk.stream) last.text += text
    else kept.push({ stream: chunk.stream, text })
  }
  return kept
}
