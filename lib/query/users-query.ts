import { infiniteQueryOptions } from "@tanstack/react-query";

import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";

import { UsersApiError, fetchUsersPage } from "./users-api";

/** Every filter is part of the key, so each view has its own cached list. */
export function usersQueryKey(
  provider: ProviderId,
  filters: UsersFilters,
  source: UsersSource = "vendor",
) {
  return [
    "users",
    provider,
    {
      status: filters.status ?? null,
      email: filters.email ?? null,
      groups: filters.groups,
      source,
    },
  ] as const;
}

const MAX_RETRY_DELAY_MS = 5_000;

export function usersInfiniteQueryOptions(
  provider: ProviderId,
  filters: UsersFilters,
  source: UsersSource = "vendor",
) {
  return infiniteQueryOptions({
    queryKey: usersQueryKey(provider, filters, source),
    queryFn: ({ pageParam, signal }) =>
      fetchUsersPage({ provider, filters, cursor: pageParam, source, signal }),
    initialPageParam: null as string | null,
    // `null` exactly when nothing follows; a short or empty page with a cursor still continues.
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    // The API already retries the vendor; one more try here covers a brief outage
    // without keeping the admin waiting long for the error panel.
    retry: (failureCount, error) =>
      failureCount < 1 && error instanceof UsersApiError && error.isTransient,
    retryDelay: (_attempt, error) =>
      Math.min(
        error instanceof UsersApiError && error.retryAfterMs !== null ? error.retryAfterMs : 1_000,
        MAX_RETRY_DELAY_MS,
      ),
  });
}
