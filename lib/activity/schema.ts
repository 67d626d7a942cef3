/**
 * The activity log's contract as schemas: the server validates every entry's
 * details with them before appending it, and the browser takes its types
 * from them (`import type`; the kinds and filters it needs at run time are
 * in contract.ts). No server imports.
 *
 * Details never hold user data beyond counts: no vendor user's email, name or
 * id. An admin's own address is the entry's `admin`, not a detail.
 */
import { z } from "zod/mini";

import {
  isProblem,
  oneOfParam,
  type ParseResult,
  seqPageParams,
  unknownOrRepeatedParam,
} from "@/lib/api/query-params";

import { addDaysClamped, parseCalendarDate, parseIsoDateTime } from "@/lib/api/dates";
import { PROVIDER_IDS, USER_STATUSES } from "@/lib/users/contract";
import { CHANGE_KINDS, TRACKED_FIELDS } from "@/lib/directory/schema";

import { ACTIVITY_KINDS, type ActivityKind } from "./contract";

const provider = z.enum(PROVIDER_IDS);
const count = z.int().check(z.nonnegative());
const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const shortCode = z.string().check(z.maxLength(64));

/** The list filters an export or review used; the email filter's text is never logged, only whether it was set. */
export const loggedFiltersSchema = z.object({
  status: z.nullable(z.enum(USER_STATUSES)),
  email: z.boolean(),
  groups: z.boolean(),
});

/** The People export's filters: the flags and vendors asked for, and whether an email filter was set. */
export const peopleLoggedFiltersSchema = z.object({
  flags: z.array(shortCode).check(z.maxLength(16)),
  vendors: z.array(z.string().check(z.maxLength(16))).check(z.maxLength(4)),
  email: z.boolean(),
});

/**
 * The Changes export's range as the snapshot ids it read (`from` as asked, a
 * time, when it fell before the vendor's first snapshot; null when omitted and
 * there was none before `to`): the range again, whatever syncs came since.
 */
export const changesLoggedFiltersSchema = z.object({
  from: z.nullable(z.string().check(z.maxLength(40))),
  to: z.nullable(z.string().check(z.maxLength(40))),
  /** Only added, removed or changed users; absent for all (and in entries written before it). */
  change: z.optional(z.enum(CHANGE_KINDS)),
  /** Only users whose this field changed; absent for any. */
  field: z.optional(z.enum(TRACKED_FIELDS)),
});

/** What a People export read: the build's generation and what that build was made from. */
export const peopleExportInputsSchema = z.object({
  generation: count,
  telnyxSnapshotId: z.nullable(count),
  openaiSnapshotId: z.nullable(count),
  rosterUploadId: z.nullable(count),
});

export const EXPORT_LISTS = ["users", "people", "changes"] as const;

export const EXPORT_OUTCOMES = ["ok", "failed", "cancelled"] as const;

/** Each kind and the shape of its details. Callers elsewhere in Roster only call `recordActivity`. */
export const ACTIVITY_DETAILS = {
  /** A sign-in attempt. For `failure`, `admin` is the address that was tried. */
  "auth.sign_in": z.object({
    method: z.enum(["credentials", "oidc"]),
    outcome: z.enum(["success", "failure", "throttled"]),
    /** Why it failed, as a short code (`bad_password`, `not_allowed`, ...). */
    reason: z.optional(shortCode),
    /** The client address the throttle used, where known. */
    address: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
  }),
  "auth.sign_out": z.object({}),
  /** A CSV export started; its manifest id is this entry's seq. */
  "export.started": z.object({
    /** Which list was exported; absent means the users list. */
    list: z.optional(z.enum(EXPORT_LISTS)),
    /** The vendor; null for People, which spans both. */
    provider: z.nullable(provider),
    /** `vendor` (read live from the vendor) or `directory` (read from a stored snapshot). */
    source: z.enum(["vendor", "directory"]),
    /** One vendor's snapshot; null for a live read and for People (see `people`). */
    snapshotId: z.nullable(count),
    /** People only: the snapshots and roster its build was made from. */
    people: z.optional(peopleExportInputsSchema),
    filters: z.union([loggedFiltersSchema, peopleLoggedFiltersSchema, changesLoggedFiltersSchema]),
    columns: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(64)),
  }),
  /** The same export ended: refers to its `export.started` entry. */
  "export.finished": z.object({
    exportId: count,
    outcome: z.enum(EXPORT_OUTCOMES),
    rows: count,
    bytes: count,
    sha256,
    durationMs: count,
    error: z.optional(shortCode),
  }),
  "directory.sync": z.object({
    provider,
    snapshotId: z.nullable(count),
    /** `cancel_requested`: an admin asked it to stop (`admin` is who asked). */
    outcome: z.enum(["started", "cancel_requested", "succeeded", "failed", "cancelled"]),
    rows: z.optional(count),
    /** Succeeded: users whose activity alone moved, updated in their current version. */
    activityUpdated: z.optional(count),
    durationMs: z.optional(count),
    error: z.optional(shortCode),
  }),
  /** An HR roster file was uploaded (or refused); only its size, rows and hash are logged. */
  "roster.upload": z.object({
    outcome: z.enum(["ok", "rejected"]),
    uploadId: z.optional(count),
    rows: count,
    bytes: count,
    sha256: z.optional(sha256),
    error: z.optional(shortCode),
  }),
  /** The roster in force was removed. */
  "roster.removed": z.object({ uploadId: count }),
  /** An offboarding check ended: counts only, never the addresses. */
  "offboarding.check": z.object({
    addresses: count,
    stillWithAccess: count,
    notChecked: count,
    durationMs: count,
  }),
  "review.created": z.object({
    reviewId: count,
    providers: z.array(provider),
    items: count,
    snapshotIds: z.array(count),
  }),
  "review.decided": z.object({
    reviewId: count,
    items: count,
    keep: count,
    revoke: count,
    follow_up: count,
  }),
  "review.closed": z.object({
    reviewId: count,
    items: count,
    csvSha256: sha256,
    jsonSha256: sha256,
  }),
  "review.downloaded": z.object({
    reviewId: count,
    file: z.enum(["evidence.csv", "evidence.json", "revoke.csv"]),
    rows: count,
    sha256,
  }),
  /** The activity log itself was exported as CSV (its filters, and what was sent). */
  "activity.exported": z.object({
    filters: z.object({
      kind: z.nullable(z.string().check(z.maxLength(64))),
      admin: z.boolean(),
      from: z.nullable(z.string().check(z.maxLength(32))),
      to: z.nullable(z.string().check(z.maxLength(32))),
    }),
    outcome: z.enum(EXPORT_OUTCOMES),
    rows: count,
    bytes: count,
    sha256,
  }),
  /** Retention deleted entries up to `throughSeq`; verification now starts at its hash. */
  "activity.pruned": z.object({ throughSeq: count, deleted: count, anchorHash: sha256 }),
} as const satisfies Record<ActivityKind, z.ZodMiniType>;

