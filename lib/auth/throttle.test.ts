import { describe, expect, it } from "vitest";

import { MemoryThrottleStore, SignInThrottle, type AttemptIdentity } from "./throttle";

const MINUTE = 60_000;

function setup(policy = {}, start = 1_700_000_000_000) {
  let now = start;
  const store = new MemoryThrottleStore();
  const throttle = new SignInThrottle({ store, policy, now: () => now });
  return {
    store,
    throttle,
    advance(ms: number) {
      now += ms;
    },
  };
}

const id = (email: string, address = "10.0.0.1"): AttemptIdentity => ({ email, address });

async function fail(throttle: SignInThrottle, identity: AttemptIdentity, times: number) {
  for (let i = 0; i < times; i++) await throttle.recordFailure(identity);
}

/** The email slowdown out of the way, to look at the lockouts alone. */
const NO_SLOWDOWN = { emailFreeFailures: 1000 };

describe("SignInThrottle", () => {
  it("locks one email from one address after five failures, for the window", async () => {
    const { throttle, advance } = setup(NO_SLOWDOWN);
    for (let i = 0; i < 5; i++) {
      expect(await throttle.check(id("a@example.com"))).toEqual({ allowed: true });
      await throttle.recordFailure(id("a@example.com"));
    }
    expect(await throttle.check(id("a@example.com"))).toEqual({
      allowed: false,
      retryAfterSeconds: 15 * 60,
    });
    // The same admin from their own address is not locked out by the attacker's pair.
    expect(await throttle.check(id("A@Example.com ", "10.0.0.2"))).toEqual({ allowed: true });
    advance(15 * MINUTE);
    expect(await throttle.check(id("a@example.com"))).toEqual({ allowed: true });
  });

  it("slows guesses at one email from many addresses, doubling the wait up to a minute", async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 3; i++) await throttle.recordFailure(id("a@example.com", `10.0.1.${i}`));
    // Three free failures, then a second's wait, then two, four, ...
    expect(await throttle.check(id("a@example.com", "10.0.2.1"))).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    advance(1000);
    expect(await throttle.check(id("a@example.com", "10.0.2.1"))).toEqual({ allowed: true });
    await throttle.recordFailure(id("a@example.com", "10.0.2.1"));
    expect(await throttle.check(id("a@example.com", "10.0.2.2"))).toEqual({
      allowed: false,
      retryAfterSeconds: 2,
    });
    for (let i = 0; i < 10; i++) await throttle.recordFailure(id("a@example.com", `10.0.3.${i}`));
    expect(await throttle.check(id("a@example.com", "10.0.2.3"))).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
    // Never a lockout: after the longest wait, the real admin may try again.
    advance(60_000);
    expect(await throttle.check(id("a@example.com", "192.0.2.9"))).toEqual({ allowed: true });
    // Other emails are not slowed.
    expect(await throttle.check(id("b@example.com", "10.0.2.3"))).toEqual({ allowed: true });
  });

  it("locks an address after twenty failures across emails", async () => {
    const { throttle } = setup(NO_SLOWDOWN);
    for (let i = 0; i < 19; i++) await throttle.recordFailure(id(`u${i}@example.com`, "10.0.0.7"));
    expect(await throttle.check(id("new@example.com", "10.0.0.7"))).toEqual({ allowed: true });
    await throttle.recordFailure(id("u19@example.com", "10.0.0.7"));
    expect((await throttle.check(id("new@example.com", "10.0.0.7"))).allowed).toBe(false);
    expect((await throttle.check(id("new@example.com", "10.0.0.8"))).allowed).toBe(true);
  });

  it("forgets failures older than the window", async () => {
    const { throttle, advance } = setup(NO_SLOWDOWN);
    await fail(throttle, id("a@example.com"), 4);
    advance(10 * MINUTE);
    await fail(throttle, id("a@example.com"), 1);
    expect(await throttle.check(id("a@example.com"))).toEqual({
      allowed: false,
      retryAfterSeconds: 5 * 60,
    });
    advance(5 * MINUTE);
    expect(await throttle.check(id("a@example.com"))).toEqual({ allowed: true });
  });

  it("clears the email and the pair on success, not the address", async () => {
    const { throttle } = setup({ addressMaxFailures: 4 });
    await fail(throttle, id("a@example.com"), 4);
    await throttle.recordSuccess(id("a@example.com"));
    expect((await throttle.check(id("b@example.com"))).allowed).toBe(false);
    expect((await throttle.check(id("a@example.com", "10.0.0.9"))).allowed).toBe(true);
  });

  it("counts the outcome against the identity whose password was checked", async () => {
    const { throttle } = setup(NO_SLOWDOWN);
    for (let i = 0; i < 5; i++) {
      await throttle.attempt(id("decoy@example.com"), async () => ({
        result: null,
        outcome: "failed",
        checked: id("admin@example.com"),
      }));
    }
    expect((await throttle.check(id("admin@example.com"))).allowed).toBe(false);
    expect((await throttle.check(id("decoy@example.com"))).allowed).toBe(true);
  });

  it("lets only five of a burst of parallel guesses through", async () => {
    const { throttle } = setup(NO_SLOWDOWN);
    let ran = 0;
    const verdicts = await Promise.all(
      Array.from({ length: 12 }, () =>
        throttle.attempt(id("a@example.com"), async () => {
          ran++;
          await new Promise((resolve) => setTimeout(resolve, 1));
          return { result: null, outcome: "failed" as const };
        }),
      ),
    );
    expect(ran).toBe(5);
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
  });

  it("does not count attempts where no password was checked", async () => {
    const { throttle } = setup(NO_SLOWDOWN);
    for (let i = 0; i < 10; i++) {
      await throttle.attempt(id("a@example.com"), async () => ({ result: 1, outcome: "other" }));
    }
    expect(await throttle.check(id("a@example.com"))).toEqual({ allowed: true });
  });
});

describe("MemoryThrottleStore", () => {
  it("keeps a victim's count through a flood of made-up keys", async () => {
    const store = new MemoryThrottleStore(100);
    const at = 1_700_000_000_000;
    for (let i = 0; i < 4; i++)
      await store.addFailure("pair:admin@example.com|10.0.0.1", at, MINUTE);
    for (let i = 0; i < 5000; i++) await store.addFailure(`email:flood${i}@x.test`, at + 1, MINUTE);
    expect(store.size).toBeLessThanOrEqual(100);
    expect(await store.failuresSince("pair:admin@example.com|10.0.0.1", 0)).toHaveLength(4);
  });

  it("drops expired keys first", async () => {
    const store = new MemoryThrottleStore(2);
    await store.addFailure("old", 0, 10);
    await store.addFailure("a", 100, MINUTE);
    await store.addFailure("b", 100, MINUTE);
    expect(await store.failuresSince("old", 0)).toEqual([]);
    expect(await store.failuresSince("a", 0)).toEqual([100]);
    expect(await store.failuresSince("b", 0)).toEqual([100]);
  });
});
