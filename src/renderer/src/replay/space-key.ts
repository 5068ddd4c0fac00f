/**
 * Whether Space already does something where it was pressed: typing in a field, pressing a
 * button or link, ticking a box. A read-only text (the replayed code) is not such a place.
 */
export function isOwnSpaceTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement) return !target.readOnly
  return target.closest('button, a[href], input, select, summary, [role="tab"]') !== null
}
