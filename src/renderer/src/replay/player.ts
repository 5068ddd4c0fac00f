import { reactive } from 'vue'
import type { ReplayTimeline } from '../../../shared/replay/timeline'

export const SPEEDS = [1, 2, 4, 8, 16, 32] as const
export type Speed = (typeof SPEEDS)[number]

export interface PlayerState {
  /** The playhead, in ms since the session started. */
  tMs: number
  playing: boolean
  speed: Speed
  skipIdle: boolean
}

/** How the player is woken for the next frame; the browser's animation frames by default. */
export interface FrameSource {
  request(callback: () => void): number
  cancel(handle: number): void
}

const animationFrames: FrameSource = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
}

export interface ReplayPlayer {
  readonly state: PlayerState
  play(): void
  pause(): void
  toggle(): void
  seek(tMs: number): void
  setSpeed(speed: Speed): void
  setSkipIdle(skip: boolean): void
  dispose(): void
}

/**
 * Moves a playhead along a replay timeline: each frame it advances by the wall time that passed
 * times the speed, in play time, which skips idle gaps when asked (see PlaybackClock). Playing
 * stops at the end; playing again from the end starts over.
 */
export function createReplayPlayer(
  timeline: ReplayTimeline,
  options: { frames?: FrameSource; now?: () => number } = {},
): ReplayPlayer {
  const frames = options.frames ?? animationFrames
  const now = options.now ?? (() => performance.now())
  const state = reactive<PlayerState>({ tMs: 0, playing: false, speed: 1, skipIdle: true })
  let handle: number | null = null
  let last = 0

  const clamp = (tMs: number): number => Math.max(0, Math.min(timeline.durationMs, tMs))

  function frame(): void {
    handle = null
    if (!state.playing) return
    const at = now()
    const playMs = timeline.clock.toPlay(state.tMs, state.skipIdle) + (at - last) * state.speed
    last = at
    if (playMs >= timeline.clock.playDuration(state.skipIdle)) {
      state.tMs = timeline.durationMs
      state.playing = false
      return
    }
    state.tMs = clamp(timeline.clock.toSession(playMs, state.skipIdle))
    handle = frames.request(frame)
  }

  function play(): void {
    if (state.playing || timeline.durationMs === 0) return
    if (state.tMs >= timeline.durationMs) state.tMs = 0
    state.playing = true
    last = now()
    handle = frames.request(frame)
  }

  function pause(): void {
    state.playing = false
    if (handle !== null) frames.cancel(handle)
    handle = null
  }

  return {
    state,
    play,
    pause,
    toggle: () => (state.playing ? pause() : play()),
    seek(tMs) {
      state.tMs = clamp(tMs)
      last = now()
    },
    setSpeed(speed) {
      state.speed = speed
    },
    setSkipIdle(skip) {
      state.skipIdle = skip
    },
    dispose: pause,
  }
}
