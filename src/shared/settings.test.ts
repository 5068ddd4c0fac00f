import { describe, expect, it } from 'vitest'
import { DEFAULT_RUBRIC, RemoteUrlSchema, SettingsPatchSchema, SettingsSchema } from './settings'
import { describeIssues, parseWith } from './validation'

function patchIssues(value: unknown): string {
  const parsed = parseWith(SettingsPatchSchema, value)
  return parsed.ok ? '' : describeIssues(parsed.issues)
}

describe('settings', () => {
  it('defaults to the embedded server, no ICE servers, Python without a time limit and four criteria', () => {
    expect(SettingsSchema.parse({})).toEqual({
      theme: 'system',
      signaling: { mode: 'embedded', remoteUrl: '' },
      iceServers: [],
      interviewerName: 'Interviewer',
      defaultLanguage: 'python',
      defaultTimeLimitMinutes: null,
      rubric: ['Problem solving', 'Code quality', 'Communication', 'Testing'],
      retentionDays: null,
    })
    expect(DEFAULT_RUBRIC).toHaveLength(4)
  })

  it('keeps interviews forever by default, or 1 to 3650 whole days', () => {
    expect(patchIssues({ retentionDays: null })).toBe('')
    expect(patchIssues({ retentionDays: 1 })).toBe('')
    expect(patchIssues({ retentionDays: 3650 })).toBe('')
    const range = 'retentionDays: must be a whole number of days from 1 to 3650 (ten years)'
    for (const days of [0, -5, 3651, 2.5, '30']) expect(patchIssues({ retentionDays: days }), String(days)).toBe(range)
  })

  it('a patch names only what it changes: no defaults fill in the other keys', () => {
    expect(SettingsPatchSchema.parse({ theme: 'dark' })).toEqual({ theme: 'dark' })
    expect(Object.keys(SettingsPatchSchema.shape).sort()).toEqual(Object.keys(SettingsSchema.shape).sort())
  })

  it('accepts https URLs, with a path prefix, and http only on localhost or 127.0.0.1', () => {
    for (const url of [
      'https://duet.example.com',
      'https://duet.example.com:8443/interviews/',
      'http://localhost:8787',
      'http://127.0.0.1:8787',
    ]) {
      expect(patchIssues({ signaling: { mode: 'remote', remoteUrl: url } }), url).toBe('')
    }
    expect(SettingsPatchSchema.parse({ signaling: { mode: 'remote', remoteUrl: '  https://a.example ' } })).toEqual({
      signaling: { mode: 'remote', remoteUrl: 'https://a.example' },
    })
  })

  it('refuses a remote mode without an https URL, naming the field and saying why TLS', () => {
    for (const url of ['', 'duet.example.com', 'http://duet.example.com', 'ws://duet.example.com', 'http://10.0.0.5']) {
      const issues = patchIssues({ signaling: { mode: 'remote', remoteUrl: url } })
      expect(issues, url).toMatch(/^signaling\.remoteUrl: must be an https:\/\/ URL, like https:\/\/duet\.example\.com/)
      expect(issues, url).toContain('needs TLS')
    }
  })

  it('refuses credentials, a query or a fragment in the remote URL', () => {
    expect(patchIssues({ signaling: { mode: 'remote', remoteUrl: 'https://me:pw@duet.example.com' } })).toBe(
      'signaling.remoteUrl: must not hold a user name or password',
    )
    expect(patchIssues({ signaling: { mode: 'remote', remoteUrl: 'https://duet.example.com/?x=1' } })).toBe(
      'signaling.remoteUrl: must not have a ?query or a #fragment',
    )
  })

  it('keeps an unfinished remote URL while embedded is chosen', () => {
    expect(patchIssues({ signaling: { mode: 'embedded', remoteUrl: 'duet.exam' } })).toBe('')
  })

  it('checks ICE servers: a TURN entry needs its credentials', () => {
    expect(patchIssues({ iceServers: [{ urls: 'stun:stun.example.org:3478' }] })).toBe('')
    expect(patchIssues({ iceServers: [{ urls: 'turn:turn.example.org:3478' }] })).toBe(
      'iceServers[0]: a TURN server needs a username and a credential',
    )
  })

  it('checks a URL to test the same way', () => {
    expect(RemoteUrlSchema.safeParse('http://127.0.0.1:1').success).toBe(true)
    expect(RemoteUrlSchema.safeParse('http://duet.example.com').success).toBe(false)
  })

  it('trims the interviewer name and asks for one', () => {
    expect(SettingsPatchSchema.parse({ interviewerName: '  Grace Hopper ' })).toEqual({
      interviewerName: 'Grace Hopper',
    })
    expect(patchIssues({ interviewerName: '   ' })).toBe(
      'interviewerName: enter the name the candidate sees, like "Ada Lovelace"',
    )
    expect(patchIssues({ interviewerName: 'x'.repeat(81) })).toBe('interviewerName: must be at most 80 characters')
  })

  it('takes a default time limit of 5 to 480 whole minutes, or none', () => {
    expect(patchIssues({ defaultTimeLimitMinutes: null })).toBe('')
    expect(patchIssues({ defaultTimeLimitMinutes: 45 })).toBe('')
    expect(patchIssues({ defaultTimeLimitMinutes: 4 })).toBe('defaultTimeLimitMinutes: must be at least 5 minutes')
    expect(patchIssues({ defaultTimeLimitMinutes: 481 })).toBe(
      'defaultTimeLimitMinutes: must be at most 480 minutes (8 hours)',
    )
    expect(patchIssues({ defaultTimeLimitMinutes: 30.5 })).toBe(
      'defaultTimeLimitMinutes: must be a whole number of minutes',
    )
    expect(patchIssues({ defaultLanguage: 'ruby' })).toMatch(/^defaultLanguage: /)
  })

  it('keeps one to twelve distinct, named rubric criteria, naming the one that is wrong', () => {
    expect(SettingsPatchSchema.parse({ rubric: [' Design ', 'Testing'] })).toEqual({ rubric: ['Design', 'Testing'] })
    expect(patchIssues({ rubric: [] })).toBe('rubric: keep at least one criterion')
    expect(patchIssues({ rubric: ['Design', ' '] })).toBe('rubric[1]: enter a name for the criterion, or remove it')
    expect(patchIssues({ rubric: ['Design', 'Testing', 'design '] })).toBe('rubric[2]: "design" is listed twice')
    expect(patchIssues({ rubric: Array.from({ length: 13 }, (_, i) => `C${i}`) })).toBe(
      'rubric: must list at most 12 criteria',
    )
  })
})
