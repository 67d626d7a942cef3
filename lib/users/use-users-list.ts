"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";

import { UsersApiError } from "@/lib/query/users-api";
import { usersInfiniteQueryOptions, usersQueryKey } from "@/lib/query/users-query";

import type { FilterName, ProviderId, User, UsersFilters, UsersSource } from "./schema";

const NO_USERS: User[] = [];
const NO_FILTERS: FilterName[] = [];

export const CURSOR_EXPIRED_NOTICE =
  "A user was removed while you scrolled, so the list started again from the top.";

/**
 * One provider's list for one set of filters: the loaded pages flattened and
 * de-duplicated by id (a vendor may shift rows between pages while we read),
 * plus the latest page's total and the filters Roster applied itself.
 *
 * When the vendor's list changes under a scroll the API answers a next page
 * with 409: `list_changed` stays as the pager's error (the grid offers a
 * reload), `cursor_expired` restarts the list at once and leaves a notice.
 */
export function useUsersList(
  provider: ProviderId,
  filters: UsersFilters,
  source: UsersSource = "vendor",
) {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(usersInfiniteQueryOptions(provider, filters, source));
  const pages = query.data?.pages;
  const key = usersQueryKey(provider, filters, source);
  const keyText = JSON.stringify(key);
  const [notice, setNotice] = useState<{ key: string; text: string } | null>(null);

  const restart = useCallback(() => {
    void queryClient.resetQueries({ queryKey: JSON.parse(keyText) as unknown[], exact: true });
  }, [queryClient, keyText]);

  const nextPageCode =
    query.isFetchNextPageError && query.error instanceof UsersApiError ? query.error.code : null;
  // Only the restart is an effect; the notice is derived while rendering (below).
  useEffect(() => {
    if (nextPageCode === "cursor_expired") restart();
  }, [nextPageCode, restart]);
  if (nextPageCode === "cursor_expired" && notice?.key !== keyText) {
    setNotice({ key: keyText, text: CURSOR_EXPIRED_NOTICE });
  }

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

  return {
    query,
    users,
    total,
    rosterFilters,
    asOf,
    /** Drops the loaded pages and reads the list again from the top. */
    restart,
    notice: notice?.key === keyText ? notice.text : null,
    dismissNotice: useCallback(() => setNotice(null), []),
  };
}
