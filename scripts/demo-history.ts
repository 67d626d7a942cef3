/**
 * The demo's history: once Roster has synced the sandbox at start, some of the
 * sandbox's users leave, join and change, and Roster syncs again, so Changes,
 * People and the activity log have something to show. It signs in as the demo
 * admin through next-auth's credentials flow and uses the public API, as a
 * script would (README: "Example: curl against npm run demo").
 */
import { CSV_LINE_END, quoteCell } from "../lib/export/csv";
import type { Mutation, MutationResult, Sandbox } from "../sandbox/server";

const POLL_MS = 500;

/** What the sandbox changes: a few users per vendor, picked by position, never the owner (index 0). */
export function demoMutations(data: Sandbox["data"]): Mutation[] {
  const pick = (length: number, from: number, step: number, count: number) =>
    Array.from({ length: count }, (_, i) => from + i * step).filter((at) => at > 0 && at < length);
  const telnyx = data.telnyx;
  const openai = data.openai;
  const telnyxStatus = pick(telnyx.length, 7, 53, 6).map((at, i) => ({
    id: telnyx[at]!.id,
    status: i % 2 === 0 ? ("blocked" as const) : ("disabled" as const),
  }));
  const telnyxRole = pick(telnyx.length, 11, 71, 2).map((at) => ({
    id: telnyx[at]!.id,
    role: "owner",
  }));
  const telnyxGroups = pick(telnyx.length, 13, 89, 3).map((at) => ({
    id: telnyx[at]!.id,
    groups: ["Finance"],
  }));
  const openaiRole = pick(openai.length, 5, 61, 3).map((at) => ({
    id: openai[at]!.id,
    role: "owner",
  }));
  return [
    {
      vendor: "telnyx",
      change: dedupe([...telnyxStatus, ...telnyxRole, ...telnyxGroups]),
      remove: 8,
      add: 6,
    },
    { vendor: "openai", change: openaiRole, remove: 4, add: 5 },
  ];
}

const DAY_MS = 86_400_000;
const DEPARTMENTS = ["Engineering", "Sales", "Support", "Finance", "Operations"];
/** Plain addresses only: the sandbox's odd ones (quoted local parts, …) stay out of the roster. */
const PLAIN_EMAIL = /^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

/**
 * An HR roster for the sandbox's people, so People's roster flags have
 * something to show: everyone with a plain address is in it, and every 40th
 * is marked `left`. A leaver who signed in to Telnyx left five days before
 * that sign-in (so it was used after leaving); the others left 30 days before
 * `now`. Addresses the sandbox made odd are left out: not in the roster.
 */
export function demoRoster(data: Sandbox["data"], now = Date.now()): { csv: string; left: number } {
  const lastUse = new Map<string, number>();
  for (const user of data.telnyx) {
    const at = user.last_sign_in_at === null ? NaN : Date.parse(user.last_sign_in_at);
    if (user.user_status === "enabled" && !Number.isNaN(at))
      lastUse.set(user.email.toLowerCase(), at);
  }
  const people = new Map<string, string>();
  for (const email of [...data.telnyx.map((u) => u.email), ...data.openai.map((u) => u.email)]) {
    if (typeof email === "string" && PLAIN_EMAIL.test(email)) {
      people.set(email.toLowerCase(), email);
    }
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // Quoted where RFC 4180 needs it, without the export's formula guard: the roster is read as
  // given, so a guard's `'` would become part of an address such as `+alerts@contoso.com`.
  const csvRow = (cells: string[]) => cells.map(quoteCell).join(",") + CSV_LINE_END;
  let csv = csvRow(["email", "department", "status", "end_date"]);
  let left = 0;
  [...people.keys()].sort().forEach((key, i) => {
    const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
    if (i % 40 !== 39) {
      csv += csvRow([people.get(key)!, department, "active", ""]);
      return;
    }
    left++;
    const used = lastUse.get(key);
    const endDate = used === undefined ? now - 30 * DAY_MS : used - 5 * DAY_MS;
    csv += csvRow([people.get(key)!, department, "left", day(endDate)]);
  });
  return { csv, left };
}

/** One change per user: the first wins (positions may coincide in a small sandbox). */
function dedupe<T extends { id: string }>(changes: T[]): T[] {
  const seen = new Set<string>();
  return changes.filter((change) => !seen.has(change.id) && Boolean(seen.add(change.id)));
}

interface ProviderStatus {
  configured: boolean;
  current: { snapshotId: number } | null;
  running: unknown;
  lastFailure: { code: string; message: string } | null;
}

/** A session cookie for `email`, through next-auth's credentials sign-in. */
export async function signIn(appUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      if (at > 0) jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signedIn = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password }),
    redirect: "manual",
  });
  keep(signedIn);
  if (![...jar.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
    throw new Error(`signing in as ${email} gave no session (HTTP ${signedIn.status})`);
  }
  return cookie();
}

