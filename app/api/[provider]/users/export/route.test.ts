import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";

import { createHash } from "node:crypto";

import { getExportManifest } from "@/lib/activity/exports";
import { adminCookieHeader } from "@/testing/auth";
import { useDbForTests } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env.mjs";
import { exportSlots } from "@/lib/export/slots";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { DEFAULTS, type OpenAIUser, type TelnyxUser } from "@/sandbox/data";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { GET } from "./route";
import { FORMULA, iso, safe, unix } from "@/e2e/expected-csv";

/*
 * The export route against a real in-process sandbox. Expected rows are
 * derived here from the sandbox's raw vendor records, independently of the
 * adapters and of lib/export, so a mapping or CSV bug in either shows up.
 */

const TELNYX_USERS = 1100; // 5 pages of 250
const OPENAI_USERS = 430; // 5 pages of 100

let sandbox: Sandbox;
let cookie: string;
let db: TestDbHandle;
const savedEnv = { ...process.env };

function setEnv(vars: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}

beforeAll(async () => {
  // Every export records its manifest in the activity log.
  db = await createTestDb("pglite");
  useDbForTests(db);
  sandbox = await startSandbox({ port: 0, telnyxUsers: TELNYX_USERS, openaiUsers: OPENAI_USERS });
  setEnv({
    TELNYX_API_KEY: DEFAULTS.telnyxKey,
    TELNYX_BASE_URL: `${sandbox.url}/v2`,
    OPENAI_ADMIN_KEY: DEFAULTS.openaiKey,
    OPENAI_BASE_URL: `${sandbox.url}/v1`,
    UPSTREAM_TIMEOUT_MS: "5000",
    UPSTREAM_MAX_RETRIES: "8",
    UPSTREAM_MAX_RETRY_WAIT_MS: "2000",
    EXPORT_CONCURRENCY: "4",
  });
  cookie = await adminCookieHeader();
});

afterEach(() => {
  sandbox.reset();
  vi.restoreAllMocks();
  // A slot still held here would lock its admin out of exports for the rest of the process.
  expect(exportSlots.inUse()).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
  await db.close();
  process.env = savedEnv;
  resetEnvCache();
});

function call(path: string, headers: Record<string, string> = { cookie }, signal?: AbortSignal) {
  const url = new URL(path, "http://127.0.0.1");
  const provider = url.pathname.split("/")[2] ?? "";
  return GET(new Request(url, { headers, signal }), { params: Promise.resolve({ provider }) });
}

async function bodyText(response: Response): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
}

async function readCsv(
  response: Response,
): Promise<{ header: string[]; rows: string[][]; text: string }> {
  expect(response.status).toBe(200);
  const text = await bodyText(response);
  expect(text.startsWith("\uFEFF")).toBe(true);
  const [header = [], ...rows] = parse(text, { bom: true }) as string[][];
  return { header, rows, text };
}

// --- Expected values, from the raw vendor records -------------------------

function telnyxRow(u: TelnyxUser, groups: boolean): string[] {
  return [
    u.id,
    safe(u.email),
    u.user_status,
    u.record_type === "organization_owner" ? "owner" : "member",
    String(u.organization_user_bypasses_sso),
    iso(u.created_at),
    iso(u.last_sign_in_at),
    ...(groups ? [safe(u.groups.map((g) => g.name).join("; "))] : []),
  ];
}

function openaiStatus(u: OpenAIUser): string {
  if (u.user?.banned) return "blocked";
  if (u.user?.enabled === false) return "disabled";
  return "enabled";
}

const openaiEmail = (u: OpenAIUser) => u.email ?? u.user?.email ?? null;

function openaiRow(u: OpenAIUser, groups: boolean): string[] {
  return [
    u.id,
    safe(u.name ?? u.user?.name),
    safe(openaiEmail(u)),
    safe(u.role),
    openaiStatus(u),
    u.is_service_account ? "service_account" : u.is_scim_managed ? "scim_managed" : "user",
    unix(u.added_at),
    unix(u.api_key_last_used_at),
    ...(groups ? [safe(u.projects ? u.projects.data.map((p) => p.name).join("; ") : null)] : []),
  ];
}

const TELNYX_HEADER = [
  "id",
  "email",
  "status",
  "role",
  "sso_bypass",
  "created_at",
  "last_sign_in_at",
];
const OPENAI_HEADER = [
  "id",
  "name",
  "email",
  "role",
  "status",
  "account",
  "added_at",
  "last_api_key_use",
];

