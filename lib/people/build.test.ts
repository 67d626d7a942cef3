import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { selectRows } from "@/lib/db/select-rows";

import { createTestDb, tableHeapBytes, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { seedDirectory } from "@/testing/directory";
import { createReview } from "@/lib/reviews/store";
import type { ProviderId, User } from "@/lib/users/schema";

import { rebuildPeople, type PeopleConfig } from "./build";
import { personKeyOf } from "./contract";
import { listPeople } from "./list";
import { getPerson } from "./person";
import { parseRosterCsv } from "./roster-csv";
import { removeRoster, saveRoster } from "./roster";
import type { Person, PersonFlag } from "./schema";

const DAY = "2026-06-01";
const CONFIG: PeopleConfig = { dormantDays: 90, companyDomains: ["acme.com"], day: DAY };
const daysAgo = (n: number) =>
  new Date(Date.parse(`${DAY}T00:00:00Z`) - n * 86_400_000).toISOString();

let seq = 0;
function user(provider: ProviderId, email: string | null, over: Partial<User> = {}): User {
  const id = `${provider}-${++seq}`;
  return {
    id,
    provider,
    email,
    name: null,
    status: "enabled",
    role: provider === "telnyx" ? "member" : "reader",
    createdAt: "2024-01-01T00:00:00.000Z",
    lastActiveAt: daysAgo(1),
    groups: null,
    vendor: { id },
    ...over,
  };
}

const telnyx = (email: string | null, over: Partial<User> = {}) => user("telnyx", email, over);
const openai = (email: string | null, over: Partial<User> = {}) => user("openai", email, over);

const TELNYX: User[] = [
  telnyx("leaver@acme.com"),
  telnyx("left-off@acme.com", { status: "disabled" }),
  telnyx("late@acme.com", { lastActiveAt: "2026-02-02T08:00:00.000Z" }),
  telnyx("sameday@acme.com", { lastActiveAt: "2026-01-31T20:00:00.000Z" }),
  telnyx("stranger@acme.com"),
  telnyx(" Known@ACME.com "),
  telnyx("split@acme.com"),
  telnyx("both@acme.com"),
  telnyx("owner@acme.com", { role: "owner" }),
  telnyx("bypass@acme.com", { vendor: { organization_user_bypasses_sso: true } }),
  telnyx("sso@acme.com", { vendor: { organization_user_bypasses_sso: false } }),
  telnyx("idle@acme.com", { lastActiveAt: daysAgo(100) }),
  telnyx("never@acme.com", { lastActiveAt: null }),
  telnyx("recent@acme.com", { lastActiveAt: daysAgo(10) }),
  telnyx("gone-never@acme.com", { status: "blocked", lastActiveAt: null }),
  telnyx("guest@other.io"),
  telnyx("ana+test@acme.com"),
  telnyx("ana+x+y@acme.com"),
  telnyx("+alerts@acme.com"),
  telnyx("+billing@acme.com"),
  telnyx("Éva.Ödön@acme.com"),
  // Enabled in both vendors; a second, disabled Telnyx account does not make the vendors disagree.
  telnyx("twice@acme.com"),
  telnyx("twice@acme.com", { status: "disabled" }),
  // A vendor's zero time and a time past year 9999, both as JavaScript writes them.
  telnyx("far@acme.com", {
    createdAt: "0001-01-01T00:00:00.000Z",
    lastActiveAt: "+010000-01-01T00:00:00.000Z",
  }),
];
const OPENAI: User[] = [
  openai("split@acme.com", { status: "blocked" }),
  openai("both@acme.com"),
  openai("boss@acme.com", { role: "owner" }),
  openai("manual@acme.com", { vendor: { is_scim_managed: false } }),
  openai("scim@acme.com", { vendor: { is_scim_managed: true } }),
  openai(null, { name: "ci-bot", vendor: { is_service_account: true } }),
  openai("ana@acme.com"),
  openai("twice@acme.com"),
];

const ROSTER = [
  "email;name;status;end_date",
  "leaver@acme.com;Lea;left;2026-01-31",
  "left-off@acme.com;Leo;left;2026-01-31",
  "late@acme.com;Lata;active;2026-01-31",
  "sameday@acme.com;Sam;active;2026-01-31",
  "known@acme.com;Kno;active;",
].join("\n");

describe.each(TEST_DB_KINDS)("people flags (%s)", (kind) => {
  let handle: TestDbHandle;
  let people: Map<string, Person>;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    await seedDirectory(handle.db, "telnyx", TELNYX);
    await seedDirectory(handle.db, "openai", OPENAI);
    const parsed = parseRosterCsv(ROSTER);
    if (!parsed.ok) throw new Error(parsed.message);
    await saveRoster(handle.db, parsed.rows, { uploadedBy: "hr@acme.com", sha256: "x" });
    // Three people per statement: every test below reads a build made of many.
    await rebuildPeople(handle.db, { config: CONFIG, chunk: 3 });
    const page = await listPeople(handle.db, { flags: [], vendors: [], limit: 200 }, CONFIG);
    people = new Map(page.data.map((p) => [p.key, p]));
  });
  afterAll(() => handle.close());

  const flagsOf = (key: string): PersonFlag[] => {
    const person = people.get(key);
    if (!person) throw new Error(`no person ${key}`);
    return person.flags.map((f) => f.flag);
  };

  it.each<[PersonFlag, string, string]>([
    ["leaver_with_access", "leaver@acme.com", "left-off@acme.com"],
    ["used_after_leaving", "late@acme.com", "sameday@acme.com"],
    ["not_in_roster", "stranger@acme.com", "known@acme.com"],
    ["inconsistent_status", "split@acme.com", "both@acme.com"],
    ["inconsistent_status", "split@acme.com", "twice@acme.com"],
    ["privileged", "owner@acme.com", "stranger@acme.com"],
    ["privileged", "boss@acme.com", "both@acme.com"],
    ["sso_bypass", "bypass@acme.com", "sso@acme.com"],
    ["dormant", "idle@acme.com", "recent@acme.com"],
    ["dormant", "never@acme.com", "gone-never@acme.com"],
    ["external", "guest@other.io", "stranger@acme.com"],
    ["not_scim_managed", "manual@acme.com", "scim@acme.com"],
    ["service_account", "account:openai:openai-" + (TELNYX.length + 6), "both@acme.com"],
  ])("%s fires for %s and not for %s", (flag, fires, silent) => {
    expect(flagsOf(fires)).toContain(flag);
    expect(flagsOf(silent)).not.toContain(flag);
  });

  it("explains each flag in one line", () => {
    const reason = (key: string, flag: PersonFlag) =>
      people.get(key)?.flags.find((f) => f.flag === flag)?.reason;
    expect(reason("leaver@acme.com", "leaver_with_access")).toBe(
      "Left per the HR roster (end date 2026-01-31), still enabled in Telnyx",
    );
    expect(reason("late@acme.com", "used_after_leaving")).toBe(
      "Telnyx sign-in on 2026-02-02, after the end date 2026-01-31",
    );
    expect(reason("split@acme.com", "inconsistent_status")).toBe(
      "Enabled in Telnyx, blocked in OpenAI",
    );
    expect(reason("never@acme.com", "dormant")).toBe(
      "Enabled, unused for over 90 days (Telnyx: no sign-in ever)",
    );
    expect(reason("guest@other.io", "external")).toBe("Domain other.io is not a company domain");
  });

  it("keys people on the trimmed, lowercased email and keeps +tags apart", () => {
    const known = people.get("known@acme.com");
    expect(known?.accounts.telnyx.map((u) => u.email)).toEqual([" Known@ACME.com "]);
    expect(known?.roster?.name).toBe("Kno");
    expect(people.get("ana+test@acme.com")?.accounts.telnyx).toHaveLength(1);
    expect(people.get("ana@acme.com")?.accounts.openai).toHaveLength(1);
    const split = people.get("split@acme.com");
    expect([split?.accounts.telnyx.length, split?.accounts.openai.length]).toEqual([1, 1]);
  });

  it("filters by email without case beyond ASCII, whatever the database's locale", async () => {
    // The test cluster runs under the `C` locale, where SQL's lower() leaves É and Ö as they are.
    const page = await listPeople(
      handle.db,
      { flags: [], vendors: [], email: "ÉVA.ÖD", limit: 10 },
      CONFIG,
    );
    expect(page.data.map((p) => p.key)).toEqual(["éva.ödön@acme.com"]);
  });

  it("lists a person's reviews whatever the case of their address and the database's locale", async () => {
    await createReview(handle.db, "hr@acme.com", {
      name: "Ödön review",
      dueDate: "2026-06-30",
      scope: { providers: ["telnyx"], email: "ÉVA.Ö" },
    });
    const person = await getPerson(handle.db, "éva.ödön@acme.com", CONFIG);
    expect(person?.reviews.map((r) => r.name)).toEqual(["Ödön review"]);
  });

  it("keys each person as the browser does from any of their accounts (personKeyOf)", () => {
    expect(people.size).toBeGreaterThan(20);
    for (const [key, person] of people) {
      for (const account of [...person.accounts.telnyx, ...person.accounts.openai]) {
        expect(personKeyOf(account)).toBe(key);
      }
    }
  });

  it("finds near matches by the address without its +tag, and none for an address that starts with +", async () => {
    const near = async (key: string) => (await getPerson(handle.db, key, CONFIG))?.nearMatches;
    expect(await near("ana@acme.com")).toEqual(["ana+test@acme.com", "ana+x+y@acme.com"]);
    expect(await near("ana+test@acme.com")).toEqual(["ana+x+y@acme.com", "ana@acme.com"]);
    // "+alerts" and "+billing" have nothing before the tag: they are not one "@acme.com".
    expect(await near("+alerts@acme.com")).toEqual([]);
    expect(await near("+billing@acme.com")).toEqual([]);
  });

  it("writes an account's times as the rest of Roster does, whatever their year", () => {
    const [account] = people.get("far@acme.com")?.accounts.telnyx ?? [];
    expect(account?.createdAt).toBe("0001-01-01T00:00:00.000Z");
    expect(account?.lastActiveAt).toBe("+010000-01-01T00:00:00.000Z");
  });

  it("lists accounts without an email as people of their own", () => {
    const bots = [...people.values()].filter((p) => p.email === null);
    expect(bots).toHaveLength(1);
    expect(bots[0]?.accounts.openai[0]?.name).toBe("ci-bot");
    expect(bots[0]?.flags.map((f) => f.flag)).not.toContain("not_in_roster");
  });

  it("counts each flag over everyone, and the counts match the filtered lists", async () => {
    const all = await listPeople(handle.db, { flags: [], vendors: [], limit: 200 }, CONFIG);
    expect(all.total).toBe(people.size);
    for (const flag of ["dormant", "not_in_roster", "privileged"] as const) {
      const filtered = await listPeople(
        handle.db,
        { flags: [flag], vendors: [], limit: 200 },
        CONFIG,
      );
      const expected = [...people.values()].filter((p) => p.flags.some((f) => f.flag === flag));
      expect(filtered.data.map((p) => p.key)).toEqual(expected.map((p) => p.key));
      expect(filtered.total).toBe(expected.length);
      expect(all.counts[flag]).toBe(expected.length);
    }
  });

  it("drops roster flags when the roster is removed, and rebuilds on the next read", async () => {
    await removeRoster(handle.db, "hr@acme.com");
    const page = await listPeople(handle.db, { flags: [], vendors: [], limit: 200 }, CONFIG);
    expect(page.counts.not_in_roster).toBe(0);
    expect(page.counts.leaver_with_access).toBe(0);
    expect(page.data.find((p) => p.key === "known@acme.com")?.roster).toBeNull();
  });

  it("recomputes dormant for a new day and external for new domains", async () => {
    const later = await listPeople(
      handle.db,
      { flags: ["dormant"], vendors: [], limit: 200 },
      { ...CONFIG, day: "2026-09-01" },
    );
    expect(later.data.map((p) => p.key)).toContain("recent@acme.com");
    const open = await listPeople(
      handle.db,
      { flags: [], vendors: [], limit: 200 },
      { ...CONFIG, companyDomains: [] },
    );
    expect(open.counts.external).toBe(0);
  });

  it("builds the same people whatever the chunk size", async () => {
    const build = async (chunk: number) => {
      await rebuildPeople(handle.db, { config: CONFIG, force: true, chunk });
      const page = await listPeople(handle.db, { flags: [], vendors: [], limit: 200 }, CONFIG);
      return { total: page.total, counts: page.counts, data: page.data };
    };
    const whole = await build(10_000);
    expect(whole.total).toBe(people.size);
    for (const chunk of [1, 2, 7]) expect(await build(chunk)).toEqual(whole);
  });
});

