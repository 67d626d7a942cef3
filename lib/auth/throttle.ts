/**
 * Sign-in throttling: after `maxFailures` failed attempts under one key (an
 * email, a client address) within `windowMs`, further attempts under that key
 * are refused until the oldest of those failures leaves the window.
 *
 * Failures live in a `ThrottleStore`. The in-memory one suits a single
 * instance; several instances need a shared store (Redis sorted sets map onto
 * the interface one to one).
 */

export interface ThrottleStore {
  /** Times (ms since epoch) of the failures recorded under `key` at or after `since`, oldest first. */
  failuresSince(key: string, since: number): Promise<number[]>;
  /** Records a failure under `key` at `at`; the store may forget it once `ttlMs` has passed. */
  addFailure(key: string, at: number, ttlMs: number): Promise<void>;
  /** Forgets every failure under `key`. */
  clear(key: string): Promise<void>;
}

interface Entry {
  times: number[];
  expiresAt: number;
}

/**
 * A `ThrottleStore` in this process's memory. It holds at most `maxKeys` keys,
 * dropping expired ones first and then the least recently failed, so a flood
 * of made-up emails cannot grow it without bound.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxKeys = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  async failuresSince(key: string, since: number): Promise<number[]> {
    return (this.entries.get(key)?.times ?? []).filter((time) => time >= since);
  }

  async addFailure(key: string, at: number, ttlMs: number): Promise<void> {
    const entry = this.entries.get(key);
    const times = (entry?.times ?? []).filter((time) => time > at - ttlMs);
    times.push(at);
    // Re-inserting moves the key to the end: Map order is then least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, { times, expiresAt: at + ttlMs });
    this.evict(at);
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private evict(now: number): void {
    if (this.entries.size <= this.maxKeys) return;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type AttemptOutcome = "failed" | "succeeded" | "other";

/** Serializes work per key within this process; several keys are taken in sorted order, so no deadlock. */
class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

export interface SignInThrottleOptions {
  store: ThrottleStore;
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export class SignInThrottle {
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly store: ThrottleStore;
  private readonly now: () => number;
  private readonly lock = new KeyedLock();

  constructor(options: SignInThrottleOptions) {
    this.store = options.store;
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs one sign-in attempt under the throttle: refused without running when
   * a key is blocked, otherwise its outcome is recorded. Attempts sharing a key
   * run one at a time, so a burst of parallel guesses cannot all pass the
   * check before the first failure is counted.
   */
  async attempt<T>(
    keys: readonly string[],
    run: () => Promise<{ result: T; outcome: AttemptOutcome }>,
  ): Promise<{ allowed: true; result: T } | { allowed: false; retryAfterSeconds: number }> {
    return this.lock.run(keys, async () => {
      const verdict = await this.check(keys);
      if (!verdict.allowed) return verdict;
      const { result, outcome } = await run();
      if (outcome === "failed") await this.recordFailure(keys);
      if (outcome === "succeeded") await this.recordSuccess(keys);
      return { allowed: true, result };
    });
  }

  /** Refused when any key already has `maxFailures` failures in the window; the wait is the longest of them. */
  async check(keys: readonly string[]): Promise<ThrottleVerdict> {
    const now = this.now();
    let waitMs = 0;
    for (const key of keys) {
      const failures = await this.store.failuresSince(key, now - this.windowMs + 1);
      if (failures.length < this.maxFailures) continue;
      // Attempts resume once enough failures have aged out to leave maxFailures - 1.
      const unblocking = failures[failures.length - this.maxFailures];
      if (unblocking !== undefined) waitMs = Math.max(waitMs, unblocking + this.windowMs - now);
    }
    if (waitMs <= 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async recordFailure(keys: readonly string[]): Promise<void> {
    const now = this.now();
    for (const key of keys) await this.store.addFailure(key, now, this.windowMs);
  }

  /** A successful sign-in proves the client and the email legitimate: their slates are wiped. */
  async recordSuccess(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.store.clear(key);
  }
}

/** The keys one attempt counts under; emails compare case-insensitively. */
export function throttleKeys({ email, address }: { email: string; address: string }): string[] {
  const keys = [`address:${address}`];
  const normalized = email.trim().toLowerCase().slice(0, 320);
  if (normalized !== "") keys.push(`email:${normalized}`);
  return keys;
}