// --- Tests ------------------------------------------------------------------

describe("GET /api/{provider}/users/export", () => {
  it("exports every Telnyx user once, in order, with groups, and announces the total", async () => {
    const response = await call("/api/telnyx/users/export?groups=true");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    const today = new Date().toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="roster-telnyx-users-${today}.csv"`,
    );
    expect(response.headers.get("x-total-count")).toBe(String(TELNYX_USERS));
    const { header, rows, text } = await readCsv(response);
    expect(header).toEqual([...TELNYX_HEADER, "groups"]);
    expect(rows).toEqual(sandbox.data.telnyx.map((u) => telnyxRow(u, true)));
    expect(new Set(rows.map((r) => r[0])).size).toBe(TELNYX_USERS);
    // RFC 4180 line ends: every record ends with CRLF (a bare LF only inside quoted values).
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("exports every OpenAI user once, in order, with projects; no total is known", async () => {
    const response = await call("/api/openai/users/export?groups=true");
    expect(response.headers.get("x-total-count")).toBeNull();
    const { header, rows } = await readCsv(response);
    expect(header).toEqual([...OPENAI_HEADER, "projects"]);
    expect(rows).toEqual(sandbox.data.openai.map((u) => openaiRow(u, true)));
  });

  it("exports a filtered Telnyx subset (vendor-side filters)", async () => {
    const response = await call("/api/telnyx/users/export?status=enabled&email=CONTOSO");
    const expected = sandbox.data.telnyx.filter(
      (u) => u.user_status === "enabled" && u.email.toLowerCase().includes("contoso"),
    );
    expect(expected.length).toBeGreaterThan(300);
    expect(expected.length).toBeLessThan(TELNYX_USERS);
    expect(response.headers.get("x-total-count")).toBe(String(expected.length));
    const { header, rows } = await readCsv(response);
    expect(header).toEqual(TELNYX_HEADER);
    expect(rows).toEqual(expected.map((u) => telnyxRow(u, false)));
  });

  it("exports a filtered OpenAI subset (filters Roster applies while reading)", async () => {
    const response = await call("/api/openai/users/export?status=disabled&email=o");
    const expected = sandbox.data.openai.filter(
      (u) =>
        openaiStatus(u) === "disabled" && (openaiEmail(u)?.toLowerCase().includes("o") ?? false),
    );
    expect(expected.length).toBeGreaterThan(5);
    const { rows } = await readCsv(response);
    expect(rows).toEqual(expected.map((u) => openaiRow(u, false)));
  });

  it("neutralizes formula triggers and round-trips quotes, commas, newlines and emoji", async () => {
    const { rows } = await readCsv(await call("/api/openai/users/export?columns=id,name,email"));
    const byId = new Map(rows.map((r) => [r[0], r]));
    const named = (pattern: RegExp) =>
      sandbox.data.openai.filter((u) => pattern.test(u.name ?? ""));

    const formulas = named(/^[=+\-@]/);
    expect(formulas.length).toBeGreaterThanOrEqual(3);
    for (const u of formulas) expect(byId.get(u.id)?.[1]).toBe(`'${u.name}`);

    const awkward = named(/[",\n]|\p{Extended_Pictographic}/u).filter(
      (u) => !FORMULA.test(u.name ?? ""),
    );
    expect(awkward.length).toBeGreaterThanOrEqual(3);
    for (const u of awkward) expect(byId.get(u.id)?.[1]).toBe(u.name);
    const telnyx = await readCsv(await call("/api/telnyx/users/export?columns=email"));
    expect(telnyx.rows.map((r) => r[0])).toContain("'=1+1@contoso.com");
    expect(telnyx.rows.map((r) => r[0])).toContain('"night\nshift"@contoso.com');
  });

  it("keeps group names holding `;` in one quoted cell, for readers whose separator is `;`", async () => {
    const response = await call("/api/telnyx/users/export?columns=id,groups");
    const { rows, text } = await readCsv(response);
    const semicolons = sandbox.data.telnyx.filter((u) =>
      u.groups.some((g) => g.name.includes(";")),
    );
    expect(semicolons.length).toBeGreaterThan(0);
    // Every cell holding `;` is quoted, as written.
    for (const line of text.split("\r\n").slice(1)) {
      const groups = line.slice(line.indexOf(",") + 1);
      if (groups.includes(";")) expect(groups).toMatch(/^".*"$/s);
    }
    const expected = sandbox.data.telnyx.map((u) => [
      u.id,
      safe(u.groups.map((g) => g.name).join("; ")),
    ]);
    expect(rows).toEqual(expected);
    // A reader splitting at `;` as well as `,` reads the same cells.
    const [, ...both] = parse(text, { bom: true, delimiter: [",", ";"] }) as string[][];
    expect(both).toEqual(expected);
  });

  it("exports only the columns asked for, in that order", async () => {
    const { header, rows } = await readCsv(await call("/api/telnyx/users/export?columns=email,id"));
    expect(header).toEqual(["email", "id"]);
    expect(rows).toEqual(sandbox.data.telnyx.map((u) => [safe(u.email), u.id]));
  });

  it.each([
    ["/api/telnyx/users/export?columns=id,projects", /"projects".*id, email, status/],
    ["/api/openai/users/export?columns=", /columns/],
    ["/api/openai/users/export?status=gone", /status must be one of/],
    ["/api/openai/users/export?limit=5", /unknown parameter "limit"/],
  ])("answers %s with 400 invalid_query", async (path, message) => {
    const response = await call(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.message).toMatch(message);
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("answers an anonymous caller with 401 before anything else", async () => {
    const response = await call("/api/nope/users/export?columns=bad", {});
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "unauthenticated",
    );
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("answers 404 for an unknown provider and 503 for one without a key", async () => {
    expect((await call("/api/slack/users/export")).status).toBe(404);
    setEnv({ OPENAI_ADMIN_KEY: undefined });
    try {
      const response = await call("/api/openai/users/export");
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("provider_not_configured");
      expect(body.error.message).toContain("OPENAI_ADMIN_KEY");
    } finally {
      setEnv({ OPENAI_ADMIN_KEY: DEFAULTS.openaiKey });
    }
  });

  it("answers a JSON error, not a download, when the first vendor page fails", async () => {
    sandbox.setFaults({ outageAfter: 0, vendor: "telnyx" });
    setEnv({ UPSTREAM_MAX_RETRIES: "1" });
    try {
      const response = await call("/api/telnyx/users/export");
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "upstream_unavailable",
      );
    } finally {
      setEnv({ UPSTREAM_MAX_RETRIES: "8" });
    }
  });

  it.each(["telnyx", "openai"] as const)(
    "aborts the %s download when the vendor fails for good mid-export, and logs it",
    async (provider) => {
      const log = vi.spyOn(console, "info").mockImplementation(() => undefined);
      sandbox.setFaults({ outageAfter: 2, vendor: provider });
      setEnv({ UPSTREAM_MAX_RETRIES: "1" });
      try {
        const response = await call(`/api/${provider}/users/export`);
        expect(response.status).toBe(200);
        await expect(response.arrayBuffer()).rejects.toThrow();
        expect(sandbox.counters().faults.outage).toBeGreaterThan(0);
        const lines = log.mock.calls.map(
          ([line]) => JSON.parse(String(line)) as Record<string, unknown>,
        );
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatchObject({
          event: "roster.export",
          provider,
          outcome: "failed",
          error: "upstream_unavailable",
          detail: expect.stringMatching(new RegExp(`^${provider} 503\\b`)),
        });
        expect(lines[0]?.rows).toBeGreaterThan(0);
        // The vendor's own error body stays out of the log.
        expect(JSON.stringify(lines[0])).not.toMatch(/unavailable\.|Unexpected error/);
      } finally {
        setEnv({ UPSTREAM_MAX_RETRIES: "8" });
      }
    },
  );

  describe("with 20% of vendor requests failing with 429 or 500", () => {
    // A larger sandbox of its own, so that dozens of pages make faults certain to be drawn.
    let faulty: Sandbox;
    beforeAll(async () => {
      faulty = await startSandbox({
        port: 0,
        telnyxUsers: 10_000,
        openaiUsers: 3_000,
        faults: { rate429: 0.1, rate5xx: 0.1, retryAfterMs: 20 },
      });
      setEnv({ TELNYX_BASE_URL: `${faulty.url}/v2`, OPENAI_BASE_URL: `${faulty.url}/v1` });
    });
    afterAll(async () => {
      setEnv({ TELNYX_BASE_URL: `${sandbox.url}/v2`, OPENAI_BASE_URL: `${sandbox.url}/v1` });
      await faulty.close();
    });

    it.each(["telnyx", "openai"] as const)(
      "still holds every %s row exactly once",
      async (provider) => {
        const before = faulty.counters().faults;
        const { rows } = await readCsv(await call(`/api/${provider}/users/export?columns=id`));
        const after = faulty.counters().faults;
        expect(after.rate429 - before.rate429).toBeGreaterThan(0);
        expect(after.rate5xx - before.rate5xx).toBeGreaterThan(0);
        const data = provider === "telnyx" ? faulty.data.telnyx : faulty.data.openai;
        expect(rows).toEqual(data.map((u) => [u.id]));
      },
    );
  });

  it("logs one JSON line per export with who, what and how it ended, and no user data", async () => {
    const log = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const email = "siobhan.obrien";
    const { rows } = await readCsv(
      await call(`/api/telnyx/users/export?status=blocked&email=${email}&columns=id,email`),
    );
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]?.[0]);
    expect(JSON.parse(line)).toMatchObject({
      event: "roster.export",
      admin: "admin@roster.test",
      provider: "telnyx",
      filters: { status: "blocked", email: true, groups: false },
      columns: ["id", "email"],
      rows: rows.length,
      outcome: "ok",
    });
    expect(JSON.parse(line).durationMs).toEqual(expect.any(Number));
    expect(line).not.toContain(email);
  });

  it("stops the vendor calls and logs a cancelled export when the client goes away", async () => {
    const log = vi.spyOn(console, "info").mockImplementation(() => undefined);
    sandbox.setFaults({ latencyMs: 40 });
    // One page at a time, so that the pages not yet asked for are certain to be many.
    setEnv({ EXPORT_CONCURRENCY: "1" });
    onTestFinished(() => setEnv({ EXPORT_CONCURRENCY: "4" }));
    const client = new AbortController();
    const url = new URL("/api/telnyx/users/export?columns=id", "http://127.0.0.1");
    const response = await GET(new Request(url, { headers: { cookie }, signal: client.signal }), {
      params: Promise.resolve({ provider: "telnyx" }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    client.abort();
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Page 1 and at most the one page in flight at the cancel (it may reach the sandbox after the
    // cancel, so no count taken at the cancel is exact); an export that went on would have asked
    // for several more pages at 40 ms each by now.
    expect(sandbox.counters().requests.telnyx).toBeLessThanOrEqual(2);
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({ outcome: "cancelled" });
  });
});

describe("export limits", () => {
  const ids = () => sandbox.data.telnyx.map((u) => [u.id]);
  const path = "/api/telnyx/users/export?columns=id";

  afterEach(() => {
    setEnv({
      EXPORT_MAX_PER_ADMIN: undefined,
      EXPORT_MAX_TOTAL: undefined,
      UPSTREAM_MAX_RETRIES: "8",
      OPENAI_ADMIN_KEY: DEFAULTS.openaiKey,
    });
  });

  /** The vendor calls so far, once no new one has arrived for half a second. */
  async function quietRequestCount(): Promise<number> {
    let last = sandbox.counters().requests.total;
    let quiet = 0;
    for (let i = 0; i < 100 && quiet < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = sandbox.counters().requests.total;
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    if (quiet < 5) throw new Error("the running exports never stopped calling the vendor");
    return last;
  }

  async function refusal(response: Response): Promise<string> {
    expect(response.status).toBe(429);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_many_exports");
    return body.error.message;
  }

  it("refuses an admin's third running export with 429 too_many_exports; other admins still export", async () => {
    const running = [await call(path), await call(path)];
    expect(running.map((r) => r.status)).toEqual([200, 200]);
    // The running exports read ahead until their clients' buffers are full: wait for them to stop
    // calling the vendor, so that any call counted below would be the refused export's.
    const before = await quietRequestCount();
    expect(await refusal(await call(path))).toMatch(/^You already have 2 exports running/);
    expect(sandbox.counters().requests.total).toBe(before);

    const other = await call(path, { cookie: await adminCookieHeader("other@roster.test") });
    expect((await readCsv(other)).rows).toEqual(ids());
    for (const response of running) await response.body?.cancel();
    expect(exportSlots.inUse()).toBe(0);
    expect((await readCsv(await call(path))).rows).toEqual(ids());
  });

  it("refuses any admin's export past EXPORT_MAX_TOTAL for the instance", async () => {
    setEnv({ EXPORT_MAX_TOTAL: "2" });
    const running = [
      await call(path),
      await call(path, { cookie: await adminCookieHeader("second@roster.test") }),
    ];
    expect(running.map((r) => r.status)).toEqual([200, 200]);
    const third = await call(path, { cookie: await adminCookieHeader("third@roster.test") });
    expect(await refusal(third)).toMatch(/server is already running as many exports/);
    for (const response of running) await response.body?.cancel();
  });

  /** Each way an export can end; after each, the admin's only slot must be free again. */
  const endings: [string, () => Promise<void>][] = [
    [
      "it finishes",
      async () => {
        expect((await readCsv(await call(path))).rows).toEqual(ids());
      },
    ],
    [
      "the vendor fails mid-export",
      async () => {
        vi.spyOn(console, "info").mockImplementation(() => undefined);
        sandbox.setFaults({ outageAfter: 2, vendor: "telnyx" });
        setEnv({ UPSTREAM_MAX_RETRIES: "1" });
        const response = await call(path);
        expect(response.status).toBe(200);
        await expect(response.arrayBuffer()).rejects.toThrow();
        sandbox.reset();
      },
    ],
    [
      "the client goes away mid-download",
      async () => {
        const client = new AbortController();
        const response = await call(path, { cookie }, client.signal);
        await response.body!.getReader().read();
        client.abort();
      },
    ],
    [
      "the client cancels the body",
      async () => {
        const reader = (await call(path)).body!.getReader();
        await reader.read();
        await reader.cancel();
      },
    ],
    [
      "the first vendor page fails",
      async () => {
        vi.spyOn(console, "warn").mockImplementation(() => undefined);
        sandbox.setFaults({ outageAfter: 0, vendor: "telnyx" });
        setEnv({ UPSTREAM_MAX_RETRIES: "0" });
        expect((await call(path)).status).toBe(503);
        sandbox.reset();
      },
    ],
    [
      "the client goes away before the first row",
      async () => {
        sandbox.setFaults({ latencyMs: 5_000, vendor: "telnyx" });
        const client = new AbortController();
        const pending = call(path, { cookie }, client.signal);
        // Abort while the first vendor page is on its way.
        await vi.waitFor(() => expect(sandbox.counters().requests.telnyx).toBeGreaterThan(0));
        client.abort();
        expect((await pending).status).toBe(499);
        sandbox.reset();
      },
    ],
    [
      "the provider is not configured",
      async () => {
        vi.spyOn(console, "warn").mockImplementation(() => undefined);
        setEnv({ OPENAI_ADMIN_KEY: undefined });
        expect((await call("/api/openai/users/export")).status).toBe(503);
      },
    ],
  ];

  it.each(endings)("gives the slot back exactly once when %s", async (_name, end) => {
    setEnv({ EXPORT_MAX_PER_ADMIN: "1" });
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    await end();
    expect(exportSlots.inUse()).toBe(0);
    // Not locked out: the next export runs, and holds the one slot while it does.
    const next = await call(path);
    expect(next.status).toBe(200);
    expect(exportSlots.inUse("admin@roster.test")).toBe(1);
    expect((await readCsv(next)).rows).toEqual(ids());
    expect(exportSlots.inUse()).toBe(0);
  });
});

describe("export manifest", () => {
  it("names its manifest in X-Roster-Export-Id; the manifest holds the sha256 of the bytes sent", async () => {
    const response = await call("/api/openai/users/export?columns=id,email");
    expect(response.status).toBe(200);
    const id = Number(response.headers.get("x-roster-export-id"));
    expect(Number.isInteger(id) && id > 0).toBe(true);
    const bytes = Buffer.from(await response.arrayBuffer());
    // The finished entry is written as the body ends; wait for it without sleeping blindly.
    let manifest = await getExportManifest(db.db, id);
    for (let i = 0; i < 100 && manifest?.outcome === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      manifest = await getExportManifest(db.db, id);
    }
    const rows = sandbox.data.openai.length;
    expect(manifest).toMatchObject({
      id,
      admin: "admin@roster.test",
      provider: "openai",
      source: "vendor",
      snapshotId: null,
      filters: { status: null, email: false, groups: false },
      columns: ["id", "email"],
      outcome: "ok",
      rows,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  });

  it("records a cancelled download as cancelled, with the bytes that were sent", async () => {
    const response = await call("/api/telnyx/users/export?columns=id");
    const id = Number(response.headers.get("x-roster-export-id"));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    let manifest = await getExportManifest(db.db, id);
    for (let i = 0; i < 100 && manifest?.outcome === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      manifest = await getExportManifest(db.db, id);
    }
    expect(manifest?.outcome).toBe("cancelled");
    expect(manifest?.rows).toBeLessThan(TELNYX_USERS);
  });
});
