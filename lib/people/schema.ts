/**
 * The People API's contract as schemas, for its route handlers; the browser
 * takes only types from here (`import type`). Filters, flags and labels the
 * browser needs at run time are in contract.ts. No server imports.
 */
import { z } from "zod/mini";

import { cursorParam, isProblem, limitParam, type ParseResult } from "@/lib/api/query-params";

import { decisionSchema } from "@/lib/reviews/schema";
import { providerIdSchema, userSchema } from "@/lib/users/schema";

import {
  PEOPLE_DEFAULT_LIMIT,
  PEOPLE_MAX_LIMIT,
  PERSON_FLAGS,
  parsePeopleFilters,
  type PeopleFilters,
} from "./contract";

export const personFlagSchema = z.enum(PERSON_FLAGS);
export type PersonFlag = z.infer<typeof personFlagSchema>;

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
  decision: z.nullable(decisionSchema),
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
  /** sha256 of the file as received. */
  sha256: z.string(),
});
export type RosterUpload = z.infer<typeof rosterUploadSchema>;

export const rosterRowErrorSchema = z.object({
  line: z.int(),
  column: z.nullable(z.string()),
  reason: z.string(),
});
export type RosterRowError = z.infer<typeof rosterRowErrorSchema>;

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
