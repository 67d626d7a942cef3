/** Helpers both vendors' generated users share: dates, unique emails, picks. */

import type { Rng } from "./random";

/** Compares ids the way the sandbox orders them: by UTF-16 code units. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const DAY_MS = 86_400_000;
export const TELNYX_START = Date.parse("2019-03-01T09:00:00.000Z");
export const OPENAI_START = Date.parse("2023-02-01T00:00:00.000Z");
/** The sandbox's "now": fixed so that the data does not depend on the day it runs. */
export const DATA_END = Date.parse("2025-10-31T23:59:59.999Z");

/** Hands out case-insensitively unique emails, numbering repeats (`jane.doe2@...`). */
export class EmailRegistry {
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  claim(local: string, domain: string): string {
    let email = `${local}@${domain}`;
    const base = email.toLowerCase();
    let suffix = this.nextSuffix.get(base) ?? 2;
    while (this.taken.has(email.toLowerCase())) email = `${local}${suffix++}@${domain}`;
    this.nextSuffix.set(base, suffix);
    this.taken.add(email.toLowerCase());
    return email;
  }

  /** For hand-written hard cases: they are unique by construction. */
  replace(previous: string | null | undefined, next: string): string {
    if (previous) this.taken.delete(previous.toLowerCase());
    if (this.taken.has(next.toLowerCase())) throw new Error(`duplicate sandbox email ${next}`);
    this.taken.add(next.toLowerCase());
    return next;
  }
}

export function asciiLocal(rng: Rng, first: string, last: string): string {
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  const local = rng.pick([`${f}.${l}`, `${f}.${l}`, `${f[0]}${l}`, `${f}_${l}`, `${f}${l[0]}`]);
  // Some people's addresses keep capitals; the vendors keep them as entered.
  return rng.chance(0.05) ? `${first}.${last}` : local;
}

export function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}

/** Absent means absent on the wire: remove keys left undefined. */
export function dropUndefined<T extends object>(record: T): T {
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) delete (record as Record<string, unknown>)[key];
    else if (value && typeof value === "object" && !Array.isArray(value)) dropUndefined(value);
  }
  return record;
}
