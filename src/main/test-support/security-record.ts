// Test-only: one line in docs/reliability.md per Electron security check that passed.
import { recordReliability } from '../../test-support/reliability-log'

/** Called at the end of a check, so only a check whose assertions all held is recorded. */
export function recordSecurityCheck(
  scenario: string,
  tried: string,
  lost: string,
  measured: Record<string, string | number> = {},
): void {
  recordReliability({ area: 'electron-security', scenario, tried, lost, ...measured })
}
