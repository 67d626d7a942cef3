/**
 * Hostile input to every route that takes a query, a path segment or a body:
 * each must answer a 4xx `{ error: { code, message } }` naming the problem, or,
 * where the input is legitimately acceptable, a 2xx with the right data;
 * never a 500, a hang or a silent wrong answer. Table-driven: each parameter
 * has a kind, each kind its hostile values, each body route the same hostile
 * bodies; the few variants a route rightly accepts are listed with a check of
 * what they answer.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { seedDirectory, openaiUser } from "@/testing/directory";
import { withSandboxAndDb } from "@/testing/sandbox-db";

import { GET as listUsers } from "./[provider]/users/route";
import { GET as exportUsers } from "./[provider]/users/export/route";
import { GET as listActivity } from "./activity/route";
import { GET as exportActivity } from "./activity/export/route";
import { GET as verifyActivity } from "./activity/verify/route";
import { GET as listChanges } from "./directory/changes/route";
import { GET as listSnapshots } from "./directory/snapshots/route";
import { GET as exportChanges } from "./directory/changes/export/route";
import { GET as directoryStatus } from "./directory/status/route";
import { POST as startSync } from "./directory/sync/route";
import { POST as cancelSync } from "./directory/sync/cancel/route";
import { GET as exportManifest } from "./exports/[id]/route";
import { POST as checkOffboarding } from "./offboarding/check/route";
import { GET as getPerson } from "./people/[email]/route";
import { GET as exportPeople } from "./people/export/route";
import { GET as listPeople } from "./people/route";
import { POST as closeReview } from "./reviews/[id]/close/route";
import { POST as decide } from "./reviews/[id]/decisions/route";
import { GET as evidenceCsv } from "./reviews/[id]/evidence.csv/route";
import { GET as evidenceJson } from "./reviews/[id]/evidence.json/route";
import { GET as listItems } from "./reviews/[id]/items/route";
import { GET as revokeCsv } from "./reviews/[id]/revoke.csv/route";
import { GET as getReview } from "./reviews/[id]/route";
import { GET as listReviews, POST as createReview } from "./reviews/route";
import { GET as getRoster, POST as uploadRoster } from "./roster/route";

const BASE = "http://roster.test";
/** Longer than any call should take here; a hang fails the variant instead of the whole file. */
const CALL_TIMEOUT_MS = 10_000;

/** A route handler, whatever its params: each is called with the params its route takes. */
type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

interface Answer {
  status: number;
  /** The JSON body, or the text of a download. */
  body: unknown;
  text: string;
}

let cookie: string;

