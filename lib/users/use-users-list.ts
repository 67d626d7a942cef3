"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { usersInfiniteQueryOptions } from "@/lib/query/users-query";

import type { FilterName, ProviderId, User, UsersFilters, UsersSource } from "./schema";

const NO_USERS: User[] = [];
const NO_FILTERS: FilterName[] = [];

/**
 * One provider's list for one set of filters: the loaded pages flattened and
 * de-duplicated by id (a vendor may shift rows between pages while we read),
 * plus the latest page's total and the filters Roster applied itself.
 */
export function useUsersList(
  provider: ProviderId,
  filters: UsersFilters,
  source: UsersSource = "vendor",
) {
  const query = useInfiniteQuery(usersInfiniteQueryOptions(provider, filters, source));
  const pages = query.data?.pages;

  const { users, total, rosterFilters, asOf } = useMemo(() => {
    if (!pages || pages.length === 0)
      return { users: NO_USERS, total: null, rosterFilters: NO_FILTERS, asOf: null };
    const seen = new Set<string>();
    const users: User[] = [];
    for (const page of pages) {
      for (const user of page.data) {
        if (seen.has(user.id)) continue;
        seen.add(user.id);
        users.push(user);
      }
    }
    const last = pages[pages.length - 1];
    return {
      users,
      total: last?.total ?? null,
      rosterFilters: last?.filteredBy.roster ?? NO_FILTERS,
      /** The directory's snapshot time, for `source=directory`. */
      asOf: pages[0]?.asOf ?? null,
    };
  }, [pages]);

  return { query, users, total, rosterFilters, asOf };
}

export type UsersList = ReturnType<typeof useUsersList>;
