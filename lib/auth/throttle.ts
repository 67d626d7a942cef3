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
  /**
   * The clock the store's times are on, when it is not this process's: one
   * that several instances share (the database's), so that they agree on
   * which failures are inside the window whatever their own clocks say.
   */
  now?(): Promise<number>;
}

interface Entry {
  times: number[];
  expiresAt: number;
}

/**
 * A `ThrottleStore` in this process's memory, holding at most `maxKeys` keys.
 * When full it drops expired keys first, then the keys with the fewest
 * failures (oldest first among equals): a flood of made-up emails or
 * addresses, each failing once, is what gets dropped, never the count built
 * up against a real admin.
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
    this.entries.delete(key);
    this.entries.set(key, { times, expiresAt: at + ttlMs });
    this.evict(at, key);
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private evict(now: number, keep: string): void {
    if (this.entries.size <= this.maxKeys) return;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    if (this.entries.size <= this.maxKeys) return;
    // Drop a tenth at once, so a flood costs one sort per thousand keys, not one per key.
    const excess = this.entries.size - this.maxKeys + Math.ceil(this.maxKeys / 10);
    const victims = [...this.entries]
      .filter(([key]) => key !== keep)
      .map(([key, entry], order) => ({ key, failures: entry.times.length, order }))
      .sort((a, b) => a.failures - b.failures || a.order - b.order)
      .slice(0, excess);
    for (const victim of victims) this.entries.delete(victim.key);
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

/** Who an attempt is: the email it names (normalized; "" when none) and the client's address bucket. */
export interface AttemptIdentity {
  email: string;
  address: string;
}

export interface ThrottlePolicy {
  /** Failures of one email from one address before that pair is locked for the window. */
  pairMaxFailures: number;
  /** Failures of one address, whatever the emails, before it is locked for the window. */
  addressMaxFailures: number;
  /** Failures of one email, from anywhere, before each further attempt must wait. */
  emailFreeFailures: number;
  /** The first wait after the free failures; it doubles with each further failure. */
  emailBaseDelayMs: number;
  /** The longest wait between attempts on one email. */
  emailMaxDelayMs: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  pairMaxFailures: 5,
  addressMaxFailures: 20,
  emailFreeFailures: 3,
  emailBaseDelayMs: 1_000,
  emailMaxDelayMs: 60_000,
  windowMs: 15 * 60_000,
};

export interface SignInThrottleOptions {
  store: ThrottleStore;
  policy?: Partial<ThrottlePolicy>;
  /** The clock; by default the store's own (`ThrottleStore.now`), else this process's. */
  now?: () => number | Promise<number>;
}

/** The store keys of an attempt. Emails compare case-insensitively. */
export function throttleKeys(identity: AttemptIdentity) {
  const email = identity.email.trim().toLowerCase().slice(0, 320);
  return {
    address: `address:${identity.address}`,
    email: email === "" ? null : `email:${email}`,
    pair: email === "" ? null : `pair:${email}|${identity.address}`,
  };
}

/**
 * The sign-in policy. Guessing is stopped three ways without handing an
 * attacker a way to lock the real admin out:
 *
 * - one email from one address: locked after `pairMaxFailures` failures in
 *   the window (the attacker's own pair, not the admin's);
 * - one email from anywhere: after `emailFreeFailures` failures, each further
 *   attempt must wait a delay that doubles per failure up to
 *   `emailMaxDelayMs`, so guesses from many addresses slow to one a minute
 *   while the admin waits at most that long;
 * - one address, any emails: locked after `addressMaxFailures` failures.
 *
 * A success clears the pair and the email.
 */
export class SignInThrottle {
  readonly policy: ThrottlePolicy;
  private readonly store: ThrottleStore;
  private readonly now: () => number | Promise<number>;
  private readonly lock = new KeyedLock();

  constructor(options: SignInThrottleOptions) {
    this.store = options.store;
    this.policy = { ...DEFAULT_THROTTLE_POLICY, ...options.policy };
    const store = options.store;
    this.now = options.now ?? (store.now ? () => store.now!() : Date.now);
  }

  /**
   * Runs one sign-in attempt under the throttle: refused without running when
   * the identity must wait, otherwise its outcome is recorded against the
   * identity `run` reports (the email whose password was actually checked).
   * Attempts sharing a key run one at a time in this process, so a burst of
   * parallel guesses cannot all pass the check before the first failure counts.
   */
  async attempt<T>(
    identity: AttemptIdentity,
    run: () => Promise<{ result: T; outcome: AttemptOutcome; checked?: AttemptIdentity }>,
  ): Promise<{ allowed: true; result: T } | { allowed: false; retryAfterSeconds: number }> {
    const keys = throttleKeys(identity);
    const lockKeys = [keys.address, keys.email, keys.pair].filter((k): k is string => k !== null);
    return this.lock.run(lockKeys, async () => {
      const verdict = await this.check(identity);
      if (!verdict.allowed) return verdict;
      const { result, outcome, checked } = await run();
      if (outcome === "failed") await this.recordFailure(checked ?? identity);
      if (outcome === "succeeded") await this.recordSuccess(checked ?? identity);
      return { allowed: true, result };
    });
  }

  /** Allowed, or how long the identity must wait (the longest of its keys' waits). */
  async check(identity: AttemptIdentity): Promise<ThrottleVerdict> {
    const { windowMs } = this.policy;
    const now = await this.now();
    const since = now - windowMs + 1;
    const keys = throttleKeys(identity);
    let waitMs = 0;
    const lockout = async (key: string | null, max: number) => {
      if (!key) return;
      const failures = await this.store.failuresSince(key, since);
      if (failures.length < max) return;
      // Attempts resume once enough failures have aged out to leave max - 1.
      const unblocking = failures[failures.length - max];
      if (unblocking !== undefined) waitMs = Math.max(waitMs, unblocking + windowMs - now);
    };
    await lockout(keys.pair, this.policy.pairMaxFailures);
    await lockout(keys.address, this.policy.addressMaxFailures);
    if (keys.email) {
      const failures = await this.store.failuresSince(keys.email, since);
      const beyond = failures.length - this.policy.emailFreeFailures;
      const last = failures.at(-1);
      if (beyond >= 0 && last !== undefined) {
        const delay = Math.min(
          this.policy.emailBaseDelayMs * 2 ** beyond,
          this.policy.emailMaxDelayMs,
        );
        waitMs = Math.max(waitMs, last + delay - now);
      }
    }
    if (waitMs <= 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async recordFailure(identity: AttemptIdentity): Promise<void> {
    const now = await this.now();
    const keys = throttleKeys(identity);
    for (const key of [keys.address, keys.email, keys.pair]) {
      if (key) await this.store.addFailure(key, now, this.policy.windowMs);
    }
  }

  /** A successful sign-in proves the email legitimate from that address: their slates are wiped. */
  async recordSuccess(identity: AttemptIdentity): Promise<void> {
    const keys = throttleKeys(identity);
    for (const key of [keys.email, keys.pair]) if (key) await this.store.clear(key);
  }
}
