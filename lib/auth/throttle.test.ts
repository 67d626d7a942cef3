import { describe, expect, it } from "vitest";

import { MemoryThrottleStore, SignInThrottle, throttleKeys } from "./throttle";

const MINUTE = 60_000;

function setup(start = 1_700_000_000_000) {
  let now = start;
  const store = new MemoryThrottleStore();
  const throttle = new SignInThrottle({ store, now: () => now });
  return {
    store,
    throttle,
    advance(ms: number) {
      now += ms;
    },
  };
}

async function fail(throttle: SignInThrottle, keys: string[], times: number) {
  for (let i = 0; i < times; i++) await throttle.recordFailure(keys);
}

describe("SignInThrottle", () => {
  it("allows five failures and refuses the sixth attempt within 15 minutes", async () => {
    const { throttle } = setup();
    const keys = throttleKeys({ email: "a@example.com", address: "10.0.0.1" });
    for (let i = 0; i < 5; i++) {
      expect(await throttle.check(keys)).toEqual({ allowed: true });
      await throttle.recordFailure(keys);
    }
    expect(await throttle.check(keys)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 });
  });

  it("counts an email across addresses, case-insensitively", async () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) {
      await throttle.recordFailure(
        throttleKeys({ email: i % 2 ? "A@Example.com" : "a@example.com", address: `10.0.0.${i}` }),
      );
    }
    const verdict = await throttle.check(
      throttleKeys({ email: "a@example.com ", address: "10.9.9.9" }),
    );
    expect(verdict.allowed).toBe(false);
    expect(
      await throttle.check(throttleKeys({ email: "b@example.com", address: "10.9.9.9" })),
    ).toEqual({ allowed: true });
  });

  it("counts an address across emails", async () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++)
      await throttle.recordFailure(
        throttleKeys({ email: `u${i}@example.com`, address: "10.0.0.7" }),
      );
    expect(
      (await throttle.check(throttleKeys({ email: "new@example.com", address: "10.0.0.7" })))
        .allowed,
    ).toBe(false);
    expect(
      (await throttle.check(throttleKeys({ email: "new@example.com", address: "10.0.0.8" })))
        .allowed,
    ).toBe(true);
  });

  it("forgets failures older than the window and says how long to wait", async () => {
    const { throttle, advance } = setup();
    const keys = ["email:a@example.com"];
    await fail(throttle, keys, 1);
    advance(10 * MINUTE);
    await fail(throttle, keys, 4);
    // The first failure leaves the window 5 minutes from now.
    expect(await throttle.check(keys)).toEqual({ allowed: false, retryAfterSeconds: 5 * 60 });
    advance(5 * MINUTE - 1000);
    expect(await throttle.check(keys)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    advance(1000);
    expect(await throttle.check(keys)).toEqual({ allowed: true });
    // One more failure blocks again, until the next-oldest failure ages out.
    await fail(throttle, keys, 1);
    expect(await throttle.check(keys)).toEqual({ allowed: false, retryAfterSeconds: 10 * 60 });
  });

  it("reports the longest wait when several keys are blocked", async () => {
    const { throttle, advance } = setup();
    await fail(throttle, ["address:x"], 5);
    advance(4 * MINUTE);
    await fail(throttle, ["email:y"], 5);
    expect(await throttle.check(["address:x", "email:y"])).toEqual({
      allowed: false,
      retryAfterSeconds: 15 * 60,
    });
    expect(await throttle.check(["address:x"])).toEqual({
      allowed: false,
      retryAfterSeconds: 11 * 60,
    });
  });

  it("clears both keys on success", async () => {
    const { throttle } = setup();
    const keys = throttleKeys({ email: "a@example.com", address: "10.0.0.1" });
    await fail(throttle, keys, 4);
    await throttle.recordSuccess(keys);
    await fail(throttle, keys, 4);
    expect(await throttle.check(keys)).toEqual({ allowed: true });
  });

  it("honours custom limits", async () => {
    let now = 0;
    const throttle = new SignInThrottle({
      store: new MemoryThrottleStore(),
      maxFailures: 2,
      windowMs: 1000,
      now: () => now,
    });
    await fail(throttle, ["k"], 2);
    expect(await throttle.check(["k"])).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 1000;
    expect(await throttle.check(["k"])).toEqual({ allowed: true });
  });
});

describe("SignInThrottle.attempt", () => {
  const failing = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { result: "denied", outcome: "failed" as const };
  };

  it("lets only five of a burst of parallel guesses through", async () => {
    const { throttle } = setup();
    const keys = throttleKeys({ email: "a@example.com", address: "10.0.0.1" });
    let ran = 0;
    const verdicts = await Promise.all(
      Array.from({ length: 20 }, () =>
        throttle.attempt(keys, () => {
          ran++;
          return failing();
        }),
      ),
    );
    expect(ran).toBe(5);
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    expect(verdicts.filter((verdict) => !verdict.allowed)).toHaveLength(15);
  });

  it("returns the attempt's result and records its outcome", async () => {
    const { throttle } = setup();
    const keys = ["email:a@example.com"];
    await fail(throttle, keys, 4);
    expect(
      await throttle.attempt(keys, async () => ({ result: 42, outcome: "succeeded" })),
    ).toEqual({
      allowed: true,
      result: 42,
    });
    // Success cleared the four failures; "other" outcomes (a stale CSRF token) are not counted.
    await fail(throttle, keys, 4);
    await throttle.attempt(keys, async () => ({ result: null, outcome: "other" }));
    expect(await throttle.check(keys)).toEqual({ allowed: true });
  });

  it("does not hold up attempts under other keys", async () => {
    const { throttle } = setup();
    let releaseSlow = () => {};
    const slow = throttle.attempt(["email:slow@example.com"], async () => {
      await new Promise<void>((resolve) => {
        releaseSlow = resolve;
      });
      return { result: "slow", outcome: "failed" as const };
    });
    const quick = await throttle.attempt(["email:quick@example.com"], async () => ({
      result: "quick",
      outcome: "failed" as const,
    }));
    expect(quick).toEqual({ allowed: true, result: "quick" });
    releaseSlow();
    expect(await slow).toEqual({ allowed: true, result: "slow" });
  });
});

describe("MemoryThrottleStore", () => {
  it("keeps at most maxKeys keys, dropping expired ones and then the least recently failed", async () => {
    const store = new MemoryThrottleStore(3);
    await store.addFailure("old", 0, 1000);
    await store.addFailure("a", 5000, 10_000);
    await store.addFailure("b", 5001, 10_000);
    await store.addFailure("c", 5002, 10_000);
    expect(store.size).toBe(3);
    expect(await store.failuresSince("old", 0)).toEqual([]);
    await store.addFailure("a", 5003, 10_000);
    await store.addFailure("d", 5004, 10_000);
    // "b" failed least recently once "a" failed again.
    expect(await store.failuresSince("b", 0)).toEqual([]);
    expect(await store.failuresSince("a", 0)).toEqual([5000, 5003]);
    expect(store.size).toBe(3);
  });
});

describe("throttleKeys", () => {
  it("skips the email key when no email was sent", () => {
    expect(throttleKeys({ email: "  ", address: "1.2.3.4" })).toEqual(["address:1.2.3.4"]);
  });
});