async function send(
  handler: Handler,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: BodyInit } = {},
  params: Record<string, string> = {},
): Promise<Answer> {
  const headers = new Headers(init.headers);
  headers.set("cookie", cookie);
  if (init.method && init.method !== "GET") headers.set("origin", BASE);
  const request = new Request(url, { method: init.method ?? "GET", headers, body: init.body });
  // A string body gets text/plain unless told otherwise; "no Content-Type" is sent as none.
  if (!headers.has("content-type")) request.headers.delete("content-type");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${CALL_TIMEOUT_MS} ms`)),
      CALL_TIMEOUT_MS,
    );
  });
  try {
    const response = await Promise.race([
      handler(request, { params: Promise.resolve(params) as Promise<never> }),
      timeout,
    ]);
    const text = await Promise.race([response.text(), timeout]);
    let body: unknown = text;
    if (response.headers.get("content-type")?.startsWith("application/json")) {
      body = JSON.parse(text);
    }
    return { status: response.status, body, text };
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with an answer to a hostile variant; null when it is a proper refusal or accepted as listed. */
type Check = (answer: Answer) => string | null;

/** A 4xx with `{ error: { code, message } }`, the code among `codes` when given. */
function refused(codes?: readonly string[]): Check {
  return (answer) => {
    if (answer.status < 400 || answer.status > 499) return `answered ${answer.status}`;
    const error = (answer.body as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code !== "string") return `answered ${answer.status} without an error code`;
    if (typeof error.message !== "string" || error.message.trim() === "") {
      return `answered ${answer.status} ${error.code} without a message`;
    }
    if (codes && !codes.includes(error.code)) return `answered ${answer.status} ${error.code}`;
    return null;
  };
}

/** The check of a variant a route accepts (an own entry only: a label may be "__proto__"). */
function acceptedAs(accepts: Record<string, Check> | undefined, label: string): Check | undefined {
  return accepts && Object.hasOwn(accepts, label) ? accepts[label] : undefined;
}

const QUERY_CODES = ["invalid_query", "invalid_cursor"] as const;

/* ------------------------------------------------------------------------------------------ */
/* Query parameters                                                                            */

/** A value as it goes into the query string, already percent-encoded where it must be. */
interface Variant {
  label: string;
  raw: string;
}

const LONG = "a".repeat(100 * 1024);

/** Every parameter gets these, whatever its kind. */
const COMMON: Variant[] = [
  { label: "empty", raw: "" },
  { label: "100 kB", raw: LONG },
  { label: "NUL", raw: "%00" },
  { label: "a lone surrogate as UTF-8 (CESU)", raw: "%ED%A0%80" },
  { label: "a lone surrogate as %u", raw: "%uD800" },
  { label: "invalid percent-encoding", raw: "%E0%A4%A" },
  { label: "Latin-1 byte", raw: "%E9" },
];

const NUMBERS: Variant[] = [
  "-1",
  "0",
  "1e309",
  "1e2",
  "0x10",
  "1.5",
  "9007199254740993",
  "99999999999999999999",
  "+5",
  "%205",
  "5%20",
  "NaN",
  "Infinity",
  "%EF%BC%95", // a full-width 5
].map((raw) => ({ label: `number ${raw}`, raw }));

const DATES: Variant[] = [
  "0000-01-01",
  "0000-01-01T00:00:00Z",
  "275760-09-14T00:00:00Z",
  "%2B275760-09-14T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "10000-01-01",
  "2026-02-30",
  "2026-02-30T00:00:00Z",
  "2026-13-01",
  "2026-1-1",
  "2026-01-01T00:00:00",
  "2026-01-01T24:00:00Z",
  "2026-01-01T00:00:00%2B24:00",
  "2026-01-01 00:00:00Z",
  "1767225600",
  "1767225600000",
  "Thu, 01 Jan 2026 00:00:00 GMT",
].map((raw) => ({ label: `date ${raw}`, raw }));

/** Text that a filter takes as itself: quotes, wildcards of LIKE and of regular expressions, emoji, bidi. */
const TEXT_FILTERS: Variant[] = [
  '"',
  "[]",
  "&",
  "%",
  "_",
  ".*",
  "\\",
  "😀",
  "\u202e",
  "<b>",
  "+",
  "ä",
].map((text) => ({ label: `text ${JSON.stringify(text)}`, raw: encodeURIComponent(text) }));

/**
 * Real instants at the edges of what a date may be (years 1 and 9999, the
 * widest zone offsets): each is refused with a code or answered, never a 500.
 */
const EDGE_DATES: Variant[] = [
  "0001-01-01",
  "9999-12-31",
  "0001-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999Z",
  "0001-01-01T00:00:00%2B14:00",
  "9999-12-31T23:59:59-12:00",
].map((raw) => ({ label: `edge date ${raw}`, raw }));

/** Cursors that no route made, or that another route or provider made; filled in once the data exists. */
const foreignCursors: Variant[] = [];

function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const GARBAGE_CURSORS: Variant[] = [
  { label: "garbage cursor", raw: "garbage" },
  { label: "cursor of dots", raw: "..." },
  { label: "base64 of JSON null", raw: base64Json(null) },
  { label: "base64 of a JSON array", raw: base64Json([1, 2]) },
  { label: "base64 of JSON with wrong fields", raw: base64Json({ v: 1, x: "y" }) },
  {
    label: "base64 of JSON with a NUL key",
    raw: base64Json({
      after: "\u0000",
      provider: "openai",
      from: 0,
      to: 1,
      g: 1,
      f: "x",
      k: "\u0000",
    }),
  },
  {
    label: "base64 of JSON with huge numbers",
    raw: base64Json({ after: "x", provider: "openai", from: 1e308, to: 1e308, g: 1e308 }),
  },
  {
    label: "a signed-cursor shape with a forged signature",
    raw: `${base64Json({ v: 1, provider: "openai", filters: "x", position: { kind: "after", after: null, skip: 0 } })}.AAAA`,
  },
];

type ParamKind =
  "limit" | "enum" | "bool" | "date" | "snapshot" | "cursor" | "seq" | "email" | "text" | "columns";

function variantsOf(kind: ParamKind): Variant[] {
  const byKind: Record<ParamKind, Variant[]> = {
    limit: NUMBERS,
    seq: [...NUMBERS, ...GARBAGE_CURSORS],
    enum: [],
    bool: ["TRUE", "1", "yes", "on"].map((raw) => ({ label: `boolean ${raw}`, raw })),
    date: [...DATES, ...EDGE_DATES],
    snapshot: [...DATES, ...EDGE_DATES, ...NUMBERS],
    cursor: [...GARBAGE_CURSORS, ...foreignCursors],
    email: TEXT_FILTERS,
    text: TEXT_FILTERS,
    columns: [",", "email,,name", "email,email", "EMAIL", "email%2Cname"].map((raw) => ({
      label: `columns ${raw}`,
      raw,
    })),
  };
  return [...COMMON, ...byKind[kind]];
}

interface Param {
  kind: ParamKind;
  /** A valid value (none: left out), sent while another parameter is varied, and repeated. */
  valid: string;
  /** Values of this enum in another case or spelling. */
  casing?: string[];
  /** The parameter may be given more than once. */
  repeatable?: boolean;
}

interface QueryRoute {
  name: string;
  handler: Handler;
  path: string;
  params?: Record<string, string>;
  /** What the valid query answers: data, so that "lists nothing" below means something. */
  baseline: Check;
  query: Record<string, Param>;
  /**
   * Variants this route rightly accepts (`param: label`), each with what its
   * answer must be. Anything else must be refused.
   */
  accepts?: Record<string, Check>;
  /** The codes a refusal may carry; `invalid_query` or `invalid_cursor` when absent. */
  codes?: readonly string[];
}

/** A 2xx whose `data` list passes `check`. */
function listed(check: (data: unknown[], body: Record<string, unknown>) => string | null): Check {
  return (answer) => {
    if (answer.status !== 200) return `answered ${answer.status}: ${answer.text.slice(0, 200)}`;
    const body = answer.body as Record<string, unknown>;
    if (!Array.isArray(body.data)) return "answered 200 without a data list";
    return check(body.data, body);
  };
}

const nothingListed = listed((data) => (data.length === 0 ? null : `listed ${data.length} rows`));
const someListed = listed((data) => (data.length > 0 ? null : "listed nothing"));

/** The data rows of a CSV download (its header and a closing line break aside). */
function csvRows(answer: Answer): number | string {
  if (answer.status !== 200) return `answered ${answer.status}: ${answer.text.slice(0, 200)}`;
  return answer.text.split("\n").filter((line) => line.trim() !== "").length - 1;
}

const someDownloaded: Check = (answer) => {
  const rows = csvRows(answer);
  return typeof rows === "string" ? rows : rows > 0 ? null : "downloaded no rows";
};

/** A CSV download of its header line alone: a filter that matches nobody. */
const headerOnly: Check = (answer) => {
  const rows = csvRows(answer);
  return typeof rows === "string" ? rows : rows === 0 ? null : `downloaded ${rows} rows`;
};

/**
 * Text filters take any storable text as itself: the answer lists only rows
 * whose `field` holds it (case-insensitively); for a download, any rows.
 */
function textFilter(param: string, check: (text: string) => Check): Record<string, Check> {
  const texts = [
    ["unknown value", "zz-unknown"],
    // `%u` is no percent-encoding: the text "%uD800", which no address holds.
    ["a lone surrogate as %u", "%uD800"],
    ...TEXT_FILTERS.map(({ label, raw }) => [label, decodeURIComponent(raw)]),
  ];
  return Object.fromEntries(texts.map(([label, text]) => [`${param}: ${label}`, check(text!)]));
}

/** Every row listed has `field` holding `text`, in any case. */
const holding = (field: string) => (text: string) =>
  listed((data) => {
    const wrong = data.find(
      (row) =>
        !String((row as Record<string, unknown>)[field])
          .toLowerCase()
          .includes(text.toLowerCase()),
    );
    return wrong ? `listed ${JSON.stringify(wrong).slice(0, 200)}` : null;
  });

/** A download (its rows are the list's: the list's entry checks them). */
const downloaded = (): Check => (answer) => {
  const rows = csvRows(answer);
  return typeof rows === "string" ? rows : null;
};

const USERS_QUERY: Record<string, Param> = {
  status: { kind: "enum", valid: "enabled", casing: ["Enabled", "ENABLED", " enabled"] },
  email: { kind: "email", valid: "example" },
  groups: { kind: "bool", valid: "true", casing: ["True"] },
  source: { kind: "enum", valid: "directory", casing: ["Directory", "VENDOR"] },
};

const ACTIVITY_QUERY: Record<string, Param> = {
  kind: { kind: "enum", valid: "review.created", casing: ["Review.Created", "REVIEW.CREATED"] },
  admin: { kind: "text", valid: "admin%40roster.test" },
  from: { kind: "date", valid: "2020-01-01" },
  to: { kind: "date", valid: "2099-01-01T00:00:00Z" },
};

const CHANGES_QUERY: Record<string, Param> = {
  provider: { kind: "enum", valid: "openai", casing: ["OpenAI", "OPENAI"] },
  from: { kind: "snapshot", valid: "" },
  to: { kind: "snapshot", valid: "" },
  change: { kind: "enum", valid: "changed", casing: ["Changed", "CHANGED"] },
  field: { kind: "enum", valid: "name", casing: ["Name", "NAME"] },
};

const PEOPLE_QUERY: Record<string, Param> = {
  email: { kind: "email", valid: "example" },
  flag: { kind: "enum", valid: "dormant", casing: ["Dormant", "DORMANT"], repeatable: true },
  vendor: { kind: "enum", valid: "openai", casing: ["OpenAI", "OPENAI"], repeatable: true },
};

const QUERY_ROUTES: QueryRoute[] = [
  {
    name: "GET /api/{provider}/users",
    handler: listUsers,
    baseline: someListed,
    path: "/api/openai/users",
    params: { provider: "openai" },
    query: {
      ...USERS_QUERY,
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "cursor", valid: "" },
    },
    accepts: textFilter("email", holding("email")),
  },
  {
    // The email filter goes to the vendor here (Telnyx filters itself), not to Roster's own read.
    name: "GET /api/{provider}/users, Telnyx read live",
    handler: listUsers,
    baseline: someListed,
    path: "/api/telnyx/users",
    params: { provider: "telnyx" },
    query: {
      ...USERS_QUERY,
      email: { kind: "email", valid: "a" },
      source: { kind: "enum", valid: "vendor", casing: ["Vendor", "VENDOR"] },
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "cursor", valid: "" },
    },
    accepts: textFilter("email", holding("email")),
  },
  {
    name: "GET /api/{provider}/users/export",
    handler: exportUsers,
    baseline: someDownloaded,
    path: "/api/openai/users/export",
    params: { provider: "openai" },
    query: { ...USERS_QUERY, columns: { kind: "columns", valid: "id,email" } },
    accepts: {
      ...textFilter("email", downloaded),
      // An encoded comma is a comma.
      "columns: columns email%2Cname": (answer) =>
        answer.status === 200 && answer.text.replace(/^\ufeff/, "").startsWith("email,name\r\n")
          ? null
          : `answered ${answer.status}: ${answer.text.slice(0, 200)}`,
    },
  },
  {
    name: "GET /api/activity",
    handler: listActivity,
    baseline: someListed,
    path: "/api/activity",
    query: {
      ...ACTIVITY_QUERY,
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "seq", valid: "" },
    },
    accepts: textFilter("admin", () => nothingListed),
  },
  {
    name: "GET /api/activity/export",
    handler: exportActivity,
    baseline: someDownloaded,
    path: "/api/activity/export",
    query: ACTIVITY_QUERY,
    accepts: textFilter("admin", () => headerOnly),
  },
  {
    name: "GET /api/directory/changes",
    handler: listChanges,
    baseline: someListed,
    path: "/api/directory/changes",
    query: {
      ...CHANGES_QUERY,
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "cursor", valid: "" },
    },
    // A snapshot id this vendor has no snapshot of (epoch seconds read as one): 404; a `to`
    // before its first snapshot: 409 directory_empty.
    codes: [...QUERY_CODES, "not_found", "directory_empty"],
    // The list's own cursor, made for the same provider, range and change filter: the next page.
    accepts: { "cursor: cursor from /api/directory/changes": listed(() => null) },
  },
  {
    name: "GET /api/directory/snapshots",
    handler: listSnapshots,
    baseline: someListed,
    path: "/api/directory/snapshots",
    query: {
      provider: CHANGES_QUERY.provider!,
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "seq", valid: "" },
    },
  },
  {
    name: "GET /api/directory/changes/export",
    handler: exportChanges,
    baseline: someDownloaded,
    path: "/api/directory/changes/export",
    query: CHANGES_QUERY,
    codes: [...QUERY_CODES, "not_found", "directory_empty"],
  },
  {
    name: "GET /api/people",
    handler: listPeople,
    baseline: someListed,
    path: "/api/people",
    query: {
      ...PEOPLE_QUERY,
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "cursor", valid: "" },
    },
    accepts: {
      ...textFilter("email", holding("email")),
      "flag: repeated": someListed,
      "vendor: repeated": someListed,
    },
  },
  {
    name: "GET /api/people/export",
    handler: exportPeople,
    baseline: someDownloaded,
    path: "/api/people/export",
    query: PEOPLE_QUERY,
    accepts: {
      ...textFilter("email", downloaded),
      "flag: repeated": someDownloaded,
      "vendor: repeated": someDownloaded,
    },
  },
  {
    name: "GET /api/reviews/{id}/items",
    handler: listItems,
    baseline: someListed,
    path: "/api/reviews/1/items",
    params: { id: "1" },
    query: {
      decision: { kind: "enum", valid: "undecided", casing: ["Undecided", "KEEP", "follow-up"] },
      flagged: { kind: "bool", valid: "true", casing: ["True"] },
      changed: { kind: "bool", valid: "false", casing: ["FALSE"] },
      limit: { kind: "limit", valid: "5" },
      cursor: { kind: "seq", valid: "" },
    },
  },
];

/** The query string with `name` set to `raw` (or appended, for a repeat) and the rest valid. */
function queryWith(route: QueryRoute, name: string, raw: string, repeat = false): string {
  const parts: string[] = [];
  for (const [key, param] of Object.entries(route.query)) {
    if (key === name) continue;
    if (param.valid !== "" && param.kind !== "cursor" && param.kind !== "seq") {
      parts.push(`${key}=${param.valid}`);
    }
  }
  parts.push(`${name}=${raw}`);
  if (repeat) parts.push(`${name}=${raw}`);
  return parts.join("&");
}

interface Probe {
  route: QueryRoute;
  param: string;
  label: string;
  url: string;
}

function probesOf(route: QueryRoute): Probe[] {
  const probes: Probe[] = [];
  const add = (param: string, label: string, raw: string, repeat = false) =>
    probes.push({
      route,
      param,
      label,
      url: `${BASE}${route.path}?${queryWith(route, param, raw, repeat)}`,
    });
  for (const [name, param] of Object.entries(route.query)) {
    for (const variant of variantsOf(param.kind)) add(name, variant.label, variant.raw);
    for (const value of param.casing ?? []) add(name, `casing ${value}`, encodeURIComponent(value));
    add(name, "unknown value", "zz-unknown");
    if (param.valid !== "") add(name, "repeated", param.valid, true);
  }
  return probes;
}

const env = withSandboxAndDb({ telnyxUsers: 30, openaiUsers: 30 });

/** The first page's `nextCursor` of a list. */
async function cursorOf(handler: Handler, path: string, params: Record<string, string> = {}) {
  const answer = await send(handler, `${BASE}${path}`, {}, params);
  const cursor = (answer.body as { nextCursor?: unknown }).nextCursor;
  if (typeof cursor !== "string") throw new Error(`${path} gave no cursor: ${answer.text}`);
  return cursor;
}

beforeAll(async () => {
  cookie = await adminCookieHeader();
  const { db } = env.handle;
  // Two snapshots of OpenAI, so that there are changes to page through, and one of Telnyx.
  const users = Array.from({ length: 12 }, (_, i) => openaiUser(`user-${i}`));
  await seedDirectory(db, "openai", users);
  await seedDirectory(db, "openai", [
    // One changed user, for the changes list's field filter.
    { ...users[2]!, name: "Renamed" },
    ...users.slice(3),
    openaiUser("user-new", { role: "owner" }),
    { ...users[0]!, id: "user-0b" },
  ]);
  await seedDirectory(
    db,
    "telnyx",
    users.map((user) => ({ ...user, provider: "telnyx" as const })),
  );
  const review = await send(createReview, `${BASE}/api/reviews`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "Q4", dueDate: "2030-01-31", scope: { providers: ["openai"] } }),
  });
  expect(review.status, review.text).toBe(201);

  const users1 = await cursorOf(listUsers, "/api/openai/users?limit=1", { provider: "openai" });
  foreignCursors.push(
    { label: "cursor from /api/openai/users", raw: users1 },
    { label: "truncated cursor from /api/openai/users", raw: users1.slice(0, -3) },
    {
      label: "cursor from /api/openai/users with a changed payload",
      raw: `${base64Json({ v: 1, provider: "openai", filters: "x", position: { kind: "after", after: null, skip: 0 } })}.${users1.split(".")[1]}`,
    },
    {
      label: "cursor from /api/telnyx/users",
      raw: await cursorOf(listUsers, "/api/telnyx/users?limit=1", { provider: "telnyx" }),
    },
    {
      label: "cursor from /api/openai/users?source=directory",
      raw: await cursorOf(listUsers, "/api/openai/users?limit=1&source=directory", {
        provider: "openai",
      }),
    },
    { label: "cursor from /api/people", raw: await cursorOf(listPeople, "/api/people?limit=1") },
    {
      label: "cursor from /api/directory/changes",
      raw: await cursorOf(
        listChanges,
        "/api/directory/changes?provider=openai&change=changed&field=name&limit=1",
      ),
    },
    {
      label: "cursor from /api/directory/changes?provider=telnyx",
      raw: base64Json({ after: "user-1", provider: "telnyx", from: 0, to: 3 }),
    },
  );
});

describe("hostile query parameters", () => {
  it.each(QUERY_ROUTES.map((route) => [route.name, route] as const))(
    "%s refuses each with 4xx and a code, or answers it right",
    async (_, route) => {
      const valid = Object.entries(route.query)
        .filter(([, param]) => param.valid !== "")
        .map(([name, param]) => `${name}=${param.valid}`)
        .join("&");
      const problems: string[] = [];
      const baseline = route.baseline(
        await send(route.handler, `${BASE}${route.path}?${valid}`, {}, route.params),
      );
      if (baseline) problems.push(`the valid query: ${baseline}`);
      for (const probe of probesOf(route)) {
        const key = `${probe.param}: ${probe.label}`;
        const refusal = refused(route.codes ?? QUERY_CODES);
        const check =
          acceptedAs(route.accepts, key) ??
          (probe.label.startsWith("edge date")
            ? (answer: Answer) => (answer.status === 200 ? null : refusal(answer))
            : refusal);
        let problem: string | null;
        try {
          problem = check(await send(route.handler, probe.url, {}, route.params));
        } catch (error) {
          problem = `threw ${String(error)}`;
        }
        if (problem) problems.push(`${key}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
  );
});