describe.each(TEST_DB_KINDS)("a people build after changes (%s)", (kind) => {
  let handle: TestDbHandle;
  // 60 Telnyx users and 12 OpenAI users (3 SCIM-managed, one service account without an email).
  const base = {
    telnyx: Array.from({ length: 60 }, (_, i) =>
      telnyx(`p${i}@acme.com`, { lastActiveAt: daysAgo(i % 6 === 0 ? 80 : 5) }),
    ),
    openai: [
      ...Array.from({ length: 8 }, (_, i) =>
        openai(`p${i}@acme.com`, { vendor: { is_scim_managed: i < 3 } }),
      ),
      openai("solo@acme.com"),
      openai(null, { name: "ci-bot", vendor: { is_service_account: true } }),
      openai("P40@ACME.com", { status: "blocked" }),
      openai("guest@other.io"),
    ],
  };
  const current = { telnyx: [...base.telnyx], openai: [...base.openai] };
  const patch = (provider: ProviderId, index: number, over: Partial<User>) => {
    const list = current[provider];
    const user = list[index];
    if (!user) throw new Error(`no ${provider} user ${index}`);
    list[index] = { ...user, ...over, vendor: { ...user.vendor, ...over.vendor } };
  };

  /** The whole table, in key order, and what the build recorded. */
  const dump = async () => ({
    rows: await selectRows(
      handle.db,
      sql`select key, email, base_key, flags, vendors, accounts, roster from people order by key collate "C"`,
    ),
    build: await selectRows(
      handle.db,
      sql`select telnyx_snapshot, openai_snapshot, roster_upload, day, total, counts from people_build`,
    ),
  });

  /** Builds from what changed, then everyone again from scratch: both must give the same table. */
  const buildBothWays = async (config: PeopleConfig) => {
    const state = await rebuildPeople(handle.db, { config });
    const changed = await dump();
    const full = await rebuildPeople(handle.db, { config, force: true });
    expect(full.built).toEqual({ mode: "full" });
    expect(changed).toEqual(await dump());
    expect({ total: state.total, counts: state.counts }).toEqual({
      total: full.total,
      counts: full.counts,
    });
    return state;
  };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    await seedDirectory(handle.db, "telnyx", current.telnyx);
    await seedDirectory(handle.db, "openai", current.openai);
    const parsed = parseRosterCsv(
      ["email;status;end_date", "p1@acme.com;left;2026-05-01", "p2@acme.com;active;"].join("\n"),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    await saveRoster(handle.db, parsed.rows, { uploadedBy: "hr@acme.com", sha256: "x" });
    expect((await rebuildPeople(handle.db, { config: CONFIG })).built).toEqual({ mode: "full" });
  });
  afterAll(() => handle.close());

  it("builds only the people a Telnyx sync touched: joined, left, and changed address, status, role or SSO", async () => {
    current.telnyx.splice(10, 1); // p10 left
    current.telnyx.push(telnyx("new@acme.com")); // joined
    patch("telnyx", 1, { email: "p1-renamed@acme.com" }); // p1 is gone, p1-renamed appears
    patch("telnyx", 2, { status: "disabled" });
    patch("telnyx", 3, { role: "owner" });
    patch("telnyx", 4, { vendor: { organization_user_bypasses_sso: true } });
    patch("telnyx", 5, { lastActiveAt: null });
    await seedDirectory(handle.db, "telnyx", current.telnyx);
    const state = await buildBothWays(CONFIG);
    // p10, new, p1, p1-renamed, p2, p3, p4, p5.
    expect(state.built).toEqual({ mode: "changes", people: 8 });
    expect(state.counts.privileged).toBe(1);
  });

  it("builds only the people an OpenAI sync touched, accounts without an email included", async () => {
    const bot = current.openai.findIndex((u) => u.email === null);
    current.openai.splice(bot, 1);
    current.openai.push(openai(null, { name: "deploy-bot", vendor: { is_service_account: true } }));
    patch("openai", 8, { email: "p20@acme.com" }); // solo@ now shares p20's person
    patch("openai", 3, { vendor: { is_scim_managed: true } }); // still some SCIM-managed users
    const guest = current.openai.findIndex((u) => u.email === "guest@other.io");
    patch("openai", guest, { email: "guest@acme.com" }); // the one external person
    await seedDirectory(handle.db, "openai", current.openai);
    const state = await buildBothWays(CONFIG);
    // Both bots, solo, p20, p3, guest@other.io, guest@acme.com.
    expect(state.built).toEqual({ mode: "changes", people: 7 });
    expect(state.counts.service_account).toBe(1);
    expect(state.counts.external).toBe(0);
  });

  it("builds only the people whose dormancy a new day turns", async () => {
    // 30 days on, the accounts last active 80 days before DAY pass 90 days; the others stay.
    const later = { ...CONFIG, day: "2026-07-01" };
    const state = await buildBothWays(later);
    const turned = new Set(
      [...current.telnyx, ...current.openai]
        .filter((u) => u.lastActiveAt === daysAgo(80))
        .map((u) => u.email?.trim().toLowerCase()),
    );
    expect(state.built).toEqual({ mode: "changes", people: turned.size });
    expect(turned.size).toBe(10);
    // And back: the same people again.
    expect((await buildBothWays(CONFIG)).built).toEqual({ mode: "changes", people: turned.size });
  });

  it("builds everyone when the last SCIM-managed OpenAI user goes (not_scim_managed is org-wide)", async () => {
    current.openai = current.openai.map((u) => ({
      ...u,
      vendor: { ...u.vendor, is_scim_managed: false },
    }));
    await seedDirectory(handle.db, "openai", current.openai);
    const state = await buildBothWays(CONFIG);
    expect(state.built).toEqual({ mode: "full" });
    expect(state.counts.not_scim_managed).toBe(0);
  });

  it("builds everyone when more than a fifth of the people changed, or the roster did", async () => {
    current.telnyx = current.telnyx.map((u, i) => (i < 20 ? { ...u, status: "blocked" } : u));
    await seedDirectory(handle.db, "telnyx", current.telnyx);
    expect((await buildBothWays(CONFIG)).built).toEqual({ mode: "full" });
    await removeRoster(handle.db, "hr@acme.com");
    expect((await buildBothWays(CONFIG)).built).toEqual({ mode: "full" });
  });

  it("builds nobody when nothing changed", async () => {
    await seedDirectory(handle.db, "telnyx", current.telnyx);
    expect((await buildBothWays(CONFIG)).built).toEqual({ mode: "changes", people: 0 });
  });
});

