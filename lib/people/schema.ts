/**
 * The People API's contract, shared by its route handlers and the browser.
 * No server imports.
 */
import { z } from "zod/mini";

import { cursorParam, isProblem, limitParam, type ParseResult } from "@/lib/api/query-params";

import { PROVIDER_IDS, providerIdSchema, userSchema } from "@/lib/users/schema";

export const PERSON_FLAGS = [
  "leaver_with_access",
  "used_after_leaving",
  "not_in_roster",
  "inconsistent_status",
  "privileged",
  "sso_bypass",
  "dormant",
  "external",
  "not_scim_managed",
  "service_account",
] as const;
export const personFlagSchema = z.enum(PERSON_FLAGS);
export type PersonFlag = z.infer<typeof personFlagSchema>;

/** Chip labels: "4 leavers with access". */
export const FLAG_LABELS = {
  leaver_with_access: "leavers with access",
  used_after_leaving: "used after leaving",
  not_in_roster: "not in roster",
  inconsistent_status: "inconsistent status",
  privileged: "privileged",
  sso_bypass: "bypass SSO",
  dormant: "dormant",
  external: "external",
  not_scim_managed: "not SCIM-managed",
  service_account: "service accounts",
} as const satisfies Record<PersonFlag, string>;

export const ROSTER_STATUSES = ["active", "left"] as const;

export const rosterEntrySchema = z.object({
  email: z.string(),
  name: z.nullable(z.string()),
  department: z.nullable(z.string()),
  manager: z.nullable(z.string()),
  status: z.nullable(z.enum(ROSTER_STATUSES)),
  /** `YYYY-MM-DD`. */
  endDate: z.nullable(z.string()),
});
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

export const personSchema = z.object({
  /** `lower(trim(email))`, or `account:<provider>:<id>` for an account without an email. */
  key: z.string(),
  email: z.nullable(z.string()),
  accounts: z.object({ telnyx: z.array(userSchema), openai: z.array(userSchema) }),
  flags: z.array(z.object({ flag: personFlagSchema, reason: z.string() })),
  roster: z.nullable(rosterEntrySchema),
});
export type Person = z.infer<typeof personSchema>;

/** When each vendor's snapshot finished (null before its first successful sync). */
export const asOfSchema = z.object({
  telnyx: z.nullable(z.string()),
  openai: z.nullable(z.string()),
});
export type AsOf = z.infer<typeof asOfSchema>;

export const peoplePageSchema = z.object({
  data: z.array(personSchema),
  nextCursor: z.nullable(z.string()),
  /** People matching the filters. */
  total: z.int().check(z.nonnegative()),
  /** People per flag over everyone, whatever the filters (the chips). */
  counts: z.record(personFlagSchema, z.int().check(z.nonnegative())),
  asOf: asOfSchema,
});
export type PeoplePage = z.infer<typeof peoplePageSchema>;

export const HISTORY_EVENTS = ["added", "changed", "removed"] as const;