async function status(appUrl: string, cookie: string): Promise<Record<string, ProviderStatus>> {
  const response = await fetch(`${appUrl}/api/directory/status`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET /api/directory/status answered ${response.status}`);
  return ((await response.json()) as { providers: Record<string, ProviderStatus> }).providers;
}

/**
 * Waits until every configured vendor has a snapshot newer than `after` (its
 * id) and no sync runs. A failed sync is retried by the schedule, so only the
 * time limit ends the wait; its message carries the last failure.
 */
async function waitForSyncs(
  appUrl: string,
  cookie: string,
  after: Record<string, number>,
  timeoutMs: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const providers = Object.entries(await status(appUrl, cookie)).filter(([, p]) => p.configured);
    const done = providers.every(
      ([id, p]) => !p.running && (p.current?.snapshotId ?? 0) > (after[id] ?? 0),
    );
    if (done) return Object.fromEntries(providers.map(([id, p]) => [id, p.current!.snapshotId]));
    if (Date.now() > deadline) {
      const failures = providers
        .filter(([, p]) => p.lastFailure)
        .map(([id, p]) => `${id}: ${p.lastFailure!.message}`);
      throw new Error(
        `the syncs did not finish within ${timeoutMs / 1000} s${failures.length ? ` (${failures.join("; ")})` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Syncs, changes the sandbox, syncs again, and puts an HR roster in force; returns what changed. */
export async function seedDemoHistory(input: {
  appUrl: string;
  sandbox: Pick<Sandbox, "data" | "mutate">;
  email: string;
  password: string;
  timeoutMs?: number;
  /** The roster's "today" (demoRoster). */
  now?: number;
}): Promise<{ changes: MutationResult[]; rosterLeft: number }> {
  const timeoutMs = input.timeoutMs ?? 120_000;
  const cookie = await signIn(input.appUrl, input.email, input.password);
  // The schedule syncs both vendors at start (or did, on a run less than an interval ago).
  const first = await waitForSyncs(input.appUrl, cookie, {}, timeoutMs);
  const results = demoMutations(input.sandbox.data).map((m) => input.sandbox.mutate(m));
  const started = await fetch(`${input.appUrl}/api/directory/sync`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: "{}",
  });
  if (started.status !== 202) {
    throw new Error(`POST /api/directory/sync answered ${started.status}: ${await started.text()}`);
  }
  await waitForSyncs(input.appUrl, cookie, first, timeoutMs);
  const roster = demoRoster(input.sandbox.data, input.now);
  const uploaded = await fetch(`${input.appUrl}/api/roster`, {
    method: "POST",
    headers: { cookie, "content-type": "text/csv" },
    body: roster.csv,
  });
  if (!uploaded.ok) {
    throw new Error(`POST /api/roster answered ${uploaded.status}: ${await uploaded.text()}`);
  }
  return { changes: results, rosterLeft: roster.left };
}