describe("the people table's space on PGlite, which runs no autovacuum", () => {
  let handle: TestDbHandle;
  // 1,000 people: a vacuum is due past 50 + 200 rows deleted.
  let users = Array.from({ length: 1000 }, (_, i) => telnyx(`space${i}@acme.com`));
  const heapBytes = () => tableHeapBytes(handle.db, "people");
  const deadRows = async () => {
    const [row] = await selectRows<{ dead: number }>(
      handle.db,
      sql`select dead_rows as dead from people_build`,
    );
    return row?.dead;
  };

  beforeAll(async () => {
    handle = await createTestDb("pglite");
    await seedDirectory(handle.db, "telnyx", users);
  });
  afterAll(() => handle.close());

  it("stays the size of one build however often everyone is built again", async () => {
    await rebuildPeople(handle.db, { config: CONFIG });
    const one = await heapBytes();
    for (let round = 0; round < 3; round++) {
      expect((await rebuildPeople(handle.db, { config: CONFIG, force: true })).built).toEqual({
        mode: "full",
      });
    }
    expect(await heapBytes()).toBe(one);
    expect(await deadRows()).toBe(0);
  });

  it("gives the rows of changed people back once a fifth of the people was replaced", async () => {
    const one = await heapBytes();
    const dead: (number | undefined)[] = [];
    for (let round = 1; round <= 8; round++) {
      // 150 people a round, each a sign-in later: the rows deleted pass 250 every second round.
      users = users.map((u, i) =>
        i % 20 < 3
          ? { ...u, lastActiveAt: new Date(Date.parse(DAY) - round * 1000).toISOString() }
          : u,
      );
      await seedDirectory(handle.db, "telnyx", users);
      const state = await rebuildPeople(handle.db, { config: CONFIG });
      expect(state.built).toEqual({ mode: "changes", people: 150 });
      dead.push(await deadRows());
    }
    // Counted up past the threshold, then reset by the vacuum.
    expect(dead).toEqual([150, 0, 150, 0, 150, 0, 150, 0]);
    // Without the vacuums the table held 1 + 8 × 0.15 builds' rows.
    expect(await heapBytes()).toBeLessThanOrEqual(one * 1.5);
  });
});

