/**
 * Export speed and memory: Roster's CSV export endpoint against the lower
 * bound the vendor's latency allows and against the vendor SDK's own
 * sequential auto-pagination writing the same CSV.
 */
import { request } from "node:http";

import { parse } from "csv-parse/sync";
import OpenAI from "openai";
import Telnyx from "telnyx";

import { CSV_BOM, csvRow } from "../lib/export/csv";
import { parseExportQuery } from "../lib/export/query";
import type { ExportColumn } from "../lib/export/columns";
import type { ProviderId, User, UserStatus } from "../lib/users/schema";

import { idleRss, RssSampler } from "./memory";
import { OPENAI_KEY, TELNYX_KEY } from "./servers";

/** The export's page sizes: Telnyx's largest page, OpenAI's. */
export const EXPORT_PAGE_SIZE: Record<ProviderId, number> = { telnyx: 250, openai: 100 };

export interface LowerBound {
  pages: number;
  /** Pages in flight at once (1 for OpenAI: a cursor must be read before the next page). */
  concurrency: number;
  ms: number;
}

/** Telnyx: ceil(pages / concurrency) round trips; OpenAI: one round trip per page. */
export function lowerBound(
  provider: ProviderId,
  users: number,
  latencyMs: number,
  concurrency: number,
): LowerBound {
  const pages = Math.max(1, Math.ceil(users / EXPORT_PAGE_SIZE[provider]));
  const inFlight = provider === "telnyx" ? concurrency : 1;
  return { pages, concurrency: inFlight, ms: Math.ceil(pages / inFlight) * latencyMs };
}

/** The columns the export writes by default (no `columns=`, no groups), as the route picks them. */
export function defaultColumns(provider: ProviderId): readonly ExportColumn[] {
  const parsed = parseExportQuery(provider, new URLSearchParams());
  if (!parsed.ok) throw new Error(`default export query rejected: ${parsed.message}`);
  return parsed.value.columns;
}

// ------------------------------------------------------------ Roster's endpoint

export interface Download {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Request start to the last byte, ms. */
  ms: number;
  /** Request start to the first body byte, ms. */
  firstByteMs: number;
}

