/** The DOM id of the input for a field key: `tests[1].expected` → `pf-tests-1-expected`. */
export function fieldId(key: string): string {
  return `pf-${key.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`
}

export function errorId(key: string): string {
  return `${fieldId(key)}-error`
}
