import { describe, expect, it } from "vitest";

import { accountFlags, dormantDays } from "./flags";

const DORMANT_DAYS = dormantDays();

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const base = {
  status: "enabled",
  role: "member",
  createdAt: daysAgo(10),
  lastActiveAt: daysAgo(1),
  vendor: {},
};

describe("accountFlags", () => {
  it("marks Telnyx owners and SSO bypass", () => {
    expect(
      accountFlags(
        { ...base, provider: "telnyx", vendor: { record_type: "organization_owner" } },
        now,
      ),
    ).toEqual(["privileged"]);
    expect(
      accountFlags(
        { ...base, provider: "telnyx", vendor: { organization_user_bypasses_sso: true } },
        now,
      ),
    ).toEqual(["sso_bypass"]);
    expect(
      accountFlags(
        { ...base, provider: "telnyx", vendor: { organization_user_bypasses_sso: "true" } },
        now,
      ),
    ).toEqual([]);
  });

  it("marks OpenAI owners and service accounts, not readers", () => {
    expect(accountFlags({ ...base, provider: "openai", role: "owner" }, now)).toEqual([
      "privileged",
    ]);
    expect(
      accountFlags(
        { ...base, provider: "openai", role: "reader", vendor: { is_service_account: true } },
        now,
      ),
    ).toEqual(["service_account"]);
    // sso_bypass is a Telnyx field; an OpenAI record carrying it means nothing.
    expect(
      accountFlags(
        { ...base, provider: "openai", vendor: { organization_user_bypasses_sso: true } },
        now,
      ),
    ).toEqual([]);
  });

  it("marks enabled accounts idle past the threshold as dormant", () => {
    const at = (last: Date | null, created: Date | null, status = "enabled") =>
      accountFlags(
        { ...base, provider: "telnyx", status, lastActiveAt: last, createdAt: created },
        now,
      );
    expect(at(daysAgo(DORMANT_DAYS + 1), daysAgo(400))).toEqual(["dormant"]);
    expect(at(daysAgo(DORMANT_DAYS - 1), daysAgo(400))).toEqual([]);
    expect(at(null, daysAgo(DORMANT_DAYS + 1))).toEqual(["dormant"]);
    expect(at(null, daysAgo(5))).toEqual([]);
    expect(at(null, null)).toEqual(["dormant"]);
    expect(at(daysAgo(400), daysAgo(400), "disabled")).toEqual([]);
  });
});
