import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ApiError } from "@/lib/api/errors";
import { openaiAdapter } from "@/lib/providers/openai/adapter";
import { pointEnvAt } from "@/testing/providers";
import { telnyxAdapter } from "@/lib/providers/telnyx/adapter";
import type { ProviderAdapter } from "@/lib/providers/types";
import type { User } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { offboardingBoundMs } from "./bound";
import { FAILURES_BEFORE_GIVING_UP, exactMatch, lookUpAddresses } from "./check";
import { normalizeEntries } from "./parse";
import { addressInBoth, expectedAccounts, partialMatchTrap } from "@/testing/offboarding";

let sandbox: Sandbox;
const adapters = [telnyxAdapter, openaiAdapter];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, telnyxUsers: 300, openaiUsers: 300 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "1" });
});

function user(email: string | null, status: User["status"], id = email ?? "x"): User {
  return {
    id,
    provider: "telnyx",
    email,
    name: null,
    status,
    role: "member",
    createdAt: null,
    lastActiveAt: null,
    groups: null,
    vendor: {},
  };
}

describe("exactMatch", () => {
  it("matches the whole address case-insensitively, never a partial match", () => {
    const users = [user("hana@x.com", "enabled"), user("ana@x.com.au", "enabled")];
    expect(exactMatch(users, "ana@x.com")).toBeNull();
    expect(exactMatch([...users, user("Ana@X.com", "disabled", "u1")], "ana@x.COM")).toEqual({
      status: "disabled",
      role: "member",
      id: "u1",
      lastActiveAt: null,
    });
  });

  it("matches an address whichever Unicode form (composed or not) either side holds", () => {
    const composed = "zoë@x.com".normalize("NFC");
    const decomposed = composed.normalize("NFD");
    expect(exactMatch([user(decomposed, "enabled", "d")], composed)?.id).toBe("d");
    expect(exactMatch([user(composed, "enabled", "c")], decomposed.toUpperCase())?.id).toBe("c");
  });

  it("prefers the account with access when a vendor holds two", () => {
    const users = [user("a@x.com", "blocked", "b"), user("A@x.com", "enabled", "e")];
    expect(exactMatch(users, "a@x.com")?.id).toBe("e");
  });
});

