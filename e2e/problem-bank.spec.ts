import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { parse } from 'yaml'
import { readProblems, readTests } from './db'
import { expect, test } from './fixtures'

const STARTER_COUNT = 15

/** Types into a Monaco editor the way a user does: click, select all, type. */
async function typeCode(page: Page, testId: string, code: string): Promise<void> {
  const editor = page.getByTestId(testId).locator('.monaco-editor').first()
  await expect(editor).toBeVisible()
  await editor.click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(code)
}

test('create, edit, search and delete a problem through the UI; the SQLite file holds each result', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url)
  await expect(page.getByTestId('problem-row')).toHaveCount(STARTER_COUNT)
  expect(readProblems(bridge.databasePath)).toHaveLength(STARTER_COUNT)

  await page.getByTestId('problem-new').click()
  await page.getByTestId('field-title').fill('Sum of squares')
  await expect(page.getByTestId('field-slug')).toHaveValue('sum-of-squares')
  await page.getByTestId('field-difficulty').selectOption('middle')
  await page.getByTestId('field-tags').fill('math, loops')
  await page.getByTestId('field-description').fill('Return the **sum** of the squares of `xs`.')
  await page.getByTestId('field-entry').fill('sum_squares')
  await typeCode(page, 'field-starter-python', 'def sum_squares(xs):\n    pass\n')
  await page.getByTestId('test-name').first().fill('small')
  await page.getByTestId('test-args').first().fill('[[1, 2]]')
  await page.getByTestId('test-expected').first().fill('5')
  await page.getByTestId('test-add').click()
  await page.getByTestId('test-name').nth(1).fill('empty')
  await page.getByTestId('test-args').nth(1).fill('[[]]')
  await page.getByTestId('test-expected').nth(1).fill('0')
  await page.getByTestId('test-hidden').nth(1).check()
  await page.getByTestId('problem-save').click()
  await expect(page.getByTestId('problem-title')).toHaveText('Sum of squares')

  const created = readProblems(bridge.databasePath).find((p) => p.slug === 'sum-of-squares')
  expect(created).toMatchObject({ title: 'Sum of squares', difficulty: 'middle' })
  expect(created?.starter_python).toContain('def sum_squares(xs):')
  expect(readTests(bridge.databasePath, 'sum-of-squares')).toEqual([
    { name: 'small', hidden: 0 },
    { name: 'empty', hidden: 1 },
  ])

  await page.getByTestId('problem-edit').click()
  await page.getByTestId('field-title').fill('Sum of squares, revisited')
  await page.getByTestId('problem-save').click()
  await expect(page.getByTestId('problem-title')).toHaveText('Sum of squares, revisited')
  expect(readProblems(bridge.databasePath).find((p) => p.slug === 'sum-of-squares')?.title).toBe(
    'Sum of squares, revisited',
  )

  await page.getByTestId('nav-bank').click()
  await page.getByTestId('bank-search').fill('squares')
  await expect(page.getByTestId('problem-row')).toHaveCount(1)
  await expect(page.getByTestId('problem-row')).toContainText('Sum of squares, revisited')
  await page.getByTestId('filter-difficulty').selectOption('senior')
  await expect(page.getByTestId('bank-empty')).toBeVisible()
  await page.getByTestId('filter-difficulty').selectOption('middle')
  await expect(page.getByTestId('problem-row')).toHaveCount(1)

  await page.getByTestId('problem-row').click()
  await page.getByTestId('problem-delete').click()
  await page.getByTestId('confirm-yes').click()
  // Back on the list, the search still asks for the deleted problem.
  await expect(page.getByTestId('bank-empty')).toBeVisible()
  await page.getByTestId('bank-search').fill('')
  await page.getByTestId('filter-difficulty').selectOption('')
  await expect(page.getByTestId('problem-row')).toHaveCount(STARTER_COUNT)
  expect(readProblems(bridge.databasePath).some((p) => p.slug === 'sum-of-squares')).toBe(false)
  expect(readProblems(bridge.databasePath)).toHaveLength(STARTER_COUNT)
})

