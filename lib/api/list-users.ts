import "server-only";

import type { UsersReader } from "@/lib/providers/types";
import {
  parseUsersQuery,
  type UsersFilters,
  type UsersPage,
  type UsersQuery,
} from "@/lib/users/schema";

import { decodeCursor, encodeCursor } from "./cursor";
import { ApiError } from "./errors";

/** The list endpoint's query, or 400 `invalid_query` naming the parameter and its rule. */
export function usersQueryFrom(params: URLSearchParams): UsersQuery {
  const parsed = parseUsersQuery(params);
  if (!parsed.ok) throw new ApiError("invalid_query", parsed.message);
  return parsed.value;
}

/**
 * One page of `GET /api/{provider}/users`: the cursor is checked against the
 * provider and the filters before any vendor call, and the adapter's next
 * position goes back out signed.
 */
export async function listUsers(
  adapter: UsersReader,
  query: UsersQuery,
  signal?: AbortSignal,
): Promise<UsersPage> {
  const filters: UsersFilters = {
    groups: query.groups,
    ...(query.status ? { status: query.status } : {}),
    ...(query.email ? { email: query.email } : {}),
  };
  const scope = { provider: adapter.id, filters, source: query.source };
  const position = query.cursor === undefined ? null : decodeCursor(query.cursor, scope);
  const result = await adapter.listUsers({ filters, limit: query.limit, position, signal });
  return {
    provider: adapter.id,
    data: result.data,
    nextCursor: result.next ? encodeCursor(scope, result.next) : null,
    total: result.total,
    filteredBy: result.filteredBy,
    ...(result.asOf === undefined ? {} : { asOf: result.asOf }),
  };
}
