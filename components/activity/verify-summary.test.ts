import { describe, expect, it } from "vitest";

import { verifyResultSchema, type VerifyResult } from "@/lib/activity/schema";

import { verifySummary } from "./verify-summary";

const HASH = "b".repeat(64);

/** A result as the verify route answers it, checked against its schema first. */
function result(fields: Partial<VerifyResult>): VerifyResult {
  return verifyResultSchema.parse({
    ok: true,
    checked: 0,
    anchor: { seq: 0, hash: "0".repeat(64) },
    head: { seq: 0, hash: "0".repeat(64) },
    firstBroken: null,
    ...fields,
  });
}

describe("verifySummary", () => {
  it("counts a long chain's entries with separators, from the anchor to the head", () => {
    expect(
      verifySummary(
        result({
          checked: 135_001,
          anchor: { seq: 14_999, hash: HASH },
          head: { seq: 150_000, hash: HASH },
        }),
      ),
    ).toBe("Chain verified: 135,001 entries intact (from #15000 to #150000).");
  });

  it("says entry, not entries, for a chain of one", () => {
    expect(verifySummary(result({ checked: 1, head: { seq: 1, hash: HASH } }))).toBe(
      "Chain verified: 1 entry intact (from #1 to #1).",
    );
  });

  it("says a chain with nothing in it had nothing to check, not a range from #1 to #0", () => {
    expect(verifySummary(result({}))).toBe("Chain verified: no entries to check.");
  });

  it("names the first broken entry and why", () => {
    const message = "Entry 7 was changed after it was written: its hash does not match its fields.";
    expect(
      verifySummary(
        result({
          ok: false,
          checked: 6,
          head: { seq: 9, hash: HASH },
          firstBroken: { seq: 7, reason: "hash_mismatch", message },
        }),
      ),
    ).toBe(`Chain broken at entry #7: ${message}`);
  });

  it("never says verified when the check failed, even without a broken entry named", () => {
    expect(verifySummary(result({ ok: false, checked: 3 }))).toBe("The chain did not verify.");
  });
});
