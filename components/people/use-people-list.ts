"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";

import type { PeopleFilters } from "@/lib/people/contract";

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

  const [watching, setWatching] = useState<string | null>(null);
  useEffect(() => {
    if (watching === null) return;
    let polls = 0;
    const timer = setInterval(() => {
      polls += 1;
      if (polls > SYNC_POLL_LIMIT) setWatching(null);
      void fetchPeoplePage({ flags: [], vendors: [] }, null, new AbortController().signal)
        .then((page) => {
          if (JSON.stringify(page.asOf) !== watching) {
            setWatching(null);
            restart();
          }
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
    watchSync: () => setWatching(JSON.stringify(first?.asOf ?? null)),
  };
}
