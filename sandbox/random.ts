/**
 * A small seeded PRNG (mulberry32) and helpers. The sandbox never uses
 * Math.random so that the same seed gives the same users and the same fault
 * sequence on every run.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `n` hex digits. */
  hex(n: number): string;
  /** RFC 4122 version 4 UUID. */
  uuid(): string;
  /** `n` characters from [A-Za-z0-9]. */
  alnum(n: number): string;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number) => {
    let out = "";
    for (let i = 0; i < n; i++) out += int(0, 15).toString(16);
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick() from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    hex,
    uuid: () => {
      const variant = "89ab"[int(0, 3)] ?? "8";
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
    alnum: (n) => {
      let out = "";
      for (let i = 0; i < n; i++) out += ALNUM[int(0, ALNUM.length - 1)];
      return out;
    },
  };
}
