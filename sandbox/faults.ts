/**
 * Fault injection for the vendor endpoints: what to break, how often, and the
 * counters tests read to assert retries. The control endpoint is never faulted.
 */
import { z } from "zod";

import { createRng, type Rng } from "./random";

export type Vendor = "telnyx" | "openai";

export interface FaultConfig {
  /** Added to every vendor response. */
  latencyMs: number;
  /** Extra delay, uniform in [0, jitterMs]. */
  jitterMs: number;
  /** Shares (0..1) of vendor requests that get a 429, a 500/503, no answer, or a truncated 200. */
  rate429: number;
  rate5xx: number;
  hangRate: number;
  malformedRate: number;
  /** `Retry-After` (seconds) on 429s; null leaves the header out. */
  retryAfterSeconds: number | null;
  /** `retry-after-ms` on 429s; null leaves the header out. */
  retryAfterMs: number | null;
  /** Requests each key may make before every further request gets a 429; null = unlimited. */
  quota: number | null;
  /** After this many more vendor requests every vendor request gets a 503; null = no outage. */
  outageAfter: number | null;
  /** Which vendor the faults hit. */
  vendor: "all" | Vendor;
}

export interface Counters {
  requests: { telnyx: number; openai: number; total: number };
  faults: {
    rate429: number;
    rate5xx: number;
    hang: number;
    malformed: number;
    quota: number;
    outage: number;
  };
}

/** No faults at all, except that 429s (when asked for) tell clients to retry after 50 ms. */
export const DEFAULT_FAULTS: Readonly<FaultConfig> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  rate429: 0,
  rate5xx: 0,
  hangRate: 0,
  malformedRate: 0,
  retryAfterSeconds: null,
  retryAfterMs: 50,
  quota: null,
  outageAfter: null,
  vendor: "all",
});

const share = z.number().min(0).max(1);
const millis = z.number().int().min(0).max(600_000);

const faultFields = {
  latencyMs: millis,
  jitterMs: millis,
  rate429: share,
  rate5xx: share,
  hangRate: share,
  malformedRate: share,
  retryAfterSeconds: z.number().int().min(0).max(86_400).nullable(),
  retryAfterMs: z.number().int().min(0).max(86_400_000).nullable(),
  quota: z.number().int().min(0).nullable(),
  outageAfter: z.number().int().min(0).nullable(),
  vendor: z.enum(["all", "telnyx", "openai"]),
};

/** A partial FaultConfig as sent to `POST /_sandbox/faults`: unknown keys are an error. */
export const faultPatchSchema = z.strictObject(faultFields).partial();

const SHARE_KEYS = ["rate429", "rate5xx", "hangRate", "malformedRate"] as const;

/** Validates a patch against the current config; returns the merged config or an error message. */
export type FaultMergeResult =
  { ok: true; faults: FaultConfig; patch: Partial<FaultConfig> } | { ok: false; message: string };

export function mergeFaults(current: FaultConfig, patch: unknown): FaultMergeResult {
  const parsed = faultPatchSchema.safeParse(patch);
  if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
  const merged: FaultConfig = { ...current };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  const total = SHARE_KEYS.reduce((sum, key) => sum + merged[key], 0);
  if (total > 1 + 1e-9) {
    return {
      ok: false,
      message: `rate429 + rate5xx + hangRate + malformedRate must not exceed 1 (got ${total})`,
    };
  }
  return { ok: true, faults: merged, patch: parsed.data };
}

export function emptyCounters(): Counters {
  return {
    requests: { telnyx: 0, openai: 0, total: 0 },
    faults: { rate429: 0, rate5xx: 0, hang: 0, malformed: 0, quota: 0, outage: 0 },
  };
}

/** What to do with one vendor request, decided when it arrives. */
export type FaultDecision =
  | { kind: "none"; delayMs: number; malformed: boolean }
  | { kind: "hang"; delayMs: number }
  | { kind: "rate429" | "quota"; delayMs: number }
  | { kind: "rate5xx"; delayMs: number; status: 500 | 503 }
  | { kind: "outage"; delayMs: number };

