import { createSession, editorText, joinAsCandidate, rebuildFromRecording, sessionStatus, typeAtEnd } from './live'
import { expect, test } from './fixtures'

test('candidate and interviewer co-edit over a direct data channel; a refresh loses nothing; SQLite holds the timeline', async ({
  browser,
  page: host,
  bridge,
}) => {
  const link = await createSession(host, bridge.url)
  const candidate = await joinAsCandidate(browser, link)
  await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', 'direct')
  await expect(host.getByTestId('session-connection')).toHaveAttribute('data-mode', 'direct')
  await expect(host.getByTestId('session-presence')).toHaveAttribute('data-online', 'true')

  await typeAtEnd(candidate, 'cand-editor', '\n#candidate_typed_this')
  await expect(host.getByTestId('session-editor')).toContainText('#candidate_typed_this')
  await expect(host.getByTestId('session-editor')).toHaveAttribute('data-read-only', 'true')

  await host.getByTestId('session-coedit').click()
  await expect(host.getByTestId('session-editor')).toHaveAttribute('data-read-only', 'false')
  await typeAtEnd(host, 'session-editor', '\n#interviewer_typed_this')
  await expect(candidate.getByTestId('cand-editor')).toContainText('#interviewer_typed_this')

  await candidate.reload()
  await expect(candidate.getByTestId('cand-session')).toBeVisible()
  await expect(candidate.getByTestId('cand-editor')).toContainText('#interviewer_typed_this')
  await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', /direct|relayed/)
  await typeAtEnd(candidate, 'cand-editor', '\n#after_refresh')
  await expect(host.getByTestId('session-editor')).toContainText('#after_refresh')

  const hostText = await editorText(host, 'session-editor')
  // The candidate's editor draws the key it typed on its next frame.
  await expect.poll(() => editorText(candidate, 'cand-editor')).toBe(hostText)
  for (const marker of ['#candidate_typed_this', '#interviewer_typed_this', '#after_refresh']) {
    expect(hostText.split(marker)).toHaveLength(2)
  }
  await expect.poll(() => rebuildFromRecording(bridge.databasePath), { timeout: 5000 }).toBe(hostText)
  expect(sessionStatus(bridge.databasePath)).toEqual(['live'])
})

test('what the candidate types while the interviewer is away survives a refresh of the tab, and reaches the interviewer when they come back', async ({
  browser,
  page: host,
  bridge,
}) => {
  const link = await createSession(host, bridge.url)
  const liveView = host.url()
  const candidate = await joinAsCandidate(browser, link)
  await expect(host.getByTestId('session-presence')).toHaveAttribute('data-online', 'true')

  // The interviewer leaves the live view: the link is down, nobody else holds what comes next.
  await host.getByTestId('nav-sessions').click()
  await expect(candidate.getByTestId('cand-connection')).not.toHaveAttribute('data-mode', /^(direct|relayed)$/)
  await typeAtEnd(candidate, 'cand-editor', '\n#typed_while_alone')
  // At once: the page's own copy in IndexedDB is all there is of these keys.
  await candidate.reload()

  await host.goto(liveView)
  await expect(host.getByTestId('session-editor')).toContainText('#typed_while_alone')
  await expect(candidate.getByTestId('cand-editor')).toContainText('#typed_while_alone')
  const hostText = await editorText(host, 'session-editor')
  expect(hostText.split('#typed_while_alone')).toHaveLength(2)
  await expect.poll(() => editorText(candidate, 'cand-editor')).toBe(hostText)
})

test('forced relay works end to end and the signaling server only ever carries ciphertext', async ({
  browser,
  page: host,
  bridge,
}) => {
  const link = await createSession(host, bridge.url, 1)
  // The live view reads `?relay=1` when it opens.
  await host.goto(`${host.url()}?relay=1`)
  await host.reload()
  await expect(host.getByTestId('session-link')).toBeVisible()

  const relayedPayloads: string[] = []
  const context = await browser.newContext()
  const candidate = await context.newPage()
  candidate.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => relayedPayloads.push(String(payload)))
    socket.on('framereceived', ({ payload }) => relayedPayloads.push(String(payload)))
  })
  await candidate.goto(link)
  await candidate.getByTestId('cand-name').fill('Grace Hopper')
  await candidate.getByTestId('cand-join-button').click()
  await expect(candidate.getByTestId('cand-connection')).toHaveAttribute('data-mode', 'relayed')
  await expect(host.getByTestId('session-connection')).toHaveAttribute('data-mode', 'relayed')
  await expect(candidate.getByTestId('cand-editor')).toHaveAttribute('data-ready', 'true')

  await typeAtEnd(candidate, 'cand-editor', '\n#secret_relay_text')
  await expect(host.getByTestId('session-editor')).toContainText('#secret_relay_text')

  const relayFrames = relayedPayloads.filter((p) => p.includes('"relay"'))
  expect(relayFrames.length).toBeGreaterThan(0)
  const secret = new URL(link).hash.slice(1)
  for (const payload of relayedPayloads) {
    expect(payload).not.toContain('secret_relay_text')
    expect(payload).not.toContain('Grace Hopper')
    expect(payload).not.toContain(secret)
  }
  for (const frame of relayFrames) {
    const { data } = JSON.parse(frame) as { data: string }
    expect(data).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
    expect(Buffer.from(data, 'base64').toString('latin1')).not.toContain('secret_relay_text')
  }
})

test('a wrong secret is refused, and a tab with only the room id can neither join nor read', async ({
  browser,
  page: host,
  bridge,
}) => {
  const link = await createSession(host, bridge.url, 1)
  const url = new URL(link)
  const secret = url.hash.slice(1)
  const wrong = `${url.origin}${url.pathname}#${secret.slice(0, -4)}${secret.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`

  const context = await browser.newContext()
  const intruder = await context.newPage()
  await intruder.goto(wrong)
  await expect(intruder.getByTestId('cand-error')).toHaveAttribute('data-code', 'bad-key')

  const bare = await context.newPage()
  await bare.goto(`${url.origin}${url.pathname}`)
  await expect(bare.getByTestId('cand-error')).toHaveAttribute('data-code', 'incomplete-link')
  await expect(bare.getByTestId('cand-statement')).toHaveCount(0)
  await expect(host.getByTestId('session-presence')).toHaveAttribute('data-online', 'false')
})
