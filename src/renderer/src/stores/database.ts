import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DatabaseStatus } from '../../../shared/app-status'
import { useHost } from '../host'
import { errorMessage } from '../lib/errors'

/** Whether the SQLite file opened; the startup gate shows the app only when it is ready. */
export const useDatabaseStore = defineStore('database', () => {
  const host = useHost()
  const status = ref<DatabaseStatus | null>(null)
  const checking = ref(false)
  /** The host could not be asked at all (for example, the bridge is down). */
  const unreachable = ref<string | null>(null)
  const moving = ref(false)
  const moveError = ref<string | null>(null)
  /** Where the broken file went, once the user moved it aside. */
  const movedTo = ref<string | null>(null)

  async function check(): Promise<void> {
    checking.value = true
    try {
      status.value = await host.app.databaseStatus()
      unreachable.value = null
    } catch (error) {
      unreachable.value = errorMessage(error)
    } finally {
      checking.value = false
    }
  }

  async function moveAside(): Promise<void> {
    moving.value = true
    moveError.value = null
    try {
      const moved = await host.app.moveDatabaseAside()
      movedTo.value = moved.movedTo
      status.value = moved.status
    } catch (error) {
      moveError.value = errorMessage(error)
    } finally {
      moving.value = false
    }
  }

  function dismissMoved(): void {
    movedTo.value = null
  }

  return { status, checking, unreachable, moving, moveError, movedTo, check, moveAside, dismissMoved }
})
