// Test-only: the real host services under Node, for component tests. The reference above is
// needed because the web typecheck (tsconfig.web.json) reaches this file and, through it,
// src/main/host; it makes Node's types visible to that whole program, a known trade-off.
/* eslint-disable no-restricted-imports -- runs under Node in vitest, never in the renderer */
import Database from 'better-sqlite3'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { databasePathIn } from '../../../main/host/data-dir'
import { createHost } from '../../../main/host/host'
import type { SignalingInfo } from '../../../main/host/sessions'
import { createHostClient } from '../../../shared/host-client'
import { PACK_FORMAT, PACK_VERSION } from '../../../shared/pack'
import type { HostApi } from '../../../shared/host-api'
import type { ProblemDraft } from '../../../shared/problem'
import type { PrintPdf } from '../../../shared/report/pdf'
import { starterProblems } from './starter-problems'

export interface RealHostOptions {
  /** What lies at the database path before the host starts; nothing by default. */
  database?: 'fresh' | 'corrupt' | 'too-new'
  /** The starter pack the host loads into a fresh database. */
  starterProblems?: ProblemDraft[]
  /** Where session links point; tests open an in-memory link instead, so nothing listens there. */
  signaling?: SignalingInfo | null
  /** How `reports.pdf` prints; without it the host refuses, as one with no printer does. */
  printPdf?: PrintPdf
}

const TEST_SIGNALING: SignalingInfo = { baseUrl: 'http://127.0.0.1:8787', iceServers: [] }

export interface RealHost {
  /** The typed API over the host's real dispatch, inputs and events structured-cloned like IPC. */
  api: HostApi
  dataDir: string
  databasePath: string
  /** Closes the database and removes the temp folder. */
  dispose(): void
}

/** A real host (SQLite file, problem bank, settings) in a fresh temp folder. */
export function startRealHost(options: RealHostOptions = {}): RealHost {
  const root = mkdtempSync(join(tmpdir(), 'duet-renderer-'))
  const dataDir = join(root, 'data')
  const databasePath = databasePathIn(dataDir)
  const packPath = join(root, 'starter-pack.json')
  const problems = options.starterProblems ?? starterProblems
  writeFileSync(packPath, JSON.stringify({ format: PACK_FORMAT, version: PACK_VERSION, problems }))
  mkdirSync(dataDir)

  if (options.database === 'corrupt') {
    writeFileSync(databasePath, 'this is not an SQLite database\n'.repeat(300))
  } else if (options.database === 'too-new') {
    const db = new Database(databasePath)
    db.pragma('user_version = 999')
    db.close()
  }

  const host = createHost({
    dataDir,
    runtime: 'browser-bridge',
    appVersion: 'test',
    starterPackPath: packPath,
    signaling: () => (options.signaling === undefined ? TEST_SIGNALING : options.signaling),
    printPdf: options.printPdf,
    // Expected notices (a corrupt file under test) stay quiet; real failures still show.
    log: (message, error) => {
      if (error !== undefined) console.error(message, error)
    },
  })
  const api = createHostClient({
    // structuredClone, as Electron IPC does: a Vue proxy in an input fails here as it would there.
    invoke: (method, input) => host.dispatch(method, structuredClone(input)),
    subscribe: (event, handler) =>
      host.onEvent((name, payload) => {
        if (name === event) handler(structuredClone(payload))
      }),
  })

  return {
    api,
    dataDir,
    databasePath,
    dispose() {
      host.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** Whether a file exists, so tests can prove a database was moved aside and not deleted. */
export function fileExists(path: string): boolean {
  return existsSync(path)
}
