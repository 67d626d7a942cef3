import "server-only";

import type { UsersReader } from "@/lib/providers/types";
import type { UsersFilters, UsersPage, UsersQuery } from "@/lib/users/schema";

import { decodeCursor, encodeCursor } from "./cursor";

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