/** Holds the live fault config, the counters, per-key quota use and the outage countdown. */
export class FaultEngine {
  private config: FaultConfig;
  private counts = emptyCounters();
  private quotaUsed = new Map<string, number>();
  private outageLeft: number | null;
  private readonly rng: Rng;

  constructor(initial: FaultConfig, seed: number) {
    this.config = { ...initial };
    this.outageLeft = initial.outageAfter;
    this.rng = createRng(seed ^ 0x2545f491);
  }

  get faults(): FaultConfig {
    return { ...this.config };
  }

  counters(): Counters {
    return structuredClone(this.counts);
  }

  /** Applies a validated patch; a new `quota` restarts every key's allowance, a new `outageAfter` the countdown. */
  set(patch: unknown): FaultMergeResult {
    const result = mergeFaults(this.config, patch);
    if (!result.ok) return result;
    this.config = result.faults;
    if (result.patch.quota !== undefined) this.quotaUsed.clear();
    if (result.patch.outageAfter !== undefined) this.outageLeft = result.faults.outageAfter;
    return result;
  }

  /** Clears every fault (including those set at start) and zeroes the counters. */
  reset(): void {
    this.config = { ...DEFAULT_FAULTS };
    this.counts = emptyCounters();
    this.quotaUsed.clear();
    this.outageLeft = null;
  }

  /** Counts the request and decides its fate. `key` is the bearer token as sent ("" when none). */
  decide(vendor: Vendor, key: string): FaultDecision {
    this.counts.requests[vendor] += 1;
    this.counts.requests.total += 1;
    const c = this.config;
    if (c.vendor !== "all" && c.vendor !== vendor)
      return { kind: "none", delayMs: 0, malformed: false };

    const delayMs = c.latencyMs + (c.jitterMs > 0 ? Math.round(this.rng.next() * c.jitterMs) : 0);
    if (this.outageLeft !== null) {
      if (this.outageLeft === 0) {
        this.counts.faults.outage += 1;
        return { kind: "outage", delayMs };
      }
      this.outageLeft -= 1;
    }
    if (c.quota !== null) {
      const used = this.quotaUsed.get(key) ?? 0;
      if (used >= c.quota) {
        this.counts.faults.quota += 1;
        return { kind: "quota", delayMs };
      }
      this.quotaUsed.set(key, used + 1);
    }
    // One draw split into bands, so each share is the share of all requests in scope.
    let roll = this.rng.next();
    if ((roll -= c.hangRate) < 0) {
      this.counts.faults.hang += 1;
      return { kind: "hang", delayMs };
    }
    if ((roll -= c.rate429) < 0) {
      this.counts.faults.rate429 += 1;
      return { kind: "rate429", delayMs };
    }
    if ((roll -= c.rate5xx) < 0) {
      this.counts.faults.rate5xx += 1;
      return { kind: "rate5xx", delayMs, status: this.rng.chance(0.5) ? 500 : 503 };
    }
    return { kind: "none", delayMs, malformed: roll - c.malformedRate < 0 };
  }

  /** Counted only when a malformed body was actually sent (only 200s are mangled). */
  countMalformed(): void {
    this.counts.faults.malformed += 1;
  }

  /** Rate-limit view for Telnyx's x-ratelimit headers while a quota is set. */
  quotaState(key: string): { limit: number; remaining: number } | null {
    const quota = this.config.quota;
    if (quota === null) return null;
    return { limit: quota, remaining: Math.max(0, quota - (this.quotaUsed.get(key) ?? 0)) };
  }

  retryHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.config.retryAfterSeconds !== null)
      headers["retry-after"] = String(this.config.retryAfterSeconds);
    if (this.config.retryAfterMs !== null)
      headers["retry-after-ms"] = String(this.config.retryAfterMs);
    return headers;
  }
}
