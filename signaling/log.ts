import { createHash } from 'node:crypto'

/** Only flat, plain values: a frame or a token cannot slip into a log line by accident. */
export type LogFields = Record<string, string | number | boolean | undefined>

export type LogSink = (line: string) => void

export type Logger = (event: string, fields?: LogFields) => void

/** One JSON line per event: `{t, event, ...fields}`. */
export function createLogger(sink: LogSink, now: () => number): Logger {
  return (event, fields = {}) => sink(JSON.stringify({ t: new Date(now()).toISOString(), event, ...fields }))
}

/**
 * A short tag for a room in logs: a prefix of a hash, so log lines about one room can be
 * grouped without the log holding the room id (whoever has the id can open the join page).
 */
export function roomTag(roomId: string): string {
  return createHash('sha256').update(`duet-room:${roomId}`).digest('hex').slice(0, 12)
}

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`)
}
