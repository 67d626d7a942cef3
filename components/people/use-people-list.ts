"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";

import type { PeopleFilters } from "@/lib/people/contract";
import type { AsOf } from "@/lib/people/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";

import { fetchPeoplePage, PeopleApiFailure } from "./people-api";

const SYNC_POLL_MS = 3000;
const SYNC_POLL_LIMIT = 100;

/** The people of a view, page after page, plus a watch that reloads the list when a sync lands. */
export function usePeopleList(filters: PeopleFilters, search: string) {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: ["people", search],
    queryFn: ({ pageParam, signal }) => fetchPeoplePage(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
    retry: (count, error) =>
      count < 2 && !(error instanceof PeopleApiFailure && error.code.startsWith("invalid")),
  });
  const people = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  const first = query.data?.pages[0];

  const restart = useCallback(() => {
    void client.resetQueries({ queryKey: ["people"] });
  }, [client]);

  // The "as of" when the syncs started, and the vendors whose new snapshot is still to come.
  // Vendors' syncs land one after the other: the list reloads at each, and the watch ends with
  // the last (or, knowing none, with the first).
  const [watching, setWatching] = useState<{ asOf: AsOf | null; pending: ProviderId[] } | null>(
    null,
  );
  useEffect(() => {
    if (watching === null) return;
    let polls = 0;
    let seen = watching.asOf;
    let pending = watching.pending;
    const timer = setInterval(() => {
      polls += 1;
      if (polls > SYNC_POLL_LIMIT) setWatching(null);
      void fetchPeoplePage({ flags: [], vendors: [] }, null, new AbortController().signal)
        .then((page) => {
          const landed = PROVIDER_IDS.filter((id) => page.asOf[id] !== (seen?.[id] ?? null));
          if (landed.length === 0) return;
          seen = page.asOf;
          pending = pending.filter((id) => !landed.includes(id));
          if (pending.length === 0) setWatching(null);
          restart();
        })
        .catch(() => {});
    }, SYNC_POLL_MS);
    return () => clearInterval(timer);
  }, [watching, restart]);

  const error = query.error
    ? {
        message: query.error.message,
        code: query.error instanceof PeopleApiFailure ? query.error.code : "error",
      }
    : null;
  return {
    people,
    first,
    isPending: query.isPending,
    error,
    pager: {
      hasNextPage: query.hasNextPage,
      isFetching: query.isFetching,
      error: query.isFetchNextPageError ? error : null,
      fetchNextPage: () => void query.fetchNextPage(),
      restart,
    },
    /** Whether a sync started here is still awaited (its last vendor has not landed). */
    watchingSync: watching !== null,
    watchSync: (providers: readonly ProviderId[]) =>
      setWatching({ asOf: first?.asOf ?? null, pending: [...providers] }),
  };
}