export const historyEventSchema = z.object({
  provider: providerIdSchema,
  userId: z.string(),
  event: z.enum(HISTORY_EVENTS),
  /** When the snapshot that saw it finished (ISO). */
  at: z.nullable(z.string()),
  /** For `changed`: each field's value before and after. */
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

/** An account of the person under an access review, and what was decided. */
export const personReviewSchema = z.object({
  reviewId: z.number(),
  name: z.string(),
  state: z.string(),
  provider: providerIdSchema,
  userId: z.string(),
  decision: z.nullable(z.string()),
  decidedBy: z.nullable(z.string()),
  decidedAt: z.nullable(z.string()),
});
export type PersonReview = z.infer<typeof personReviewSchema>;

export const personDetailSchema = z.object({
  person: personSchema,
  history: z.array(historyEventSchema),
  /** Access reviews that included an account of this person, newest first. */
  reviews: z.array(personReviewSchema),
  /** Other people whose address is this one with or without a `+tag`: shown, never merged. */
  nearMatches: z.array(z.string()),
  asOf: asOfSchema,
});
export type PersonDetail = z.infer<typeof personDetailSchema>;

export const rosterUploadSchema = z.object({
  id: z.int(),
  rows: z.int(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});
export type RosterUpload = z.infer<typeof rosterUploadSchema>;

export const rosterStatusSchema = z.object({ roster: z.nullable(rosterUploadSchema) });

export const rosterRowErrorSchema = z.object({
  line: z.int(),
  column: z.nullable(z.string()),
  reason: z.string(),
});
export type RosterRowError = z.infer<typeof rosterRowErrorSchema>;

export interface PeopleFilters {
  email?: string;
  flags: PersonFlag[];
  vendors: (typeof PROVIDER_IDS)[number][];
}

export const PEOPLE_DEFAULT_LIMIT = 50;
export const PEOPLE_MAX_LIMIT = 200;
const MAX_EMAIL_LENGTH = 254;

/**
 * Parses the filters shared by the list, the export and the page's URL.
 * `flag` and `vendor` may repeat (every flag must hold; any vendor may);
 * everything else at most once, and unknown parameters are refused.
 */
export function parsePeopleFilters(
  params: URLSearchParams,
  allowed: readonly string[] = ["email", "flag", "vendor"],
): ParseResult<PeopleFilters> {
  for (const key of new Set(params.keys())) {
    if (!allowed.includes(key)) {
      return {
        ok: false,
        param: key,
        message: `unknown parameter "${key}"; allowed: ${allowed.join(", ")}`,
      };
    }
    if (key !== "flag" && key !== "vendor" && params.getAll(key).length > 1) {
      return { ok: false, param: key, message: `${key} must be given at most once` };
    }
  }
  const filters: PeopleFilters = { flags: [], vendors: [] };
  const email = params.get("email");
  if (email !== null) {
    if (email.length < 1 || email.length > MAX_EMAIL_LENGTH) {
      return {
        ok: false,
        param: "email",
        message: `email must be from 1 to ${MAX_EMAIL_LENGTH} characters`,
      };
    }
    filters.email = email;
  }
  for (const flag of params.getAll("flag")) {
    const parsed = personFlagSchema.safeParse(flag);
    if (!parsed.success) {
      return {
        ok: false,
        param: "flag",
        message: `flag must be one of ${PERSON_FLAGS.join(", ")}`,
      };
    }
    if (!filters.flags.includes(parsed.data)) filters.flags.push(parsed.data);
  }
  for (const vendor of params.getAll("vendor")) {
    const parsed = providerIdSchema.safeParse(vendor);
    if (!parsed.success) {
      return { ok: false, param: "vendor", message: `vendor must be ${PROVIDER_IDS.join(" or ")}` };
    }
    if (!filters.vendors.includes(parsed.data)) filters.vendors.push(parsed.data);
  }
  return { ok: true, value: filters };
}

export interface PeopleQuery extends PeopleFilters {
  limit: number;
  cursor?: string;
}

export function parsePeopleQuery(params: URLSearchParams): ParseResult<PeopleQuery> {
  const filters = parsePeopleFilters(params, ["email", "flag", "vendor", "limit", "cursor"]);
  if (!filters.ok) return filters;
  const query: PeopleQuery = { ...filters.value, limit: PEOPLE_DEFAULT_LIMIT };
  const limit = limitParam(params, PEOPLE_MAX_LIMIT);
  if (isProblem(limit)) return limit;
  if (limit !== undefined) query.limit = limit;
  const cursor = cursorParam(params, 2048);
  if (isProblem(cursor)) return cursor;
  if (cursor !== undefined) query.cursor = cursor;
  return { ok: true, value: query };
}

/** The query string for filters, in a stable order (URL, query key, export link). */
export function peopleFiltersToSearchParams(filters: PeopleFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.email) params.set("email", filters.email);
  for (const flag of PERSON_FLAGS) if (filters.flags.includes(flag)) params.append("flag", flag);
  for (const vendor of PROVIDER_IDS) {
    if (filters.vendors.includes(vendor)) params.append("vendor", vendor);
  }
  return params;
}
