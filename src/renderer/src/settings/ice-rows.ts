import type { IceServer } from '../../../shared/signaling/protocol'

/** One ICE server as the form edits it: URLs as typed, credentials blank when not needed. */
export interface IceRow {
  /** Keeps each row's inputs with it when a row above is removed. */
  key: number
  urls: string
  username: string
  credential: string
}

let nextKey = 0

export function emptyIceRow(): IceRow {
  return { key: nextKey++, urls: '', username: '', credential: '' }
}

export function iceRowsOf(servers: readonly IceServer[]): IceRow[] {
  return servers.map((server) => ({
    key: nextKey++,
    urls: [server.urls].flat().join(' '),
    username: server.username ?? '',
    credential: server.credential ?? '',
  }))
}

/**
 * The servers the rows describe, for the settings schema to check: URLs split at spaces or
 * commas (one stays a string, as people write it), blank credentials left out.
 */
export function iceServersOf(rows: readonly IceRow[]): unknown[] {
  return rows.map((row) => {
    const urls = row.urls.split(/[\s,]+/).filter((url) => url !== '')
    return {
      urls: urls.length === 1 ? urls[0] : urls,
      ...(row.username.trim() === '' ? {} : { username: row.username.trim() }),
      ...(row.credential === '' ? {} : { credential: row.credential }),
    }
  })
}
