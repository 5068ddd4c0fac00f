import { describe, expect, it } from 'vitest'
import { SKIPPED_GAP_PLAY_MS } from '../../../shared/replay/playback-clock'
import { ReplayTimeline } from '../../../shared/replay/timeline'
import { createReplayPlayer, type FrameSource } from './player'

/** Frames on demand and a wall clock the test moves. */
function manualFrames(): { frames: FrameSource; now: () => number; advance(ms: number): void; pending(): boolean } {
  let wall = 0
  let waiting: (() => void) | null = null
  return {
    frames: {
      request(callback) {
        waiting = callback
        return 1
      },
      cancel() {
        waiting = null
      },
    },
    now: () => wall,
    advance(ms) {
      wall += ms
      const callback = waiting
      waiting = null
      callback?.()
    },
    pending: () => waiting !== null,
  }
}

// Things happen at 0, 1 s, 2 s and 30 s: one idle gap, from 2 s to 30 s.
const timeline = new ReplayTimeline({
  recording: {
    snapshots: [],
    events: [0, 1000, 2000, 30_000].map((tMs, i) => ({ id: i + 1, tMs, kind: 'join', problem: null, data: '' })),
  },
  problemCount: 1,
})

describe('the replay player', () => {
  it('advances by the wall time times the speed, and stops at the end', () => {
    const clock = manualFrames()
    const player = createReplayPlayer(timeline, clock)
    player.setSkipIdle(false)
    player.play()
    clock.advance(500)
    expect(player.state.tMs).toBe(500)
    player.setSpeed(4)
    clock.advance(250)
    expect(player.state.tMs).toBe(1500)
    player.setSpeed(32)
    clock.advance(1000)
    expect(player.state).toMatchObject({ tMs: 30_000, playing: false })
    expect(clock.pending()).toBe(false)

    player.play()
    expect(player.state).toMatchObject({ tMs: 0, playing: true })
    player.pause()
    expect(clock.pending()).toBe(false)
  })

  it('crosses a skipped idle gap in a moment', () => {
    const clock = manualFrames()
    const player = createReplayPlayer(timeline, clock)
    expect(player.state.skipIdle).toBe(true)
    player.seek(1500)
    player.play()
    clock.advance(500)
    expect(player.state.tMs).toBe(2000)
    clock.advance(SKIPPED_GAP_PLAY_MS / 2)
    expect(player.state.tMs).toBe(16_000)
    clock.advance(SKIPPED_GAP_PLAY_MS / 2)
    expect(player.state).toMatchObject({ tMs: 30_000, playing: false })
  })

  it('keeps seeks within the session', () => {
    const player = createReplayPlayer(timeline, manualFrames())
    player.seek(-5)
    expect(player.state.tMs).toBe(0)
    player.seek(99_999)
    expect(player.state.tMs).toBe(30_000)
  })
})