const BROKEN_PACK = `format: duet-problem-pack
version: 1
problems:
  - title: Broken
    slug: broken
    difficulty: junior
    entryFunction: f
    starterCode: { python: "def f(): pass" }
    solution: { python: "def f(): return 1" }
    tests:
      - { name: one, args: [] }
`

const GOOD_PACK = `format: duet-problem-pack
version: 1
problems:
  - title: Double it
    slug: double-it
    difficulty: junior
    entryFunction: double
    starterCode: { python: "def double(n):\\n    pass\\n" }
    solution: { python: "def double(n):\\n    return 2 * n\\n" }
    tests:
      - { name: two, args: [2], expected: 4 }
  - title: Balanced brackets, our version
    slug: balanced-brackets
    difficulty: junior
    entryFunction: is_balanced
    starterCode: { javascript: "function is_balanced(s) {}" }
    solution: { javascript: "function is_balanced(s) { return s.length % 2 === 0 }" }
    tests: []
`

test('import a broken pack, then a good one with a conflict, and export the bank', async ({ page, bridge }) => {
  await page.goto(bridge.url)
  await expect(page.getByTestId('problem-row')).toHaveCount(STARTER_COUNT)
  await page.getByTestId('bank-import').click()

  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(BROKEN_PACK),
  })
  await expect(page.getByTestId('import-errors')).toContainText('problems[0].tests[0].expected')
  await expect(page.getByTestId('import-errors')).toContainText('required')
  expect(readProblems(bridge.databasePath)).toHaveLength(STARTER_COUNT)

  await page.getByTestId('import-file').setInputFiles({
    name: 'good.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(GOOD_PACK),
  })
  await expect(page.getByTestId('import-conflicts')).toContainText('balanced-brackets')
  await page.getByTestId('import-policy-keep-both').check()
  await page.getByTestId('import-confirm').click()
  await expect(page.getByTestId('import-result')).toBeVisible()
  const slugs = readProblems(bridge.databasePath).map((p) => p.slug)
  expect(slugs).toHaveLength(STARTER_COUNT + 2)
  expect(slugs).toContain('double-it')
  expect(slugs).toContain('balanced-brackets')
  expect(slugs.filter((s) => s.startsWith('balanced-brackets-'))).toHaveLength(1)

  await page.getByTestId('nav-bank').click()
  await page.getByTestId('bank-export').click()
  await page.getByTestId('export-select-all').check()
  await page.getByTestId('export-format').selectOption('yaml')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()])
  const path = await download.path()
  const exported = parse(await readFile(path, 'utf8')) as { format: string; problems: { slug: string }[] }
  expect(exported.format).toBe('duet-problem-pack')
  expect(exported.problems.map((p) => p.slug).sort()).toEqual([...slugs].sort())
})

const HOSTILE_PACK = `format: duet-problem-pack
version: 1
problems:
  - title: Hostile statement
    slug: hostile-statement
    difficulty: junior
    entryFunction: f
    description: |
      # Heading

      <script>window.__pwned = 1</script>
      <img src=x onerror="window.__pwned = 2">
      [click me](javascript:window.__pwned=3)
    starterCode: { python: "def f():\\n    pass\\n" }
    solution: { python: "def f():\\n    return 1\\n" }
`

test('a problem statement renders Markdown and cannot run script', async ({ page, bridge }) => {
  await page.goto(bridge.url)
  await page.getByTestId('bank-import').click()
  await page.getByTestId('import-file').setInputFiles({
    name: 'hostile.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(HOSTILE_PACK),
  })
  await page.getByTestId('import-confirm').click()
  await expect(page.getByTestId('import-result')).toBeVisible()
  await page.getByTestId('nav-bank').click()
  await page.getByTestId('bank-search').fill('hostile')
  await expect(page.getByTestId('problem-row')).toHaveCount(1)
  await page.getByTestId('problem-row').click()

  const description = page.getByTestId('problem-description')
  await expect(description.locator('h1')).toHaveText('Heading')
  await expect(description.locator('script, img, [onerror]')).toHaveCount(0)
  await expect(description.locator('a[href^="javascript:"]')).toHaveCount(0)
  await description.getByText('click me').click()
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined()
})
