import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startSandbox, type Sandbox } from "../sandbox/server";

import { parseRosterCsv } from "@/lib/people/roster-csv";

import { demoMutations, demoRoster, seedDemoHistory } from "./demo-history";

const EMAIL = "admin@roster.demo";
const PASSWORD = "demo-pass-123456";
/** The roster's "30 days ago" is computed from this, so two computations agree across midnight. */
const NOW = Date.parse("2026-12-06T12:00:00Z");

/**
 * Roster's side of the flow, as small as the script needs: next-auth's CSRF
 * and credentials sign-in (cookies), the directory status, and a sync that
 * records how many sandbox users it saw and becomes current after a moment.
 */
function fakeRoster(sandbox: Sandbox) {
  const snapshots = { telnyx: 0, openai: 0 };
  let running = false;
  const syncs: { telnyx: number; openai: number }[] = [];
  const rosters: string[] = [];
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      req.on("data", (chunk: Buffer) => (text += chunk.toString()));
      req.on("end", () => resolve(text));
    });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const cookie = req.headers.cookie ?? "";
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      };
      if (req.url === "/api/auth/csrf") {
        res.setHeader("set-cookie", "next-auth.csrf-token=csrf123%7Chash; Path=/; HttpOnly");
        return json(200, { csrfToken: "csrf123" });
      }
      if (req.url === "/api/auth/callback/credentials" && req.method === "POST") {
        const form = new URLSearchParams(await body(req));
        const ok =
          cookie.includes("next-auth.csrf-token=csrf123") &&
          form.get("csrfToken") === "csrf123" &&
          form.get("email") === EMAIL &&
          form.get("password") === PASSWORD;
        if (ok) res.setHeader("set-cookie", "next-auth.session-token=s3ss10n; Path=/; HttpOnly");
        res.writeHead(302, { location: ok ? "/" : "/signin?error=CredentialsSignin" }).end();
        return;
      }
      if (!cookie.includes("next-auth.session-token=s3ss10n")) return json(401, {});
      if (req.url === "/api/directory/status") {
        const provider = (id: "telnyx" | "openai") => ({
          configured: true,
          current: snapshots[id] ? { snapshotId: snapshots[id] } : null,
          running: running ? { startedAt: "now" } : null,
          lastFailure: null,
        });
        return json(200, { providers: { telnyx: provider("telnyx"), openai: provider("openai") } });
      }
      if (req.url === "/api/roster" && req.method === "POST") {
        if (req.headers["content-type"] !== "text/csv") return json(400, {});
        rosters.push(await body(req));
        return json(201, {});
      }
      if (
        req.url === "/api/directory/sync" &&
        req.method === "POST" &&
        (await body(req)) === "{}"
      ) {
        running = true;
        syncs.push({ telnyx: sandbox.data.telnyx.length, openai: sandbox.data.openai.length });
        setTimeout(() => {
          snapshots.telnyx = Math.max(snapshots.telnyx, snapshots.openai) + 1;
          snapshots.openai = snapshots.telnyx + 1;
          running = false;
        }, 300);
        return json(202, { syncs: [] });
      }
      json(404, {});
    })();
  });
  return {
    server,
    syncs,
    rosters,
    /** The sync the schedule runs at start. */
    syncAtStart() {
      snapshots.telnyx = 1;
      snapshots.openai = 2;
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => {
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        }),
      ),
  };
}

