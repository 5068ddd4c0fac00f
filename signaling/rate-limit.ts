/**
 * A token bucket: holds up to `burst` tokens and refills at `perSecond`. Time comes from the
 * server's clock, so tests decide when it refills.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  /** Takes `cost` tokens if there are enough; otherwise takes none. */
  take(cost: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last)
    this.last = now
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000)
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }
}
