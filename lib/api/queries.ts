import "server-only";

import { parseExportQuery, type ExportQuery } from "@/lib/export/query";
import { parseUsersQuery, type ProviderId, type UsersQuery } from "@/lib/users/schema";

import { ApiError } from "./errors";
import type { ParseResult } from "./query-params";

/** A parsed query, or 400 `invalid_query` naming the parameter and its rule. */
function orInvalidQuery<T>(parsed: ParseResult<T>): T {
  if (!parsed.ok) throw new ApiError("invalid_query", parsed.message);
  return parsed.value;
}

/** The list endpoint's query (`GET /api/{provider}/users`). */
export function usersQueryFrom(params: URLSearchParams): UsersQuery {
  return orInvalidQuery(parseUsersQuery(params));
}

/** The export's query (`GET /api/{provider}/users/export`). */
export function exportQueryFrom(provider: ProviderId, params: URLSearchParams): ExportQuery {
  return orInvalidQuery(parseExportQuery(provider, params));
}
