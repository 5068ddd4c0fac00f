import type { Page } from '@playwright/test'
import { rebuildFromRecording } from './live'

/** The markers missing from `text`, or found out of their order. */
export function missingInOrder(text: string, markers: readonly string[]): string[] {
  const missing: string[] = []
  let from = 0
  for (const marker of markers) {
    const at = text.indexOf(marker, from)
    if (at < 0) missing.push(marker)
    else from = at + marker.length
  }
  return missing
}

/**
 * Problem 0's text rebuilt from the recording once it matches `expected`, or after 5 s as it is
 * then: the recorder writes in batches at most every 250 ms. Never throws, so that a test can
 * record what was lost before it asserts.
 */
export async function recordedText(page: Page, databasePath: string, expected: string): Promise<string> {
  let recorded = rebuildFromRecording(databasePath)
  for (let tries = 0; recorded !== expected && tries < 20; tries++) {
    await page.waitForTimeout(250)
    recorded = rebuildFromRecording(databasePath)
  }
  return recorded
}

/** "nothing", or which edits are gone and what disagrees: the `lost` of a reliability entry. */
export function describeLoss(lostEdits: readonly string[], of: number, differences: readonly string[]): string {
  const parts = [
    ...(lostEdits.length > 0 ? [`${lostEdits.length} of ${of} edits (${lostEdits.join(', ')})`] : []),
    ...differences,
  ]
  return parts.length === 0 ? 'nothing' : parts.join('; ')
}
