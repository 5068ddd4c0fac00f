import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'
import {
  BUNDLE_CHECKSUM_BYTES,
  BUNDLE_FORMAT,
  BUNDLE_MAGIC,
  BUNDLE_VERSION,
  BundleContentSchema,
  BundleEnvelopeSchema,
  BundleHeaderSchema,
  MAX_BUNDLE_BYTES,
  MAX_BUNDLE_CONTENT_BYTES,
  MAX_BUNDLE_HEADER_BYTES,
  tooLargeMessage,
  type BundleContent,
  type BundleHeader,
} from '../../shared/bundle'
import { HostError } from '../../shared/host-errors'
import { describeIssues, parseWith } from '../../shared/validation'

// The layout is described in src/shared/bundle.ts.

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

const MAGIC = Buffer.from(BUNDLE_MAGIC, 'ascii')
/** The magic and the header's length. */
const PREFIX_BYTES = MAGIC.length + 4
const MAX_ISSUES_IN_MESSAGE = 3

export interface ReadBundle {
  header: BundleHeader
  content: BundleContent
}

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest()

/** Magic, header and payload, sealed with the SHA-256 of all of them. Writes whatever it is given. */
export function assembleBundle(header: unknown, payload: Uint8Array): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(headerBytes.length)
  const body = Buffer.concat([MAGIC, length, headerBytes, payload])
  return Buffer.concat([body, sha256(body)])
}

/** The `.duet` file of this content. */
export async function writeBundle(
  content: BundleContent,
  meta: { exportedAt: Date; appVersion: string },
): Promise<Buffer> {
  const json = Buffer.from(JSON.stringify(content), 'utf8')
  const payload = await gzipAsync(json)
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    payloadBytes: payload.length,
    contentBytes: json.length,
    exportedAt: meta.exportedAt.toISOString(),
    appVersion: meta.appVersion,
  }
  return assembleBundle(header, payload)
}

const AGAIN = 'Copy the whole file again from where it was exported, or export the session again.'

function refuse(message: string, issues: { path: string; message: string }[] = []): HostError {
  return new HostError('invalid-input', message, issues)
}

function truncated(name: string, have: number, need: number | null): HostError {
  const where = need === null ? 'inside its header' : `after ${have} of its ${need} bytes`
  return refuse(
    `${name} is incomplete: the file ends ${where}. It was probably cut short while being downloaded or copied. ${AGAIN}`,
  )
}

function damaged(name: string, what: string): HostError {
  return refuse(`${name} is damaged: ${what}. ${AGAIN}`)
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown
  } catch {
    return undefined
  }
}

/** The header, once the file is whole: every check that needs only the layout comes first. */
function checkedHeader(name: string, file: Buffer): { header: unknown; headerEnd: number; payloadBytes: number } {
  if (file.length > MAX_BUNDLE_BYTES) throw refuse(tooLargeMessage(name))
  if (file.length === 0) throw refuse(`${name} is empty, so it is not a Duet session bundle. Choose a .duet file.`)
  const start = file.subarray(0, MAGIC.length)
  if (!start.equals(MAGIC.subarray(0, start.length))) {
    throw refuse(`${name} is not a Duet session bundle. Choose a .duet file that Duet exported from a session.`)
  }
  if (file.length < PREFIX_BYTES) throw truncated(name, file.length, null)
  const headerBytes = file.readUInt32BE(MAGIC.length)
  if (headerBytes === 0 || headerBytes > MAX_BUNDLE_HEADER_BYTES) {
    throw damaged(name, `its header claims to be ${headerBytes} bytes long`)
  }
  const headerEnd = PREFIX_BYTES + headerBytes
  if (file.length < headerEnd) throw truncated(name, file.length, null)
  const header = parseJson(file.subarray(PREFIX_BYTES, headerEnd))
  if (header === undefined) throw damaged(name, 'its header is not JSON')
  const envelope = parseWith(BundleEnvelopeSchema, header)
  if (!envelope.ok) throw damaged(name, `its header is unreadable (${describeIssues(envelope.issues)})`)

  const expected = headerEnd + envelope.value.payloadBytes + BUNDLE_CHECKSUM_BYTES
  if (file.length < expected) throw truncated(name, file.length, expected)
  if (file.length > expected) {
    throw refuse(
      `${name} is damaged or was edited: it has ${file.length - expected} bytes more than its header says. ${AGAIN}`,
    )
  }
  const body = file.subarray(0, expected - BUNDLE_CHECKSUM_BYTES)
  if (!sha256(body).equals(file.subarray(expected - BUNDLE_CHECKSUM_BYTES))) {
    throw refuse(
      `${name} is damaged or was edited after it was exported: its checksum does not match its content. ${AGAIN}`,
    )
  }
  // Checked only now: an intact file can be trusted to say which Duet wrote it.
  if (envelope.value.version > BUNDLE_VERSION) {
    throw refuse(
      `${name} was made by a newer Duet (session bundle version ${envelope.value.version}; this Duet reads ` +
        `version ${BUNDLE_VERSION}). Update Duet to import it.`,
    )
  }
  return { header, headerEnd, payloadBytes: envelope.value.payloadBytes }
}

/**
 * Reads and checks a `.duet` file in full. Every refusal is an `invalid-input` HostError naming
 * the file, saying what is wrong (empty, not a bundle, incomplete, damaged or edited, newer, or
 * content this Duet cannot take, by field) and what to do.
 */
export async function readBundle(name: string, file: Buffer): Promise<ReadBundle> {
  const checked = checkedHeader(name, file)
  const header = parseWith(BundleHeaderSchema, checked.header)
  if (!header.ok) throw damaged(name, `its header is unreadable (${describeIssues(header.issues)})`)

  let json: Buffer
  try {
    const payload = file.subarray(checked.headerEnd, checked.headerEnd + checked.payloadBytes)
    json = await gunzipAsync(payload, { maxOutputLength: MAX_BUNDLE_CONTENT_BYTES })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw damaged(name, `its content cannot be decompressed (${reason})`)
  }
  if (json.length !== header.value.contentBytes) {
    throw damaged(name, `its content is ${json.length} bytes where its header says ${header.value.contentBytes}`)
  }
  const data = parseJson(json)
  if (data === undefined) throw damaged(name, 'its content is not JSON')
  const content = parseWith(BundleContentSchema, data)
  if (!content.ok) {
    const { issues } = content
    const shown = describeIssues(issues.slice(0, MAX_ISSUES_IN_MESSAGE)).replaceAll('\n', '; ')
    const more = issues.length > MAX_ISSUES_IN_MESSAGE ? `; and ${issues.length - MAX_ISSUES_IN_MESSAGE} more` : ''
    throw refuse(
      `${name} holds a session this Duet cannot import: ${shown}${more}. ` +
        'If a newer Duet exported it, update Duet; otherwise export the session again.',
      issues,
    )
  }
  return { header: header.value, content: content.value }
}