/** GET `url`, reading the whole body, bounded by `timeoutMs`. */
export function download(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Download> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = Number.NaN;
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        if (chunks.length === 0) firstByteMs = performance.now() - started;
        chunks.push(chunk);
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
          firstByteMs,
        });
      });
      res.on("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`${url}: the response broke off: ${error.message}`));
      });
      res.on("aborted", () => {
        clearTimeout(timer);
        reject(new Error(`${url}: the response was aborted`));
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${url}: ${error.message}`));
    });
    req.end();
  });
}

// ------------------------------------------------------------ the SDK baseline

type Raw = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const iso = (value: unknown): string | null =>
  typeof value === "string" ? new Date(value).toISOString() : null;
const isoFromUnix = (value: unknown): string | null =>
  typeof value === "number" ? new Date(value * 1000).toISOString() : null;

const TELNYX_ROLES: Record<string, string> = {
  organization_owner: "owner",
  organization_sub_user: "member",
};

/** The same normalization as lib/providers/telnyx.ts (which is server-only), without its validation. */
function telnyxUser(raw: Raw): User {
  const recordType = str(raw.record_type) ?? "";
  return {
    id: str(raw.id) ?? "",
    provider: "telnyx",
    email: str(raw.email),
    name: null,
    status: raw.user_status as UserStatus,
    role: TELNYX_ROLES[recordType] ?? recordType,
    createdAt: iso(raw.created_at),
    lastActiveAt: iso(raw.last_sign_in_at),
    groups: null,
    vendor: raw,
  };
}

/** The same normalization as lib/providers/openai.ts, without its validation. */
function openaiUser(raw: Raw): User {
  const nested = (raw.user ?? null) as Raw | null;
  const status: UserStatus = nested?.banned
    ? "blocked"
    : nested?.enabled === false
      ? "disabled"
      : "enabled";
  return {
    id: str(raw.id) ?? "",
    provider: "openai",
    email: str(raw.email) ?? str(nested?.email),
    name: str(raw.name) ?? str(nested?.name),
    status,
    role: str(raw.role),
    createdAt: isoFromUnix(raw.added_at),
    lastActiveAt: isoFromUnix(raw.api_key_last_used_at),
    groups: null,
    vendor: raw,
  };
}

/** Every user as the SDK's `for await` auto-pagination yields them, one page request at a time. */
function sdkUsers(provider: ProviderId, sandboxUrl: string): AsyncIterable<Raw> {
  if (provider === "telnyx") {
    const client = new Telnyx({
      apiKey: TELNYX_KEY,
      baseURL: `${sandboxUrl}/v2`,
      clientID: null,
      clientSecret: null,
      publicKey: null,
      logLevel: "off",
    });
    return client.organizations.users.list({
      "page[size]": EXPORT_PAGE_SIZE.telnyx,
    }) as AsyncIterable<unknown> as AsyncIterable<Raw>;
  }
  const client = new OpenAI({
    adminAPIKey: OPENAI_KEY,
    apiKey: null,
    organization: null,
    project: null,
    baseURL: `${sandboxUrl}/v1`,
    logLevel: "off",
  });
  return client.admin.organization.users.list({
    limit: EXPORT_PAGE_SIZE.openai,
  }) as AsyncIterable<unknown> as AsyncIterable<Raw>;
}

/**
 * The SDK's sequential loop writing the same CSV as the export (BOM, header,
 * rows through lib/export/csv.ts), into memory a page at a time.
 */
export async function sdkExport(
  provider: ProviderId,
  sandboxUrl: string,
  timeoutMs: number,
): Promise<{ ms: number; body: Buffer }> {
  const columns = defaultColumns(provider);
  const toUser = provider === "telnyx" ? telnyxUser : openaiUser;
  const pageSize = EXPORT_PAGE_SIZE[provider];
  const started = performance.now();
  const deadline = started + timeoutMs;
  const chunks: Buffer[] = [];
  let text = CSV_BOM + csvRow(columns.map((column) => column.id));
  let inBatch = 0;
  for await (const raw of sdkUsers(provider, sandboxUrl)) {
    const user = toUser(raw);
    text += csvRow(columns.map((column) => column.value(user)));
    if (++inBatch === pageSize) {
      chunks.push(Buffer.from(text, "utf8"));
      text = "";
      inBatch = 0;
      if (performance.now() > deadline)
        throw new Error(`the ${provider} SDK loop took over ${timeoutMs} ms`);
    }
  }
  chunks.push(Buffer.from(text, "utf8"));
  return { ms: performance.now() - started, body: Buffer.concat(chunks) };
}

// ------------------------------------------------------------ checking the CSV

const BOM_BYTES = Buffer.from(CSV_BOM, "utf8");

export interface CsvCheck {
  rows: number;
  ids: Set<string>;
}

/** Parses a whole export; throws unless it has the BOM, the header and `expectedRows` distinct ids. */
export function checkCsv(
  what: string,
  body: Buffer,
  columns: readonly ExportColumn[],
  expectedRows: number,
): CsvCheck {
  if (!body.subarray(0, BOM_BYTES.length).equals(BOM_BYTES)) {
    throw new Error(`${what}: the CSV does not start with a UTF-8 byte order mark`);
  }
  const records = parse(body.subarray(BOM_BYTES.length), {
    relax_column_count: false,
  }) as string[][];
  const header = records[0]?.join(",");
  const expectedHeader = columns.map((column) => column.id).join(",");
  if (header !== expectedHeader) {
    throw new Error(`${what}: header is ${header ?? "(none)"}, expected ${expectedHeader}`);
  }
  const rows = records.length - 1;
  const ids = new Set(records.slice(1).map((record) => record[0] ?? ""));
  if (rows !== expectedRows) {
    throw new Error(`${what}: ${rows} rows, but the sandbox holds ${expectedRows} users`);
  }
  if (ids.size !== rows)
    throw new Error(`${what}: ${rows - ids.size} duplicate ids among ${rows} rows`);
  return { rows, ids };
}

/** The first line where two CSVs differ, for a readable warning. */
export function firstDifference(a: Buffer, b: Buffer): string | null {
  if (a.equals(b)) return null;
  const linesA = a.toString("utf8").split("\r\n");
  const linesB = b.toString("utf8").split("\r\n");
  for (let i = 0; i < Math.max(linesA.length, linesB.length); i++) {
    if (linesA[i] !== linesB[i]) {
      return `line ${i + 1}: export ${JSON.stringify(linesA[i]?.slice(0, 160))} vs SDK ${JSON.stringify(linesB[i]?.slice(0, 160))}`;
    }
  }
  return "same lines, different bytes";
}

// ------------------------------------------------------------ the phase

export interface ExportRunInput {
  appUrl: string;
  sandboxUrl: string;
  cookie: string;
  serverPid: number;
  users: Record<ProviderId, number>;
  runs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

export interface ProviderExportResult {
  rosterMs: number[];
  firstByteMs: number[];
  sdkMs: number[];
  rows: number;
  totalHeader: string | null;
  identicalToSdk: boolean;
  difference: string | null;
}

export interface ExportResults {
  providers: Record<ProviderId, ProviderExportResult>;
  /** Telnyx export: server RSS before and at its peak, bytes, per run. */
  memory: {
    idle: number[];
    peak: number[];
    growth: number[];
    samples: number[];
    usedHwm: boolean[];
  };
}

function exportUrl(appUrl: string, provider: ProviderId): string {
  return `${appUrl}/api/${provider}/users/export`;
}

/** GETs that must answer 200, so that the timed runs do not pay for loading routes and clients. */
export async function warmUp(input: {
  appUrl: string;
  cookie: string;
  paths: string[];
}): Promise<void> {
  for (const path of input.paths) {
    const res = await download(`${input.appUrl}${path}`, { cookie: input.cookie }, 120_000);
    if (res.status !== 200) {
      throw new Error(
        `warm-up GET ${path} answered ${res.status}: ${res.body.toString("utf8").slice(0, 300)}`,
      );
    }
  }
}

export async function runExports(input: ExportRunInput): Promise<ExportResults> {
  const memory: ExportResults["memory"] = {
    idle: [],
    peak: [],
    growth: [],
    samples: [],
    usedHwm: [],
  };
  const providers = {} as Record<ProviderId, ProviderExportResult>;

  for (const provider of ["telnyx", "openai"] as const) {
    const columns = defaultColumns(provider);
    const expected = input.users[provider];
    const result: ProviderExportResult = {
      rosterMs: [],
      firstByteMs: [],
      sdkMs: [],
      rows: 0,
      totalHeader: null,
      identicalToSdk: true,
      difference: null,
    };
    // The first run of each side is parsed in full; later runs must match it byte for byte.
    const first: {
      roster: Buffer | null;
      sdk: Buffer | null;
      rosterIds: Set<string> | null;
      sdkIds: Set<string> | null;
    } = { roster: null, sdk: null, rosterIds: null, sdkIds: null };

    const roster = async (run: number) => {
      const measureMemory = provider === "telnyx";
      const idle = measureMemory ? await idleRss(input.serverPid) : 0;
      const sampler = measureMemory ? new RssSampler(input.serverPid, 50) : null;
      sampler?.start();
      let res: Download;
      try {
        res = await download(
          exportUrl(input.appUrl, provider),
          { cookie: input.cookie },
          input.timeoutMs,
        );
      } finally {
        const peak = sampler?.stop();
        if (peak) {
          memory.idle.push(idle);
          memory.peak.push(peak.peak);
          memory.growth.push(peak.peak - idle);
          memory.samples.push(peak.samples);
          memory.usedHwm.push(peak.usedHwm);
        }
      }
      if (res.status !== 200) {
        throw new Error(
          `${provider} export answered ${res.status}: ${res.body.toString("utf8").slice(0, 300)}`,
        );
      }
      if (first.roster === null) {
        const check = checkCsv(`${provider} export`, res.body, columns, expected);
        result.rows = check.rows;
        first.rosterIds = check.ids;
        result.totalHeader =
          typeof res.headers["x-total-count"] === "string" ? res.headers["x-total-count"] : null;
        first.roster = res.body;
      } else if (!res.body.equals(first.roster)) {
        // Same data, same export: any other outcome is a bug; make sure it is still complete.
        checkCsv(`${provider} export run ${run + 1}`, res.body, columns, expected);
      }
      result.rosterMs.push(res.ms);
      result.firstByteMs.push(res.firstByteMs);
      input.log(
        `  ${provider} export run ${run + 1}: ${(res.ms / 1000).toFixed(2)} s, ${result.rows} rows`,
      );
    };

    const sdk = async (run: number) => {
      const out = await sdkExport(provider, input.sandboxUrl, input.timeoutMs);
      if (first.sdk === null) {
        first.sdkIds = checkCsv(`${provider} SDK loop`, out.body, columns, expected).ids;
        first.sdk = out.body;
      } else if (!out.body.equals(first.sdk)) {
        checkCsv(`${provider} SDK loop run ${run + 1}`, out.body, columns, expected);
      }
      result.sdkMs.push(out.ms);
      input.log(`  ${provider} SDK loop run ${run + 1}: ${(out.ms / 1000).toFixed(2)} s`);
    };

    // Alternate which goes first, so that drift in machine load hits both.
    for (let run = 0; run < input.runs; run++) {
      if (run % 2 === 0) {
        await roster(run);
        await sdk(run);
      } else {
        await sdk(run);
        await roster(run);
      }
    }

    if (first.rosterIds !== null && first.sdkIds !== null) {
      const sdkSet = first.sdkIds;
      const missing = [...first.rosterIds].filter((id) => !sdkSet.has(id));
      if (missing.length > 0) {
        throw new Error(
          `${provider} export: ${missing.length} ids that the SDK loop never saw (e.g. ${missing[0]})`,
        );
      }
    }
    if (first.roster !== null && first.sdk !== null) {
      result.difference = firstDifference(first.roster, first.sdk);
      result.identicalToSdk = result.difference === null;
    }
    if (
      provider === "telnyx" &&
      result.totalHeader !== null &&
      Number(result.totalHeader) !== expected
    ) {
      throw new Error(
        `telnyx export: X-Total-Count is ${result.totalHeader}, the sandbox holds ${expected}`,
      );
    }
    providers[provider] = result;
  }
  return { providers, memory };
}
