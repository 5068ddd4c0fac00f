import { existsSync, mkdirSync, renameSync } from 'node:fs'
import type { DatabaseStatus } from '../../shared/app-status'
import type { HostEventName, HostEventPayload, HostHandlers } from '../../shared/host-api'
import { HostError } from '../../shared/host-errors'
import type { PrintPdf } from '../../shared/report/pdf'
import { openDatabase, type Db } from './database'
import { createBundleService, type BundleService } from './bundles'
import { databasePathIn } from './data-dir'
import { openDataFolder, type OpenPath } from './data-folder'
import { createDispatch, type Dispatch } from './dispatch'
import { createEvaluationService, type EvaluationService } from './evaluations'
import { createHistoryService, type HistoryService } from './history'
import { createNoteService, type NoteService } from './notes'
import { createPackIo, type PackIo } from './pack-io'
import { createProblemBank, type ProblemBank } from './problem-bank'
import { createRecordingService, type RecordingService } from './recording'
import { printReportPdf } from './report-pdf'
import { startRetention } from './retention'
import { createRunService, type RunService } from './runs'
import { createSessionService, type RandomBytes, type SessionService, type SignalingInfo } from './sessions'
import { createSettingsStore, type SettingsStore, type WindowState } from './settings-store'
import { chooseSignaling, testSignaling } from './signaling-choice'
import { loadStarterPack } from './starter-pack'

export interface HostOptions {
  dataDir: string
  runtime: 'electron' | 'browser-bridge'
  appVersion: string
  starterPackPath: string
  /** Where the embedded signaling server is now; null while it is not running. Settings may pick a remote one. */
  signaling?: () => SignalingInfo | null
  /** How `settings.testSignaling` reaches a server; Node's global fetch by default. */
  fetch?: typeof fetch
  /** Opens a folder on the desktop (Electron's `shell.openPath`); the browser bridge has none. */
  openPath?: OpenPath
  /** Prints report HTML to PDF (Electron's printToPDF, or Chromium beside the bridge); without it `reports.pdf` refuses. */
  printPdf?: PrintPdf
  now?: () => Date
  random?: RandomBytes
  log?: (message: string, error?: unknown) => void
}

export interface Host {
  dispatch: Dispatch
  onEvent(listener: (event: HostEventName, payload: unknown) => void): () => void
  readWindowState(): WindowState | null
  saveWindowState(state: WindowState): void
  close(): void
}

interface Services {
  db: Db
  bank: ProblemBank
  packs: PackIo
  settings: SettingsStore
  sessions: SessionService
  recording: RecordingService
  runs: RunService
  notes: NoteService
  evaluations: EvaluationService
  bundles: BundleService
  history: HistoryService
}

// SQLite keeps a database's state in these files beside it; a file moved aside takes them along,
// or a fresh database at the old path would pick up a stale journal.
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal']

function describeUnavailable(status: DatabaseStatus): string {
  switch (status.state) {
    case 'corrupt':
      return `The database file ${status.path} is corrupt or unreadable (${status.reason}). Move it aside to start a new one.`
    case 'too-new':
      return (
        `The database file ${status.path} is too new: it was written by a newer Duet (schema version ` +
        `${status.fileVersion}; this Duet reads up to ${status.supportedVersion}). Update Duet to open it.`
      )
    case 'ready':
      return `The database file ${status.path} is closed.`
  }
}