describe("lookUpAddresses against the sandbox", () => {
  const lookUpInBoth = (emails: string[]) =>
    lookUpAddresses({ emails, adapters, concurrency: 2, openaiBatchSize: 2 });

  it("gives each address its exact account at each vendor", async () => {
    const both = addressInBoth(sandbox.data);
    const { trap, matches } = partialMatchTrap(sandbox.data);
    expect(matches.length).toBeGreaterThan(0);
    const telnyxOnly = sandbox.data.telnyx.find(
      (u) => !sandbox.data.openai.some((o) => o.email?.toLowerCase() === u.email.toLowerCase()),
    );
    const openaiOnly = sandbox.data.openai.find((o) => o.email && o.user?.banned);
    const emails = [
      both.toUpperCase(),
      trap,
      "nobody-here@nowhere.example",
      telnyxOnly?.email ?? "",
      openaiOnly?.email ?? "",
    ];
    expect(emails.every(Boolean)).toBe(true);
    const { results, failed } = await lookUpInBoth(emails);
    expect(failed).toEqual([]);
    expect(results).toEqual(
      emails.map((email) => ({ email, ...expectedAccounts(sandbox.data, email) })),
    );
    expect(results[0]?.telnyx).not.toBeNull();
    expect(results[0]?.openai).not.toBeNull();
    expect(results[1]).toEqual({ email: trap, telnyx: null, openai: null });
    expect(results[4]?.openai?.status).toBe("blocked");
  });

  it("finds a leaver pasted in Unicode's decomposed form (as some systems copy it)", async () => {
    const composed = "josé.garcía@northwind.io".normalize("NFC");
    expect(sandbox.data.telnyx.some((u) => u.email === composed)).toBe(true);
    const { emails } = normalizeEntries([composed.normalize("NFD")]);
    const { results, failed } = await lookUpInBoth(emails);
    expect(failed).toEqual([]);
    expect(results).toEqual([{ email: composed, ...expectedAccounts(sandbox.data, composed) }]);
    expect(results[0]?.telnyx).not.toBeNull();
  });

  it("finds an account the vendor stored in Unicode's decomposed form", async () => {
    const composed = "renée.lefèvre@northwind.io".normalize("NFC");
    const stored = composed.normalize("NFD").toUpperCase();
    const telnyxUser = sandbox.data.telnyx.find((u) => u.email.endsWith("@contoso.com"));
    const openaiUser = sandbox.data.openai.find((u) => u.email && u.role !== "owner");
    sandbox.mutate({ vendor: "telnyx", change: [{ id: telnyxUser!.id, email: stored }] });
    sandbox.mutate({ vendor: "openai", change: [{ id: openaiUser!.id, email: stored }] });
    const { results, failed } = await lookUpInBoth([composed, "plain@nowhere.example"]);
    expect(failed).toEqual([]);
    expect(results[0]?.telnyx?.id).toBe(telnyxUser!.id);
    expect(results[0]?.openai?.id).toBe(openaiUser!.id);
    expect(results[1]).toEqual({ email: "plain@nowhere.example", telnyx: null, openai: null });
    // Telnyx is asked one more time for the one address with two forms, OpenAI still once.
    expect(sandbox.counters().requests).toMatchObject({ openai: 1, telnyx: 3 });
  });

  it("asks OpenAI ceil(n / batch) times and Telnyx once per address", async () => {
    const emails = sandbox.data.telnyx.slice(0, 23).map((u) => u.email);
    const progress: number[] = [];
    const { results } = await lookUpAddresses({
      emails,
      adapters,
      concurrency: 4,
      openaiBatchSize: 5,
      onProgress: (checked, total) => {
        expect(total).toBe(23);
        progress.push(checked);
      },
    });
    expect(results).toEqual(
      emails.map((email) => ({ email, ...expectedAccounts(sandbox.data, email) })),
    );
    expect(sandbox.counters().requests).toMatchObject({ openai: 5, telnyx: 23 });
    expect(progress).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it("reports a vendor failing partway as not checked, never as not found, and stops asking it", async () => {
    const emails = sandbox.data.telnyx.slice(0, 40).map((u) => u.email);
    sandbox.setFaults({ vendor: "telnyx", outageAfter: 5 });
    const { results, failed } = await lookUpAddresses({
      emails,
      adapters,
      concurrency: 1,
      openaiBatchSize: 100,
    });
    const telnyxFailed = failed.filter((f) => f.provider === "telnyx");
    expect(failed).toEqual(telnyxFailed);
    expect(telnyxFailed.map((f) => f.email)).toEqual(emails.slice(5));
    expect(new Set(telnyxFailed.map((f) => f.code))).toEqual(new Set(["upstream_unavailable"]));
    for (const [i, result] of results.entries()) {
      const expected = expectedAccounts(sandbox.data, emails[i] ?? "");
      expect(result.openai).toEqual(expected.openai);
      expect(result.telnyx).toEqual(i < 5 ? expected.telnyx : null);
    }
    // 5 good calls, then FAILURES_BEFORE_GIVING_UP addresses with one retry each; the rest unasked.
    expect(sandbox.counters().requests.telnyx).toBe(5 + FAILURES_BEFORE_GIVING_UP * 2);
  });

  it("lists every address as not checked for a vendor without a key, without calling it", async () => {
    pointEnvAt(sandbox, { OPENAI_ADMIN_KEY: undefined });
    const emails = ["a@x.com", "b@x.com"];
    const { failed } = await lookUpAddresses({
      emails,
      adapters,
      concurrency: 2,
      openaiBatchSize: 1,
    });
    expect(failed).toEqual(
      emails.map((email) => ({ email, provider: "openai", code: "provider_not_configured" })),
    );
    expect(sandbox.counters().requests.openai).toBe(0);
  });
});

describe("lookUpAddresses, scheduling", () => {
  function fakeAdapter(id: "telnyx" | "openai", delayMs: number) {
    const seen = {
      inFlight: 0,
      maxInFlight: 0,
      calls: [] as string[][],
      signals: [] as (AbortSignal | undefined)[],
    };
    const adapter = {
      id,
      isConfigured: () => true,
      listUsers: () => Promise.reject(new Error("unused")),
      exportUsers: () => {
        throw new Error("unused");
      },
      async findUsersByEmail(emails: readonly string[], signal?: AbortSignal) {
        seen.calls.push([...emails]);
        seen.signals.push(signal);
        seen.inFlight += 1;
        seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, delayMs);
            signal?.addEventListener("abort", () => {
              clearTimeout(timer);
              reject(new ApiError("upstream_timeout", "aborted"));
            });
          });
        } finally {
          seen.inFlight -= 1;
        }
        return emails.map((email) => user(email, "enabled"));
      },
    } satisfies ProviderAdapter;
    return { adapter, seen };
  }

  it("keeps at most `concurrency` calls in flight per vendor and finishes near the bound", async () => {
    const telnyx = fakeAdapter("telnyx", 20);
    const openai = fakeAdapter("openai", 20);
    const emails = Array.from({ length: 40 }, (_, i) => `u${i}@x.com`);
    const started = performance.now();
    const { results } = await lookUpAddresses({
      emails,
      adapters: [telnyx.adapter, openai.adapter],
      concurrency: 4,
      openaiBatchSize: 10,
    });
    const elapsed = performance.now() - started;
    expect(
      results.every((r) => r.telnyx?.status === "enabled" && r.openai?.status === "enabled"),
    ).toBe(true);
    expect(telnyx.seen.maxInFlight).toBe(4);
    expect(openai.seen.maxInFlight).toBe(4);
    expect(openai.seen.calls.length).toBe(4);
    expect(telnyx.seen.calls.length).toBe(40);
    const bound = offboardingBoundMs({ addresses: 40, batchSize: 10, concurrency: 4, callMs: 20 });
    expect(bound).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(bound - 5);
  });

  it("rejects when cancelled, and the vendor calls see the abort", async () => {
    const telnyx = fakeAdapter("telnyx", 10_000);
    const controller = new AbortController();
    const run = lookUpAddresses({
      emails: ["a@x.com", "b@x.com"],
      adapters: [telnyx.adapter],
      concurrency: 4,
      openaiBatchSize: 10,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(run).rejects.toBeDefined();
    expect(telnyx.seen.signals.every((s) => s?.aborted)).toBe(true);
    expect(telnyx.seen.inFlight).toBe(0);
  });
});

describe("offboardingBoundMs", () => {
  it("is the slower vendor's rounds of calls", () => {
    expect(
      offboardingBoundMs({ addresses: 1000, batchSize: 100, concurrency: 4, callMs: 50 }),
    ).toBe(12_500);
    expect(offboardingBoundMs({ addresses: 1000, batchSize: 1, concurrency: 4, callMs: 50 })).toBe(
      12_500,
    );
    expect(offboardingBoundMs({ addresses: 3, batchSize: 100, concurrency: 4, callMs: 50 })).toBe(
      50,
    );
  });
});
