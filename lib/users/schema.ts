/**
 * The users API contract as schemas: the route handlers parse requests with
 * them and the browser takes its types from them (`import type` only, so zod
 * never reaches the browser). The values the browser needs at run time are in
 * contract.ts. No server imports.
 */
import { z } from "zod/mini";

import {
  cursorParam,
  isProblem,
  limitParam,
  oneOfParam,
  type ParseResult,
} from "@/lib/api/query-params";

import {
  DEFAULT_LIMIT,
  FILTER_NAMES,
  MAX_LIMIT,
  parseUsersFilters,
  PROVIDER_IDS,
  USER_STATUSES,
  USERS_SOURCES,
} from "./contract";

export const providerIdSchema = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof providerIdSchema>;

export const userStatusSchema = z.enum(USER_STATUSES);
export type UserStatus = z.infer<typeof userStatusSchema>;

export type FilterName = (typeof FILTER_NAMES)[number];

export const groupSchema = z.object({ id: z.string(), name: z.string() });
export type Group = z.infer<typeof groupSchema>;

/** Roster's normalized user: every key present, `null` where the vendor has no value. */
export const userSchema = z.object({
  id: z.string(),
  provider: providerIdSchema,
  email: z.nullable(z.string()),
  name: z.nullable(z.string()),
  status: userStatusSchema,
  role: z.nullable(z.string()),
  /** ISO 8601 UTC. */
  createdAt: z.nullable(z.string()),
  /** ISO 8601 UTC: Telnyx `last_sign_in_at`, OpenAI `api_key_last_used_at`. */
  lastActiveAt: z.nullable(z.string()),
  /** Telnyx groups / OpenAI projects when `groups=true`, else `null`. */
  groups: z.nullable(z.array(groupSchema)),
  /** The vendor's own record, as validated. */
  vendor: z.record(z.string(), z.unknown()),
});
export type User = z.infer<typeof userSchema>;

/** Where a list is answered from: the vendor, live, or the directory's current snapshot. */
export type UsersSource = (typeof USERS_SOURCES)[number];

export const usersPageSchema = z.object({
  provider: providerIdSchema,
  data: z.array(userSchema),
  /** `null` exactly when nothing follows. */
  nextCursor: z.nullable(z.string()),
  /** Exact number of matching users where the vendor reports it, else `null`. */
  total: z.nullable(z.int().check(z.nonnegative())),
  filteredBy: z.object({
    vendor: z.array(z.enum(FILTER_NAMES)),
    roster: z.array(z.enum(FILTER_NAMES)),
  }),
  /** With `source=directory`: when the snapshot answering was taken (ISO 8601). */
  asOf: z.optional(z.string()),
});
export type UsersPage = z.infer<typeof usersPageSchema>;

export const API_ERROR_CODES = [
  "invalid_query",
  "invalid_path",
  "invalid_cursor",
  "cursor_expired",
  "list_changed",
  "unauthenticated",
  "unknown_provider",
  "payload_too_large",
  "unsupported_media_type",
  "invalid_roster",
  "provider_not_configured",
  "upstream_auth_failed",
  "upstream_unavailable",
  "upstream_timeout",
  "upstream_invalid_response",
  "too_many_requests",
  "too_many_exports",
  "internal_error",
  "database_unavailable",
  "directory_empty",
  "sync_running",
  "not_found",
  "method_not_allowed",
  "forbidden_origin",
  "invalid_body",
  "review_incomplete",
  "review_closed",
  "empty_scope",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** The filters of a view: what the list, the export and the URL share. */
export interface UsersFilters {
  status?: UserStatus;
  email?: string;
  groups: boolean;
}

export interface UsersQuery extends UsersFilters {
  limit: number;
  cursor?: string;
  source: UsersSource;
}

/** Parses the list endpoint's query: the filters plus `limit` and `cursor`. */
export function parseUsersQuery(params: URLSearchParams): ParseResult<UsersQuery> {
  const filters = parseUsersFilters(params, [
    "status",
    "email",
    "groups",
    "limit",
    "cursor",
    "source",
  ]);
  if (!filters.ok) return filters;
  const query: UsersQuery = { ...filters.value, limit: DEFAULT_LIMIT, source: "vendor" };

  const source = oneOfParam(params, "source", USERS_SOURCES);
  if (isProblem(source)) return source;
  if (source !== undefined) query.source = source;

  const limit = limitParam(params, MAX_LIMIT);
  if (isProblem(limit)) return limit;
  if (limit !== undefined) query.limit = limit;
  const cursor = cursorParam(params, 4096);
  if (isProblem(cursor)) return cursor;
  if (cursor !== undefined) query.cursor = cursor;
  return { ok: true, value: query };
}
