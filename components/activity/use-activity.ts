"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { apiJson } from "@/components/reviews/api";
import type { ActivityPage, VerifyResult } from "@/lib/activity/schema";
import { activityFiltersToSearchParams } from "@/lib/activity/contract";

export interface ActivityFilters {
  kind?: string;
  admin?: string;
  from?: string;
  to?: string;
}

/** The log, newest first, page after page; every filter is in the query key. */
export function useActivity(filters: ActivityFilters) {
  const query = useInfiniteQuery({
    queryKey: ["activity", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = activityFiltersToSearchParams(filters);
      params.set("limit", "200");
      if (pageParam) params.set("cursor", pageParam);
      return apiJson<ActivityPage>(`/api/activity?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
  });
  const entries = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, entries };
}

/** Runs the chain verification when asked (not on load: it reads the whole log). */
export function useVerify() {
  return useQuery({
    queryKey: ["activity", "verify"],
    queryFn: () => apiJson<VerifyResult>("/api/activity/verify"),
    enabled: false,
    staleTime: 0,
  });
}