/* ------------------------------------------------------------------------------------------ */
/* Routes that take no query: any parameter, however spelled, is refused, not ignored          */

const NO_QUERY_ROUTES: [string, Handler, string, Record<string, string>?][] = [
  ["GET /api/directory/status", directoryStatus, "/api/directory/status"],
  ["GET /api/activity/verify", verifyActivity, "/api/activity/verify"],
  ["GET /api/reviews", listReviews, "/api/reviews"],
  ["GET /api/reviews/{id}", getReview, "/api/reviews/1", { id: "1" }],
  ["GET /api/roster", getRoster, "/api/roster"],
  [
    "GET /api/people/{email}",
    getPerson,
    "/api/people/user-1%40example.com",
    {
      email: "user-1@example.com",
    },
  ],
];

const NO_QUERY_VARIANTS: string[] = [
  "=",
  "=1",
  "%00",
  "%00=1",
  "%ED%A0%80=1",
  "%uD800",
  "a=%E0%A4%A",
  `${LONG}=1`,
  "limit=10",
  "LIMIT",
  "&&a",
  "%26=1",
];

describe("hostile query parameters on routes that take none", () => {
  it.each(NO_QUERY_ROUTES.map((route) => [route[0], route] as const))(
    "%s refuses each with 400 invalid_query, and answers a query of no parameters",
    async (_, [, handler, path, params]) => {
      const problems: string[] = [];
      for (const query of [...NO_QUERY_VARIANTS, "", "&", "&&"]) {
        // `?&` names no parameter: the route's plain answer.
        const check = /^&*$/.test(query)
          ? (answer: Answer) => (answer.status === 200 ? null : `answered ${answer.status}`)
          : refused(["invalid_query"]);
        let problem: string | null;
        try {
          problem = check(await send(handler, `${BASE}${path}?${query}`, {}, params));
        } catch (error) {
          problem = `threw ${String(error)}`;
        }
        if (problem) problems.push(`?${query.slice(0, 40)}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
  );
});

/* ------------------------------------------------------------------------------------------ */
/* Path segments, as Next.js hands them over (decoded)                                         */

const SEGMENTS: Variant[] = [
  { label: "empty", raw: "" },
  { label: "100 kB", raw: LONG },
  { label: "NUL", raw: "\u0000" },
  { label: "a lone surrogate", raw: "\ud800" },
  { label: "U+FFFD", raw: "\ufffd" },
  { label: "__proto__", raw: "__proto__" },
  { label: "toString", raw: "toString" },
  ...["-1", "0", "1e3", "0x10", "1.5", "9007199254740993", "99999999999999999999", " 1", "01"].map(
    (raw) => ({ label: `number ${raw}`, raw }),
  ),
];

interface SegmentRoute {
  name: string;
  handler: Handler;
  /** The URL path for a segment value (encoded, as the browser sends it). */
  path: (segment: string) => string;
  param: string;
  codes: readonly string[];
  /** Other spellings of a valid value, which must be refused or mean that value. */
  casing?: string[];
}

/** The segment in a URL; one no URL can hold (a lone surrogate) as a stand-in: the handler reads the params. */
function inPath(segment: string): string {
  try {
    return encodeURIComponent(segment);
  } catch {
    return "x";
  }
}

const review = (file: string) => (id: string) => `/api/reviews/${inPath(id)}${file}`;

const SEGMENT_ROUTES: SegmentRoute[] = [
  ...[listUsers, exportUsers].map((handler, i) => ({
    name: i === 0 ? "GET /api/{provider}/users" : "GET /api/{provider}/users/export",
    handler,
    path: (p: string) => `/api/${inPath(p)}/users${i === 0 ? "" : "/export"}`,
    param: "provider",
    codes: ["unknown_provider"],
    casing: ["OpenAI", "TELNYX", " openai"],
  })),
  {
    name: "GET /api/people/{email}",
    handler: getPerson,
    path: (email) => `/api/people/${inPath(email)}`,
    param: "email",
    codes: ["not_found", "invalid_query"],
  },
  {
    name: "GET /api/exports/{id}",
    handler: exportManifest,
    path: (id) => `/api/exports/${inPath(id)}`,
    param: "id",
    codes: ["not_found"],
  },
  ...(
    [
      ["GET /api/reviews/{id}", getReview, ""],
      ["GET /api/reviews/{id}/items", listItems, "/items"],
      ["GET /api/reviews/{id}/evidence.csv", evidenceCsv, "/evidence.csv"],
      ["GET /api/reviews/{id}/evidence.json", evidenceJson, "/evidence.json"],
      ["GET /api/reviews/{id}/revoke.csv", revokeCsv, "/revoke.csv"],
      ["POST /api/reviews/{id}/close", closeReview, "/close"],
      ["POST /api/reviews/{id}/decisions", decide, "/decisions"],
    ] as const
  ).map(([name, handler, file]) => ({
    name,
    handler,
    path: review(file),
    param: "id",
    codes: ["not_found"],
  })),
];

describe("hostile path segments", () => {
  it.each(SEGMENT_ROUTES.map((route) => [route.name, route] as const))(
    "%s refuses each with 4xx and a code",
    async (name, route) => {
      const problems: string[] = [];
      const method = name.split(" ")[0]!;
      const variants = [
        ...SEGMENTS,
        ...(route.casing ?? []).map((raw) => ({ label: `casing ${raw}`, raw })),
      ];
      for (const { label, raw } of variants) {
        const init =
          method === "POST"
            ? {
                method,
                headers: { "content-type": "application/json" },
                body: JSON.stringify([{ itemId: 1, decision: "keep" }]),
              }
            : {};
        let problem: string | null;
        try {
          const answer = await send(route.handler, `${BASE}${route.path(raw)}`, init, {
            [route.param]: raw,
          });
          problem = refused(route.codes)(answer);
        } catch (error) {
          problem = `threw ${String(error)}`;
        }
        if (problem) problems.push(`${label}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
  );
});

/* ------------------------------------------------------------------------------------------ */
/* Bodies                                                                                      */

interface BodyVariant {
  label: string;
  body: string | Uint8Array<ArrayBuffer>;
  /** The Content-Type sent; the route's own when absent, none when null. */
  type?: string | null;
  /** The codes its refusal may carry; the route's when absent. */
  codes?: readonly string[];
}

/** JSON nested `depth` levels deep. */
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** `valid` (a JSON object or array) grown to `bytes` bytes by a long string up front. */
function padded(valid: string, bytes: number): string {
  const open = valid.startsWith("[") ? `["` : `{"pad":"`;
  const close = `${valid.startsWith("[") ? "" : ":0"}",${valid.slice(1)}`;
  return open + "x".repeat(bytes - open.length - close.length) + close;
}

/** `valid` with `text` added to its first string value. */
const inFirstString = (valid: string, text: string) =>
  valid.replace(/"([^"]*)"(?!\s*:)/, `"$1${text}"`);

function bodyVariants(route: BodyRoute): BodyVariant[] {
  // The JSON routes' refusal, and the roster's (415).
  const notJson = ["invalid_body", "unsupported_media_type"];
  // 20 kB: over the 1 KB a sync body may have.
  const tooDeep = ["invalid_body", "payload_too_large", "invalid_roster"];
  const json = route.type === "application/json";
  return [
    { label: "not JSON", body: "{" },
    { label: "JSON null", body: "null" },
    { label: "JSON array", body: "[]" },
    { label: "JSON number", body: "1e309" },
    { label: "JSON string", body: '"x"' },
    { label: "JSON true", body: "true" },
    { label: "__proto__", body: '{"__proto__":{"provider":"openai","name":"x"}}' },
    { label: "constructor", body: '{"constructor":{"prototype":{"x":1}}}' },
    { label: "nested 10,000 levels", body: nested(10_000), codes: tooDeep },
    {
      label: "nested 10,000 levels in a field",
      body: `{"emails":${nested(10_000)}}`,
      codes: tooDeep,
    },
    {
      label: "just over the limit",
      body: padded(route.valid, route.maxBytes + 1),
      codes: ["payload_too_large"],
    },
    // Refused for the long string, not for its size.
    {
      label: "just under the limit",
      body: padded(route.valid, route.maxBytes - 1),
      codes: ["invalid_body", "invalid_roster"],
    },
    ...(json
      ? [
          { label: "a NUL in a string", body: inFirstString(route.valid, "\\u0000") },
          { label: "a lone surrogate in a string", body: inFirstString(route.valid, "\\ud800") },
          { label: "a NUL in a key", body: `{"a\\u0000":1,${route.valid.slice(1)}` },
        ]
      : []),
    { label: "invalid UTF-8", body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) },
    { label: "UTF-16", body: new Uint8Array(Buffer.from(route.valid, "utf16le")) },
    { label: "duplicate keys", body: '{"a":1,"a":2}' },
    { label: "a duplicate key spelled with an escape", body: '{"a":1,"\\u0061":2}' },
    { label: "wrong Content-Type", body: route.valid, type: "text/plain", codes: notJson },
    {
      label: "form Content-Type",
      body: route.valid,
      type: "application/x-www-form-urlencoded",
      codes: notJson,
    },
    { label: "no Content-Type", body: route.valid, type: null },
    ...(route.extra ?? []),
  ];
}

interface BodyRoute {
  name: string;
  handler: Handler;
  path: string;
  params?: Record<string, string>;
  type: string;
  maxBytes: number;
  /** A valid body: a JSON object or array (or the route's text). */
  valid: string;
  extra?: BodyVariant[];
  /** Variants this route rightly accepts, each with what its answer must be. */
  accepts?: Record<string, Check>;
  /** The codes a refusal may carry; `invalid_body` when absent. */
  codes?: readonly string[];
}

/** The route took the body: `status`, and `check` on its JSON. */
function took(
  status: number,
  check: (body: Record<string, unknown>) => boolean = () => true,
): Check {
  return (answer) =>
    answer.status === status && check(answer.body as Record<string, unknown>)
      ? null
      : `answered ${answer.status}: ${answer.text.slice(0, 200)}`;
}

/** A sync started, or one of that vendor already runs: the body was read as `{ provider: "openai" }`. */
const syncAsked: Check = (answer) =>
  answer.status === 202 ||
  (answer.status === 409 &&
    (answer.body as { error?: { code?: string } }).error?.code === "sync_running")
    ? null
    : `answered ${answer.status}: ${answer.text.slice(0, 200)}`;

const sync = (provider: string) => JSON.stringify({ provider });

/** A roster upload of `rows` people, taken. */
const rosterTaken = (rows: number) => took(201, (body) => body.rows === rows);

const BODY_ROUTES: BodyRoute[] = [
  {
    name: "POST /api/directory/sync/cancel",
    handler: cancelSync,
    path: "/api/directory/sync/cancel",
    type: "application/json",
    maxBytes: 1024,
    valid: sync("openai"),
    // No sync of OpenAI runs: 404 for the body read as meant.
    accepts: {
      "no Content-Type": refused(["not_found"]),
    },
    extra: [
      { label: "provider in another case", body: sync("OpenAI") },
      { label: "unknown provider", body: sync("zz") },
      { label: "provider twice", body: '{"provider":"zz","provider":"openai"}' },
      { label: "empty body", body: "" },
    ],
  },
  {
    name: "POST /api/directory/sync",
    handler: startSync,
    path: "/api/directory/sync",
    type: "application/json",
    maxBytes: 1024,
    valid: sync("openai"),
    accepts: { "no Content-Type": syncAsked },
    extra: [
      { label: "provider in another case", body: sync("OpenAI") },
      { label: "unknown provider", body: sync("zz") },
      { label: "provider twice", body: '{"provider":"zz","provider":"openai"}' },
      { label: "provider null", body: '{"provider":null}' },
    ],
  },
  {
    name: "POST /api/offboarding/check",
    handler: checkOffboarding,
    path: "/api/offboarding/check",
    type: "application/json",
    maxBytes: 512 * 1024,
    valid: JSON.stringify({ emails: ["user-1@example.com"] }),
    accepts: {
      "no Content-Type": took(200, (body) => (body.results as unknown[]).length === 1),
    },
    extra: [
      { label: "emails not a list", body: '{"emails":"user-1@example.com"}' },
      { label: "emails of numbers", body: '{"emails":[1,2]}' },
      { label: "emails of objects", body: '{"emails":[{"__proto__":1}]}' },
      { label: "an empty list", body: '{"emails":[]}' },
      { label: "1,001 addresses", body: JSON.stringify({ emails: Array(1001).fill("a@b.c") }) },
      { label: "provider in another case", body: '{"emails":["a@b.c"],"providers":["OpenAI"]}' },
      { label: "no providers", body: '{"emails":["a@b.c"],"providers":[]}' },
      { label: "emails twice", body: '{"emails":[],"emails":["a@b.c"]}' },
      { label: "empty body", body: "" },
    ],
  },
  {
    name: "POST /api/reviews",
    handler: createReview,
    path: "/api/reviews",
    type: "application/json",
    maxBytes: 8 * 1024 * 1024,
    valid: JSON.stringify({ name: "Q1", dueDate: "2030-01-31", scope: { providers: ["openai"] } }),
    // With no Content-Type the body is read as JSON, as by every JSON route.
    accepts: { "no Content-Type": took(201, (body) => body.name === "Q1") },
    extra: [
      ...DATES.map(({ label, raw }) => ({
        label: `dueDate ${label}`,
        body: JSON.stringify({
          name: "Q1",
          dueDate: decodeURIComponent(raw),
          scope: { providers: ["openai"] },
        }),
      })),
      {
        label: "dueDate a number",
        body: '{"name":"Q1","dueDate":1767225600,"scope":{"providers":["openai"]}}',
      },
      {
        label: "status in another case",
        body: '{"name":"Q1","dueDate":"2030-01-31","scope":{"providers":["openai"],"statuses":["Enabled"]}}',
      },
      {
        label: "provider in another case",
        body: '{"name":"Q1","dueDate":"2030-01-31","scope":{"providers":["OpenAI"]}}',
      },
      {
        label: "scope __proto__",
        body: '{"name":"Q1","dueDate":"2030-01-31","scope":{"providers":["openai"],"__proto__":{"email":"x"}}}',
      },
      {
        label: "scope twice",
        body: '{"name":"Q1","dueDate":"2030-01-31","scope":{"providers":["openai"],"email":"a"},"scope":{"providers":["openai"]}}',
      },
      { label: "empty body", body: "" },
    ],
  },
  {
    name: "POST /api/reviews/{id}/decisions",
    handler: decide,
    path: "/api/reviews/1/decisions",
    params: { id: "1" },
    type: "application/json",
    maxBytes: 8 * 1024 * 1024,
    valid: '[{"itemId":1,"decision":"keep"}]',
    accepts: { "no Content-Type": took(200) },
    extra: [
      ...["-1", "0", "1.5", "1e309", "9007199254740993", '"1"', "0x10", "null", "2147483648"].map(
        (itemId) => ({
          label: `itemId ${itemId}`,
          body: `[{"itemId":${itemId},"decision":"keep"}]`,
          codes: ["invalid_body", "not_found"],
        }),
      ),
      { label: "decision in another case", body: '[{"itemId":1,"decision":"Keep"}]' },
      { label: "decision unknown", body: '[{"itemId":1,"decision":"follow-up"}]' },
      {
        label: "decision twice",
        body: '[{"itemId":1,"decision":"revoke","comment":"gone","decision":"keep"}]',
      },
      {
        label: "1,001 decisions",
        body: JSON.stringify(Array(1001).fill({ itemId: 1, decision: "keep" })),
      },
      { label: "an empty list", body: "[]" },
      { label: "an object", body: '{"itemId":1,"decision":"keep"}' },
      { label: "empty body", body: "" },
    ],
  },
  {
    name: "POST /api/roster",
    handler: uploadRoster,
    path: "/api/roster",
    type: "text/csv",
    maxBytes: 20 * 1024 * 1024,
    valid: "email\nuser-1@example.com\n",
    codes: ["invalid_roster", "unsupported_media_type"],
    accepts: {
      // JSON is no CSV: the route's refusals say why, and a JSON-shaped line is no address.
      "no Content-Type": refused(["unsupported_media_type"]),
      "a byte-order mark": rosterTaken(1),
      "CRLF line ends": rosterTaken(2),
      // Read case-insensitively, as documented; a name has no bound but the file's.
      "a status in another case": rosterTaken(1),
      "a 100 kB cell": rosterTaken(1),
      // UTF-8 whatever the charset says: this body is ASCII, the same in either.
      "text/csv with a charset": rosterTaken(1),
    },
    extra: [
      { label: "a NUL in an address", body: "email\nuser\u0000-1@example.com\n" },
      { label: "a NUL in a name", body: "email,name\nuser-1@example.com,A\u0000B\n" },
      {
        label: "a lone surrogate as UTF-8 (CESU)",
        body: new Uint8Array([...Buffer.from("email\nuser-1@ex"), 0xed, 0xa0, 0x80, 0x0a]),
      },
      {
        label: "Latin-1",
        body: new Uint8Array(Buffer.from("email,name\na@b.c,Jos\u00e9\n", "latin1")),
      },
      { label: "an unclosed quote", body: 'email,name\na@b.c,"Ana\n' },
      { label: "a 100 kB cell", body: `email,name\na@b.c,${LONG}\n` },
      { label: "the email column twice", body: "email,email\na@b.c,d@e.f\n" },
      { label: "no email column", body: "name\nAna\n" },
      { label: "header only", body: "email\n" },
      { label: "empty body", body: "" },
      { label: "an endDate of 2026-02-30", body: "email,end_date\na@b.c,2026-02-30\n" },
      { label: "an endDate of 0000-01-01", body: "email,end_date\na@b.c,0000-01-01\n" },
      { label: "an endDate of 275760-09-14", body: "email,end_date\na@b.c,275760-09-14\n" },
      { label: "a status in another case", body: "email,status\na@b.c,LEFT\n" },
      { label: "a byte-order mark", body: "\ufeffemail\nuser-1@example.com\n" },
      { label: "CRLF line ends", body: "email\r\nuser-1@example.com\r\nuser-2@example.com\r\n" },
      {
        label: "text/csv with a charset",
        body: "email\nuser-1@example.com\n",
        type: "text/csv; charset=latin1",
      },
    ],
  },
];

describe("hostile bodies", () => {
  it.each(BODY_ROUTES.map((route) => [route.name, route] as const))(
    "%s refuses each with 4xx and a code, or answers it right",
    async (_, route) => {
      const problems: string[] = [];
      for (const variant of bodyVariants(route)) {
        const headers: Record<string, string> = {};
        const type = variant.type === undefined ? route.type : variant.type;
        if (type !== null) headers["content-type"] = type;
        const check =
          acceptedAs(route.accepts, variant.label) ??
          refused(variant.codes ?? route.codes ?? ["invalid_body"]);
        let problem: string | null;
        try {
          const answer = await send(
            route.handler,
            `${BASE}${route.path}`,
            { method: "POST", headers, body: variant.body },
            route.params,
          );
          problem = check(answer);
        } catch (error) {
          problem = `threw ${String(error)}`;
        }
        if (problem) problems.push(`${variant.label}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
  );
});