export type ActivityDetails<K extends ActivityKind> = z.infer<(typeof ACTIVITY_DETAILS)[K]>;

/** One entry as the API returns it. `at` is ISO 8601 UTC with milliseconds. */
export const activityEntrySchema = z.object({
  seq: count,
  at: z.string(),
  kind: z.string(),
  admin: z.nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const activityPageSchema = z.object({
  data: z.array(activityEntrySchema),
  nextCursor: z.nullable(z.string()),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  /** Entries checked. */
  checked: count,
  anchor: z.object({ seq: count, hash: z.string() }),
  head: z.object({ seq: count, hash: z.string() }),
  /** The first entry that does not verify, and why. */
  firstBroken: z.nullable(
    z.object({
      seq: count,
      reason: z.enum([
        "hash_mismatch",
        "prev_mismatch",
        "missing_entry",
        "head_mismatch",
        "unexpected_entry",
        "anchor_unexplained",
      ]),
      message: z.string(),
    }),
  ),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;

export const ACTIVITY_DEFAULT_LIMIT = 100;
export const ACTIVITY_MAX_LIMIT = 500;

export interface ActivityQuery {
  kind?: ActivityKind;
  admin?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Entries with a seq below this one (newest first). */
  before?: number;
}

/** A `from`/`to` value: a date (UTC midnight; `to` then covers the whole day) or an ISO date-time with zone. */
function parseBound(value: string, end: boolean): Date | null {
  if (!value.includes("T")) {
    const date = parseCalendarDate(value);
    return date && end ? addDaysClamped(date, 1) : date;
  }
  return parseIsoDateTime(value);
}

/**
 * Parses `kind`, `admin`, `from`, `to`, `limit`, `cursor`. `from` is
 * inclusive, `to` exclusive (a date-only `to` includes that whole day).
 */
export function parseActivityQuery(
  params: URLSearchParams,
  allowed: readonly string[] = ["kind", "admin", "from", "to", "limit", "cursor"],
): ParseResult<ActivityQuery> {
  const problem = unknownOrRepeatedParam(params, allowed);
  if (problem) return problem;
  const query: ActivityQuery = { limit: ACTIVITY_DEFAULT_LIMIT };
  const kind = oneOfParam(params, "kind", ACTIVITY_KINDS);
  if (isProblem(kind)) return kind;
  if (kind !== undefined) query.kind = kind;
  const admin = params.get("admin");
  if (admin !== null) {
    if (admin.trim().length < 1 || admin.length > 254) {
      return { ok: false, param: "admin", message: "admin must be from 1 to 254 characters" };
    }
    query.admin = admin.trim();
  }
  for (const name of ["from", "to"] as const) {
    const raw = params.get(name);
    if (raw === null) continue;
    const date = parseBound(raw, name === "to");
    if (!date) {
      return {
        ok: false,
        param: name,
        message: `${name} must be a date (2026-01-31) or an ISO 8601 date-time with a zone`,
      };
    }
    query[name] = date;
  }
  if (query.from && query.to && query.from >= query.to) {
    return { ok: false, param: "to", message: "to must be later than from" };
  }
  const page = seqPageParams(params, ACTIVITY_MAX_LIMIT);
  if (isProblem(page)) return page;
  if (page.limit !== undefined) query.limit = page.limit;
  if (page.cursor !== undefined) query.before = page.cursor;
  return { ok: true, value: query };
}
