import { describe, expect, it } from "vitest";

import { DEFAULTS, generateData, type OpenAIUser, type TelnyxUser } from "./data";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TRICKY = /[,"\n]|^[=+\-@]|[^\x20-\x7e]/;

const defaults = generateData(DEFAULTS);
const small = generateData({ seed: 7, telnyxUsers: 40, openaiUsers: 40 });

function telnyxHardCases(users: TelnyxUser[]) {
  return {
    owner: users.some((u) => u.record_type === "organization_owner"),
    subUser: users.some((u) => u.record_type === "organization_sub_user"),
    enabled: users.some((u) => u.user_status === "enabled"),
    disabled: users.some((u) => u.user_status === "disabled"),
    blocked: users.some((u) => u.user_status === "blocked"),
    noGroups: users.some((u) => u.groups.length === 0),
    manyGroups: users.some((u) => u.groups.length >= 15),
    neverSignedIn: users.some((u) => u.last_sign_in_at === null),
    commaEmail: users.some((u) => u.email.includes(",")),
    quoteEmail: users.some((u) => u.email.includes('"')),
    newline: users.some(
      (u) => u.email.includes("\n") || u.groups.some((g) => g.name.includes("\n")),
    ),
    nonLatin: users.some((u) => /[^\p{ASCII}]/u.test(u.email)),
    emoji: users.some((u) => /\p{Extended_Pictographic}/u.test(u.email)),
    formulaLike: ["=", "+", "-", "@"].every((c) =>
      users.some((u) => u.email.startsWith(c) || u.groups.some((g) => g.name.startsWith(c))),
    ),
    sameCreatedAt: users.some((u, i) => i > 0 && users[i - 1]?.created_at === u.created_at),
  };
}

function openaiHardCases(users: OpenAIUser[]) {
  const names = users.map((u) => u.name).filter((n): n is string => typeof n === "string");
  return {
    owner: users.some((u) => u.role === "owner"),
    reader: users.some((u) => u.role === "reader"),
    nullRole: users.some((u) => u.role === null),
    serviceAccountNullEmail: users.some((u) => u.is_service_account && u.email === null),
    serviceAccountNoEmailKey: users.some((u) => u.is_service_account && !("email" in u)),
    scim: users.some((u) => u.is_scim_managed === true),
    disabled: users.some((u) => u.user?.enabled === false),
    banned: users.some((u) => u.user?.banned === true && typeof u.user.banned_at === "number"),
    minimal: users.some((u) => Object.keys(u).sort().join() === "added_at,id,object"),
    nullName: users.some((u) => u.name === null),
    projectsList: users.some((u) => (u.projects?.data.length ?? 0) > 0),
    projectsNull: users.some((u) => u.projects === null),
    projectsAbsent: users.some((u) => !("projects" in u)),
    comma: names.some((n) => n.includes(",")),
    quote: names.some((n) => n.includes('"')),
    newline: names.some((n) => n.includes("\n")),
    nonLatin: names.some((n) => /\p{Script=Han}|\p{Script=Cyrillic}|\p{Script=Arabic}/u.test(n)),
    emoji: names.some((n) => /\p{Extended_Pictographic}/u.test(n)),
    formulaLike: ["=", "+", "-", "@"].every((c) => names.some((n) => n.startsWith(c))),
    sameAddedAt: users.some((u, i) => i > 0 && users[i - 1]?.added_at === u.added_at),
  };
}

describe("generateData", () => {
  it("is deterministic for a seed and changes with it", () => {
    expect(generateData(DEFAULTS)).toEqual(defaults);
    const other = generateData({ ...DEFAULTS, seed: 43 });
    expect(other.telnyx.map((u) => u.id)).not.toEqual(defaults.telnyx.map((u) => u.id));
  });

  it("gives each vendor its own stream: one vendor's count leaves the other's users unchanged", () => {
    const fewerTelnyx = generateData({ ...DEFAULTS, telnyxUsers: 10 });
    expect(fewerTelnyx.openai).toEqual(defaults.openai);
    expect(fewerTelnyx.telnyx).toHaveLength(10);
  });

  it("honours the counts and the defaults", () => {
    expect(defaults.telnyx).toHaveLength(DEFAULTS.telnyxUsers);
    expect(defaults.openai).toHaveLength(DEFAULTS.openaiUsers);
    expect(generateData({ seed: 1, telnyxUsers: 0, openaiUsers: 0 })).toEqual({
      telnyx: [],
      openai: [],
    });
  });

  it("rejects impossible counts", () => {
    expect(() => generateData({ seed: 1, telnyxUsers: -1, openaiUsers: 0 })).toThrow(/telnyxUsers/);
    expect(() => generateData({ seed: 1, telnyxUsers: 0, openaiUsers: 1.5 })).toThrow(
      /openaiUsers/,
    );
  });

  it("orders Telnyx by created_at then id, with well-formed ids, dates and unique emails", () => {
    const users = defaults.telnyx;
    for (let i = 1; i < users.length; i++) {
      const [a, b] = [users[i - 1]!, users[i]!];
      expect(a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id)).toBe(
        true,
      );
    }
    for (const u of users) {
      expect(u.id).toMatch(UUID);
      expect(u.created_at).toMatch(ISO_MS);
      if (u.last_sign_in_at !== null) {
        expect(u.last_sign_in_at).toMatch(ISO_MS);
        expect(u.last_sign_in_at >= u.created_at).toBe(true);
      }
    }
    expect(new Set(users.map((u) => u.email.toLowerCase())).size).toBe(users.length);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
  });

  it("orders OpenAI by added_at then id, with user ids and unique emails", () => {
    const users = defaults.openai;
    for (let i = 1; i < users.length; i++) {
      const [a, b] = [users[i - 1]!, users[i]!];
      expect(a.added_at < b.added_at || (a.added_at === b.added_at && a.id < b.id)).toBe(true);
    }
    for (const u of users) {
      expect(u.object).toBe("organization.user");
      expect(u.id).toMatch(/^user[-_][A-Za-z0-9]{24}$/);
      expect(Number.isInteger(u.added_at)).toBe(true);
    }
    const emails = users.flatMap((u) =>
      typeof u.email === "string" ? [u.email.toLowerCase()] : [],
    );
    expect(new Set(emails).size).toBe(emails.length);
  });

  it.each([
    ["the defaults", defaults],
    ["40 users per vendor", small],
  ])("holds every Telnyx and OpenAI hard case with %s", (_label, data) => {
    const telnyx = telnyxHardCases(data.telnyx);
    const openai = openaiHardCases(data.openai);
    expect(Object.entries(telnyx).filter(([, present]) => !present)).toEqual([]);
    expect(Object.entries(openai).filter(([, present]) => !present)).toEqual([]);
  });

  it("has a realistic mix of statuses rather than all-tricky data", () => {
    const enabled = defaults.telnyx.filter((u) => u.user_status === "enabled").length;
    expect(enabled / defaults.telnyx.length).toBeGreaterThan(0.6);
    const tricky = defaults.telnyx.filter((u) => TRICKY.test(u.email)).length;
    expect(tricky / defaults.telnyx.length).toBeLessThan(0.05);
  });
});
