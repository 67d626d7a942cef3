/**
 * The directory API's contract, shared by the route handlers and the browser.
 * No server imports.
 */
import { z } from "zod/mini";

import { parseIsoDateTime } from "@/lib/api/dates";
import {
  cursorParam,
  isProblem,
  limitParam,
  oneOfParam,
  type ParamProblem,
  type ParseResult,
  seqPageParams,
  unknownOrRepeatedParam,
} from "@/lib/api/query-params";
import { providerIdSchema, type ProviderId } from "@/lib/users/schema";

export const providerStatusSchema = z.object({
  configured: z.boolean(),
  current: z.nullable(
    z.object({ snapshotId: z.number(), finishedAt: z.string(), rows: z.number() }),
  ),
  running: z.nullable(
    z.object({
      snapshotId: z.number(),
      startedAt: z.string(),
      rowsSoFar: z.number(),
      total: z.nullable(z.number()),
    }),
  ),
  /** The latest sync that failed or was cancelled after the current snapshot was taken. */
  lastFailure: z.nullable(z.object({ at: z.string(), code: z.string(), message: z.string() })),
  /**
   * When the schedule is expected to start the next sync, on the database's clock (never before
   * now); null when the schedule is off, the vendor is not configured or a sync is running.
   */
  nextScheduledAt: z.nullable(z.string()),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

export const directoryStatusSchema = z.object({
  providers: z.record(providerIdSchema, providerStatusSchema),
});
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;

export const syncRequestSchema = z.strictObject({
  provider: z.optional(providerIdSchema),
});

/** The fields whose changes the history reports. */
export const TRACKED_FIELDS = [
  "email",
  "name",
  "status",
  "role",
  "groups",
  "ssoBypass",
  "serviceAccount",
  "scimManaged",
] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

const fieldValue = z.union([z.string(), z.boolean(), z.null()]);

export const CHANGE_KINDS = ["added", "removed", "changed"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const changeSchema = z.object({
  id: z.string(),
  email: z.nullable(z.string()),
  name: z.nullable(z.string()),
  change: z.enum(CHANGE_KINDS),
  /** For `changed`: each tracked field that differs, old and new (groups as names joined by "; "). */
  fields: z.array(z.object({ field: z.enum(TRACKED_FIELDS), old: fieldValue, new: fieldValue })),
});
export type Change = z.infer<typeof changeSchema>;

const snapshotRefSchema = z.object({ snapshotId: z.number(), finishedAt: z.string() });

export const changesPageSchema = z.object({
  provider: providerIdSchema,
  /** null: before the first snapshot (everything is "added"). */
  from: z.nullable(snapshotRefSchema),
  to: snapshotRefSchema,
  data: z.array(changeSchema),
  nextCursor: z.nullable(z.string()),
});
export type ChangesPage = z.infer<typeof changesPageSchema>;

export const CHANGES_DEFAULT_LIMIT = 100;
export const CHANGES_MAX_LIMIT = 500;

export interface ChangesQuery {
  provider: ProviderId;
  /** A snapshot id or an ISO 8601 time, checked here; resolved against the directory later. */
  from?: string;
  to?: string;
  /** Only the users added, only those removed, or only those changed; all three without it. */
  change?: ChangeKind;
  /** Only the users whose this field changed (so only `changed` ones). */
  field?: TrackedField;
  limit: number;
  cursor?: string;
}

/** The required `provider`. */
function providerParam(params: URLSearchParams): ProviderId | ParamProblem {
  const provider = providerIdSchema.safeParse(params.get("provider"));
  if (provider.success) return provider.data;
  return { ok: false, param: "provider", message: "provider must be telnyx or openai" };
}

/** A snapshot id, or an ISO 8601 time with its zone. */
export function isSnapshotRef(value: string): boolean {
  return /^[0-9]{1,15}$/.test(value) || parseIsoDateTime(value) !== null;
}

/**
 * Parses `provider`, `from`, `to`, `change`, `field`, `limit`, `cursor` (the
 * export allows only the first five). Every bad value is a problem that names
 * its parameter.
 */
export function parseChangesQuery(
  params: URLSearchParams,
  allowed: readonly string[] = ["provider", "from", "to", "change", "field", "limit", "cursor"],
): ParseResult<ChangesQuery> {
  const problem = unknownOrRepeatedParam(params, allowed);
  if (problem) return problem;
  const provider = providerParam(params);
  if (isProblem(provider)) return provider;
  const query: ChangesQuery = { provider, limit: CHANGES_DEFAULT_LIMIT };
  for (const name of ["from", "to"] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (!isSnapshotRef(value)) {
      return {
        ok: false,
        param: name,
        message: `${name} must be a snapshot id or an ISO 8601 time such as 2026-11-30T00:00:00Z`,
      };
    }
    query[name] = value;
  }
  const change = oneOfParam(params, "change", CHANGE_KINDS);
  if (isProblem(change)) return change;
  if (change !== undefined) query.change = change;
  const field = oneOfParam(params, "field", TRACKED_FIELDS);
  if (isProblem(field)) return field;
  if (field !== undefined) {
    if (change !== undefined && change !== "changed") {
      return {
        ok: false,
        param: "field",
        message: `field lists changed users only: leave change out or make it changed, not ${change}`,
      };
    }
    query.field = field;
  }
  const limit = limitParam(params, CHANGES_MAX_LIMIT);
  if (isProblem(limit)) return limit;
  if (limit !== undefined) query.limit = limit;
  // Room for the cursor of an entry with a 200-character email of 4-byte characters and a
  // 512-character id (lib/directory/changes.ts).
  const cursor = cursorParam(params, 4096);
  if (isProblem(cursor)) return cursor;
  if (cursor !== undefined) query.cursor = cursor;
  return { ok: true, value: query };
}

/** One succeeded snapshot, as the Changes page offers it to count from. */
const snapshotSummarySchema = z.object({
  snapshotId: z.number(),
  finishedAt: z.string(),
  /** Users it holds. */
  rows: z.number(),
});

export const snapshotListSchema = z.object({
  provider: providerIdSchema,
  /** Newest first. */
  data: z.array(snapshotSummarySchema),
  /** The `cursor` for older snapshots; null when there are none. */
  nextCursor: z.nullable(z.string()),
});
export type SnapshotList = z.infer<typeof snapshotListSchema>;

const SNAPSHOTS_DEFAULT_LIMIT = 50;
const SNAPSHOTS_MAX_LIMIT = 200;

export interface SnapshotsQuery {
  provider: ProviderId;
  limit: number;
  /** Only snapshots older than this id. */
  before?: number;
}

/** Parses `provider`, `limit` and `cursor` (a snapshot id); each bad value names its parameter. */
export function parseSnapshotsQuery(params: URLSearchParams): ParseResult<SnapshotsQuery> {
  const problem = unknownOrRepeatedParam(params, ["provider", "limit", "cursor"]);
  if (problem) return problem;
  const provider = providerParam(params);
  if (isProblem(provider)) return provider;
  const query: SnapshotsQuery = { provider, limit: SNAPSHOTS_DEFAULT_LIMIT };
  const page = seqPageParams(params, SNAPSHOTS_MAX_LIMIT);
  if (isProblem(page)) return page;
  if (page.limit !== undefined) query.limit = page.limit;
  if (page.cursor !== undefined) query.before = page.cursor;
  return { ok: true, value: query };
}
