import { computed, onScopeDispose, shallowRef, watch, type ComputedRef, type Ref } from 'vue'
import { countdownAt, durationText, levelMessage, type Countdown, type TimedState } from '../../shared/timer'

/** Often enough that the seconds never visibly stall. */
const TICK_MS = 250

/**
 * The session countdown, re-read from the host's clock every tick while the calling component
 * (or effect scope) lives. `hostNow` is the host's clock: `Date.now()` in the app, the local clock
 * plus the estimated offset on the candidate's page.
 */
export function useCountdown(state: () => TimedState | null, hostNow: () => number): ComputedRef<Countdown | null> {
  const now = shallowRef(hostNow())
  const timer = setInterval(() => {
    now.value = hostNow()
  }, TICK_MS)
  onScopeDispose(() => clearInterval(timer))
  return computed(() => {
    const timed = state()
    return timed ? countdownAt(timed, now.value) : null
  })
}

/**
 * What the timer tells both people, shown beside the clock in a polite live region: the latest
 * warning, or how much time was just added. Screen readers hear it when it changes, not what
 * was already there when the page opened.
 */
export function useTimerNotice(
  countdown: ComputedRef<Countdown | null>,
  timeLimitMs: () => number | null,
): Ref<string> {
  const notice = shallowRef(levelMessage(countdown.value?.level ?? 'running') ?? '')
  const level = computed(() => countdown.value?.level ?? 'running')
  watch(level, (current) => {
    notice.value = levelMessage(current) ?? ''
  })
  // Registered second: when an extension also changes the level, the extension is what to say.
  watch(timeLimitMs, (limit, before) => {
    const remaining = countdown.value?.remainingMs
    if (limit === null || before === null || before === undefined || limit <= before || remaining === undefined) return
    notice.value = `Time extended: ${durationText(remaining)} left`
  })
  return notice
}
