import { createInputBuffer } from '../../shared/exec/input-channel'
import type { Runner, StopMode } from '../../shared/exec/run'
import type { Language } from '../../shared/problem'
import { WorkerRunner } from './worker-runner'

export interface CreateRunnerOptions {
  /**
   * 'respawn' replaces the worker to stop a program even where it could be interrupted in place
   * (tests and benchmarks of that path). Python is interrupted in place only on a cross-origin
   * isolated page; JavaScript is always respawned.
   */
  stopMode?: StopMode
  /**
   * Run every Python program in a new interpreter, the next one loaded ahead (JavaScript always
   * does). For the interviewer's app, where each run is some candidate's code: nothing one leaves
   * in the interpreter can reach another session's runs or the problem bank's reference checks.
   */
  freshPythonPerRun?: boolean
}

/** How long a Python program may take to honour an interrupt before its worker is replaced. */
const STOP_GRACE_MS = 1000

// Vite finds workers by this exact `new Worker(new URL(…, import.meta.url), { type: 'module' })`
// form, and names the built chunk after the file (see runnerWorkerKind in security-headers).
const spawnPython = () =>
  new Worker(new URL('./python-runner.worker.ts', import.meta.url), { type: 'module', name: 'Python runner' })
const spawnJavaScript = () =>
  new Worker(new URL('./javascript-runner.worker.ts', import.meta.url), { type: 'module', name: 'JavaScript runner' })

/** A runner for `language`; its worker starts loading at once. */
export function createRunner(language: Language, options: CreateRunnerOptions = {}): Runner {
  // SharedArrayBuffer exists only on cross-origin isolated pages.
  const isolated = globalThis.crossOriginIsolated === true
  if (language === 'javascript') {
    return new WorkerRunner({
      language,
      runtimeName: 'JavaScript',
      spawn: spawnJavaScript,
      stopMode: 'respawn',
      outputTail: isolated,
      workerPerRun: true,
      stopGraceMs: STOP_GRACE_MS,
    })
  }
  return new WorkerRunner({
    language,
    runtimeName: 'Python',
    spawn: spawnPython,
    stopMode: isolated && options.stopMode !== 'respawn' ? 'interrupt' : 'respawn',
    ...(isolated ? { inputBuffer: createInputBuffer() } : {}),
    outputTail: isolated,
    workerPerRun: options.freshPythonPerRun === true,
    stopGraceMs: STOP_GRACE_MS,
  })
}