describe("the demo's history", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, telnyxUsers: 300, openaiUsers: 200 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
    sandbox.reset();
  });
  /** A stand-in for Roster on a free port, closed after the test. */
  async function startFakeRoster() {
    const roster = fakeRoster(sandbox);
    servers.push(roster.server);
    return { roster, appUrl: await roster.listen() };
  }

  it("changes a few users of each vendor, never the owner, the same way every run", () => {
    const owners = { telnyx: sandbox.data.telnyx[0]!.id, openai: sandbox.data.openai[0]!.id };
    const planned = demoMutations(sandbox.data);
    expect(demoMutations(sandbox.data)).toEqual(planned);
    const results = planned.map((mutation) => sandbox.mutate(mutation));
    expect(results.map((r) => [r.vendor, r.removed.length, r.added.length])).toEqual([
      ["telnyx", 8, 6],
      ["openai", 4, 5],
    ]);
    for (const result of results) {
      expect(result.changed.length).toBeGreaterThan(0);
      expect([...result.changed, ...result.removed]).not.toContain(owners[result.vendor]);
      expect(sandbox.data[result.vendor][0]!.id).toBe(owners[result.vendor]);
    }
  });

  it("writes an HR roster Roster imports: plain addresses, every 40th left, some after a sign-in", () => {
    const { csv, left } = demoRoster(sandbox.data, NOW);
    const parsed = parseRosterCsv(csv);
    if (!parsed.ok) throw new Error(`${parsed.message} ${JSON.stringify(parsed.errors)}`);
    const leavers = parsed.rows.filter((row) => row.status === "left");
    expect(leavers).toHaveLength(left);
    expect(left).toBe(Math.floor(parsed.rows.length / 40));
    expect(left).toBeGreaterThan(0);
    // A leaver with an enabled Telnyx account who signed in left five days before that sign-in.
    const signIns = new Map(
      sandbox.data.telnyx
        .filter((u) => u.user_status === "enabled" && u.last_sign_in_at)
        .map((u) => [u.email.toLowerCase(), u.last_sign_in_at!.slice(0, 10)]),
    );
    const usedAfter = leavers.filter((row) => signIns.has(row.emailKey));
    expect(usedAfter.length).toBeGreaterThan(0);
    for (const row of usedAfter) expect(row.endDate! < signIns.get(row.emailKey)!).toBe(true);
    for (const row of leavers.filter((r) => !signIns.has(r.emailKey))) {
      expect(row.endDate).toBe("2026-11-06");
    }
    // Every plain sandbox address is in it, once.
    const plain = new Set(
      [...sandbox.data.telnyx, ...sandbox.data.openai]
        .map((u) => u.email?.toLowerCase())
        .filter(
          (email): email is string =>
            !!email && /^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(email),
        ),
    );
    expect(new Set(parsed.rows.map((row) => row.emailKey))).toEqual(plain);
  });

  it("waits for the first syncs, changes the sandbox, then syncs again and waits for it", async () => {
    const { roster, appUrl } = await startFakeRoster();
    const before = { telnyx: sandbox.data.telnyx.length, openai: sandbox.data.openai.length };
    // The schedule's first sync finishes while the script already waits for it.
    setTimeout(() => roster.syncAtStart(), 700);
    const results = await seedDemoHistory({
      appUrl,
      sandbox,
      email: EMAIL,
      password: PASSWORD,
      timeoutMs: 10_000,
      now: NOW,
    });
    // One sync asked for, after the sandbox changed: it saw the changed counts.
    expect(roster.syncs).toEqual([
      { telnyx: before.telnyx - 8 + 6, openai: before.openai - 4 + 5 },
    ]);
    expect(results.changes.map((r) => r.users)).toEqual([
      before.telnyx - 8 + 6,
      before.openai - 4 + 5,
    ]);
    // Then the roster of the changed sandbox is put in force.
    expect(roster.rosters).toEqual([demoRoster(sandbox.data, NOW).csv]);
    expect(results.rosterLeft).toBe(demoRoster(sandbox.data, NOW).left);
  });

  it("says so when the sign-in gives no session, and changes nothing", async () => {
    const { roster, appUrl } = await startFakeRoster();
    const users = sandbox.data.telnyx.length;
    await expect(
      seedDemoHistory({ appUrl, sandbox, email: EMAIL, password: "wrong", timeoutMs: 2_000 }),
    ).rejects.toThrow(`signing in as ${EMAIL} gave no session (HTTP 302)`);
    expect(sandbox.data.telnyx.length).toBe(users);
    expect(roster.syncs).toEqual([]);
  });

  it("gives up after its time limit when the first syncs never finish, changing nothing", async () => {
    const { appUrl } = await startFakeRoster();
    const users = sandbox.data.openai.length;
    await expect(
      seedDemoHistory({ appUrl, sandbox, email: EMAIL, password: PASSWORD, timeoutMs: 1_000 }),
    ).rejects.toThrow("the syncs did not finish within 1 s");
    expect(sandbox.data.openai.length).toBe(users);
  });
});
