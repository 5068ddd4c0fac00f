import type { OpenFolderResult } from '../../shared/settings'

/**
 * Opens a folder in the desktop's file manager and answers with an error message, empty on
 * success: Electron's `shell.openPath`. Injected, so host services import no Electron.
 */
export type OpenPath = (path: string) => Promise<string>

const COPY_INSTEAD = 'Copy the path and open it in your file manager.'

/** Opens the data folder where there is a desktop; elsewhere says why not, with the path to copy. */
export async function openDataFolder(path: string, openPath: OpenPath | undefined): Promise<OpenFolderResult> {
  if (openPath === undefined) {
    return {
      opened: false,
      path,
      reason: `Duet runs as the browser bridge here, which cannot open folders on the desktop. ${COPY_INSTEAD}`,
    }
  }
  let failure: string
  try {
    failure = await openPath(path)
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error)
  }
  if (failure === '') return { opened: true, path }
  return {
    opened: false,
    path,
    reason: `The folder could not be opened (${failure.replace(/\.+$/, '')}). ${COPY_INSTEAD}`,
  }
}
