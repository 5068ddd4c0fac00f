import type { Migration } from './index'

/**
 * What a session needs to open its room on the signaling server: a host token (random, never
 * derived from the link secret, so only this machine can act as host) and the link's expiry in
 * milliseconds since the epoch. Sessions written before this version get both, like new ones.
 */
export const m002SessionLink: Migration = {
  version: 2,
  name: 'session host token and link expiry',
  sql: /* sql */ `
ALTER TABLE sessions ADD COLUMN host_token TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
-- 256 random bits as hex, which is also valid base64url; the expiry is seven days after creation.
UPDATE sessions SET
  host_token = lower(hex(randomblob(32))),
  expires_at = CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER) + 604800000;
`,
}
