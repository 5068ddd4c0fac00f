import type { Awareness } from 'y-protocols/awareness'
import { remoteCursorCss, type AwarenessChange } from '../../shared/sync/presence'

/**
 * y-monaco marks the peer's cursor with per-client classes; their colours and names come from a
 * style element kept in step with the awareness states. It is rewritten only when the CSS
 * changes: each keystroke moves a cursor, and a rewritten sheet restyles the whole page.
 */
export function attachCursorStyles(awareness: Awareness): () => void {
  const style = document.createElement('style')
  document.head.append(style)
  const render = (): void => {
    const css = remoteCursorCss(awareness.getStates(), awareness.clientID)
    if (style.textContent !== css) style.textContent = css
  }
  // Our own state changes with every cursor move and is not styled: only other clients' count.
  const onChange = ({ added, updated, removed }: AwarenessChange): void => {
    if ([...added, ...updated, ...removed].some((clientId) => clientId !== awareness.clientID)) render()
  }
  awareness.on('change', onChange)
  render()
  return () => {
    awareness.off('change', onChange)
    style.remove()
  }
}
