/**
 * At most one call per key per `intervalMs` (e.g. one test send per connector per second). One instance
 * per app context (built by `createContext`), so two engines in one process never share it; it limits
 * this process only, which is what it is for: a stuck button or a retrying script cannot hammer a provider.
 */
export class IntervalLimiter {
  private readonly last = new Map<string, number>();

  constructor(
    readonly intervalMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes the key's slot at `now`, or says how long until it is free (nothing is taken then). */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterMs: number } {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) {
      return { ok: false, retryAfterMs: this.intervalMs - (now - previous) };
    }
    // Keys stay in time order (delete, then set), so the expired ones are at the front.
    this.last.delete(key);
    for (const [k, at] of this.last) {
      if (this.last.size < this.maxKeys) break;
      if (now - at < this.intervalMs) {
        // Every key is inside its interval: refuse rather than forget one and admit it early.
        return { ok: false, retryAfterMs: this.intervalMs - (now - at) };
      }
      this.last.delete(k);
    }
    this.last.set(key, now);
    return { ok: true };
  }
}