/**
 * `db`, but each of its transactions runs `then` (and waits for it) right after
 * its `n`-th raw statement: another connection's commit lands between two of them.
 */
function afterStatement(db: Db, n: number, then: () => Promise<unknown>): Db {
  const watch = (tx: Db) => {
    let statements = 0;
    return new Proxy(tx, {
      get(target, prop) {
        if (prop !== "execute") return Reflect.get(target, prop);
        return async (query: SQL) => {
          const result = await target.execute(query);
          if (++statements === n) await then();
          return result;
        };
      },
    });
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== "transaction") return Reflect.get(target, prop);
      return (run: (tx: Db) => Promise<unknown>) => target.transaction((tx) => run(watch(tx)));
    },
  });
}

describe("a people rebuild on a PostgreSQL server", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("postgres");
    await seedDirectory(
      handle.db,
      "telnyx",
      ["a", "b", "c"].map((x) => telnyx(`${x}@acme.com`)),
    );
    await seedDirectory(handle.db, "openai", [openai("a@acme.com")]);
  });
  afterAll(() => handle.close());

  it("never records people from two syncs: a sync landing mid-build makes it build again", async () => {
    let landed: number | null = null;
    // Statements: the lock, the delete, the chunk edges, then one person per insert. After a@'s
    // insert, an OpenAI sync replaces a@ with c@ and commits.
    const db = afterStatement(handle.db, 4, async () => {
      landed ??= (await seedDirectory(handle.db, "openai", [openai("c@acme.com")])).snapshotId;
    });
    const state = await rebuildPeople(db, { config: CONFIG, force: true, chunk: 1 });
    expect(landed).not.toBeNull();
    const rows = await selectRows<{ key: string }>(
      handle.db,
      sql`select key from people where 'openai' = any(vendors) order by key`,
    );
    expect(rows.map((r) => r.key)).toEqual(["c@acme.com"]);
    const [build] = await selectRows<{ openai: number }>(
      handle.db,
      sql`select openai_snapshot::int as openai from people_build`,
    );
    expect(build?.openai).toBe(landed);
    expect(state.total).toBe(3);
  });

  it("builds again when a sync lands while it builds only the people that changed", async () => {
    const many = Array.from({ length: 20 }, (_, i) => telnyx(`m${i}@acme.com`));
    await seedDirectory(handle.db, "telnyx", many);
    await rebuildPeople(handle.db, { config: CONFIG });
    await seedDirectory(handle.db, "telnyx", [...many, telnyx("first@acme.com")]);
    let landed: number | null = null;
    // Statements: the lock, the changed people (first@); then another sync adds second@.
    const db = afterStatement(handle.db, 2, async () => {
      landed ??= (
        await seedDirectory(handle.db, "telnyx", [
          ...many,
          telnyx("first@acme.com"),
          telnyx("second@acme.com"),
        ])
      ).snapshotId;
    });
    const state = await rebuildPeople(db, { config: CONFIG });
    expect(landed).not.toBeNull();
    expect(state.built).toEqual({ mode: "changes", people: 2 });
    expect(state.inputs.telnyxSnapshotId).toBe(landed);
    const rows = await selectRows<{ key: string }>(
      handle.db,
      sql`select key from people where key in ('first@acme.com', 'second@acme.com') order by key`,
    );
    expect(rows.map((r) => r.key)).toEqual(["first@acme.com", "second@acme.com"]);
  });

  it("gives up with 409 list_changed when a sync lands during every attempt, keeping the last build", async () => {
    const before = await selectRows<{ generation: number }>(
      handle.db,
      sql`select generation from people_build`,
    );
    let syncs = 0;
    const db = afterStatement(handle.db, 4, () =>
      seedDirectory(handle.db, "openai", [openai(`n${++syncs}@acme.com`)]),
    );
    await expect(
      rebuildPeople(db, { config: CONFIG, force: true, chunk: 1 }),
    ).rejects.toMatchObject({
      code: "list_changed",
    });
    expect(syncs).toBe(3);
    const after = await selectRows<{ generation: number }>(
      handle.db,
      sql`select generation from people_build`,
    );
    expect(after).toEqual(before);
  });
});