/** Renames the database and its companion files to `<name>.corrupt-<time>`; never deletes anything. */
function moveAside(path: string, when: Date): string {
  const stamp = when.toISOString().replace(/[:.]/g, '-')
  let target = `${path}.corrupt-${stamp}`
  for (let n = 2; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`
  renameSync(path, target)
  for (const suffix of COMPANION_SUFFIXES) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix)
  }
  return target
}

/**
 * The composition root of the host: the database, the services over it and the handlers of every
 * host API method. Electron main and the browser bridge both run exactly this.
 */
export function createHost(options: HostOptions): Host {
  const now = options.now ?? (() => new Date())
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error))
  const databasePath = databasePathIn(options.dataDir)
  const listeners = new Set<(event: HostEventName, payload: unknown) => void>()
  let status: DatabaseStatus
  let services: Services | null = null
  let stopRetention: (() => void) | null = null

  function emit<E extends HostEventName>(event: E, payload: HostEventPayload<E>): void {
    for (const listener of listeners) {
      try {
        listener(event, payload)
      } catch (error) {
        log(`a listener of ${event} failed`, error)
      }
    }
  }

  function problemsChanged(ids: number[]): void {
    if (ids.length > 0) emit('problems.changed', { ids })
  }

  function open(): void {
    try {
      mkdirSync(options.dataDir, { recursive: true })
    } catch {
      // openDatabase then reports why the file cannot be opened, naming it.
    }
    const opened = openDatabase(databasePath)
    status = opened.status
    if (opened.db === null) {
      log(describeUnavailable(opened.status))
      return
    }
    const db = opened.db
    const bank = createProblemBank(db, now)
    const settings = createSettingsStore(db)
    services = {
      db,
      bank,
      packs: createPackIo(db, bank, now),
      settings,
      sessions: createSessionService(db, bank, { now, random: options.random }),
      recording: createRecordingService(db),
      runs: createRunService(db, now),
      notes: createNoteService(db, now),
      evaluations: createEvaluationService(db, { now, rubric: () => settings.get().rubric }),
      bundles: createBundleService(db, { now, appVersion: options.appVersion, random: options.random }),
      history: createHistoryService(db),
    }
    try {
      const starter = loadStarterPack(db, options.starterPackPath, { appVersion: options.appVersion, now })
      if (starter.loaded) problemsChanged(starter.ids)
    } catch (error) {
      // The bank works without its starter problems; the next start tries again.
      log(`the starter pack ${options.starterPackPath} could not be loaded`, error)
    }
    stopRetention?.()
    stopRetention = startRetention({
      sessions: services.sessions,
      settings,
      now,
      log,
      deleted: (ids) => ids.forEach((id) => emit('sessions.changed', { id })),
    })
  }

  function ready(): Services {
    if (services === null) throw new HostError('database', describeUnavailable(status))
    return services
  }

  const handlers: HostHandlers = {
    'app.info': () => ({
      version: options.appVersion,
      runtime: options.runtime,
      dataDir: options.dataDir,
      databasePath,
    }),
    'app.databaseStatus': () => status,
    'app.moveDatabaseAside': () => {
      if (status.state === 'too-new') {
        throw new HostError(
          'database',
          `The database file ${databasePath} was written by a newer Duet, so it is left untouched. Update Duet to open it.`,
        )
      }
      if (status.state === 'ready') {
        throw new HostError('conflict', `The database file ${databasePath} is fine; there is nothing to move aside.`)
      }
      let movedTo: string
      try {
        movedTo = moveAside(databasePath, now())
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new HostError('database', `The database file ${databasePath} could not be moved aside: ${reason}`)
      }
      open()
      return { movedTo, status }
    },
    'app.openDataFolder': () => openDataFolder(options.dataDir, options.openPath),

    'problems.list': (query) => ready().bank.list(query),
    'problems.get': ({ id }) => ready().bank.get(id),
    'problems.create': (input) => {
      const problem = ready().bank.create(input)
      problemsChanged([problem.id])
      return problem
    },
    'problems.update': ({ id, problem }) => {
      const updated = ready().bank.update(id, problem)
      problemsChanged([id])
      return updated
    },
    'problems.delete': ({ id }) => {
      ready().bank.remove(id)
      problemsChanged([id])
      return { deleted: true as const }
    },
    'problems.duplicate': ({ id }) => {
      const copy = ready().bank.duplicate(id)
      problemsChanged([copy.id])
      return copy
    },
    'problems.tags': () => ready().bank.tags(),
    'problems.previewImport': (source) => ready().packs.previewImport(source),
    'problems.import': ({ source, onConflict }) => {
      const { result, changedIds } = ready().packs.importPack(source, onConflict)
      problemsChanged(changedIds)
      return result
    },
    'problems.export': ({ ids, format }) => ready().packs.exportPack(ids, format),

    'sessions.create': (input) => {
      const session = ready().sessions.create(input)
      emit('sessions.changed', { id: session.id })
      return session
    },
    'sessions.get': ({ id }) => ready().sessions.get(id),
    'sessions.list': () => ready().sessions.list(),
    'sessions.setStatus': ({ id, status }) => {
      const session = ready().sessions.setStatus(id, status)
      emit('sessions.changed', { id })
      return session
    },
    'sessions.setCurrentProblem': ({ id, index }) => {
      const session = ready().sessions.setCurrentProblem(id, index)
      emit('sessions.changed', { id })
      return session
    },
    'sessions.extendTime': ({ id, minutes }) => {
      const session = ready().sessions.extendTime(id, minutes)
      emit('sessions.changed', { id })
      return session
    },
    'sessions.delete': ({ id }) => {
      ready().sessions.remove(id)
      emit('sessions.changed', { id })
      return { deleted: true as const }
    },
    'sessions.connection': ({ id }) => {
      const { sessions, settings } = ready()
      return sessions.connection(id, chooseSignaling(settings.get(), options.signaling?.() ?? null))
    },

    // No sessions.changed here: a batch every 250 ms changes the timeline, not the session.
    'recording.append': (input) => ready().recording.append(input),
    'recording.load': ({ sessionId }) => ready().recording.load(sessionId),

    'runs.record': (input) => ready().runs.record(input),
    'runs.list': ({ sessionId }) => ready().runs.list(sessionId),

    'settings.get': () => ready().settings.get(),
    'settings.update': (patch) => {
      const settings = ready().settings.update(patch)
      emit('settings.changed', settings)
      return settings
    },
    // Needs no database: it only asks the server, so it works before anything is saved.
    'settings.testSignaling': ({ url }) => testSignaling(url, { fetch: options.fetch ?? fetch }),
    'settings.signalingStatus': () => {
      const embedded = options.signaling?.() ?? null
      return {
        embeddedUrl: embedded?.baseUrl ?? null,
        linkBase: chooseSignaling(ready().settings.get(), embedded)?.baseUrl ?? null,
      }
    },

    'notes.add': (input) => ready().notes.add(input),
    'notes.list': ({ sessionId }) => ready().notes.list(sessionId),
    'notes.update': ({ id, text }) => ready().notes.update(id, text),
    'notes.delete': ({ id }) => {
      ready().notes.remove(id)
      return { deleted: true as const }
    },

    'evaluations.get': ({ sessionId }) => ready().evaluations.get(sessionId),
    'evaluations.save': (draft) => ready().evaluations.save(draft),
    'evaluations.complete': (draft) => ready().evaluations.complete(draft),
    'evaluations.list': () => ready().evaluations.list(),

    'bundles.export': ({ sessionId }) => ready().bundles.exportSession(sessionId),
    'bundles.inspect': (file) => ready().bundles.inspect(file),
    'bundles.import': async (file) => {
      const imported = await ready().bundles.importBundle(file)
      emit('sessions.changed', { id: imported.sessionId })
      return imported
    },

    'history.search': (query) => ready().history.search(query),

    // Needs no database: the renderer sends the whole report.
    'reports.pdf': ({ html }) => printReportPdf(html, options.printPdf, log),
  }

  open()

  return {
    dispatch: createDispatch(handlers, log),
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    readWindowState: () => services?.settings.getInternal('window.state') ?? null,
    saveWindowState(state) {
      try {
        services?.settings.putInternal('window.state', state)
      } catch (error) {
        log('the window state could not be saved', error)
      }
    },
    close() {
      stopRetention?.()
      stopRetention = null
      services?.db.close()
      services = null
      listeners.clear()
    },
  }
}
