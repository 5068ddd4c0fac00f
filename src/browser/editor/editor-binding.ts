import { MonacoBinding } from 'y-monaco'

/**
 * y-monaco's binding, with one change: it redraws the peer's cursor and selection inside every
 * Y.Text change, and for a local keystroke that runs before Yjs hands the update to the link.
 * Deferred to a microtask (one redraw per burst), the update goes out first and the redraw still
 * happens before the page paints.
 */
export class EditorBinding extends MonacoBinding {
  constructor(...args: ConstructorParameters<typeof MonacoBinding>) {
    super(...args)
    const redraw = this._rerenderDecorations
    let queued = false
    this._rerenderDecorations = () => {
      if (queued) return
      queued = true
      queueMicrotask(() => {
        queued = false
        redraw()
      })
    }
  }
}
