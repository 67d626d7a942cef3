"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

import {
  parsePeopleFilters,
  peopleFiltersToSearchParams,
  type PeopleFilters,
} from "@/lib/people/contract";

/**
 * The People view's filters live in the URL, so links, reload and
 * back/forward restore them. A URL the parser refuses shows everyone.
 */
export function usePeopleView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  const filters = useMemo<PeopleFilters>(() => {
    const parsed = parsePeopleFilters(new URLSearchParams(search));
    return parsed.ok ? parsed.value : { flags: [], vendors: [] };
  }, [search]);

  const setFilters = useCallback(
    (next: PeopleFilters, history: "push" | "replace" = "push") => {
      const query = peopleFiltersToSearchParams(next).toString();
      const href = query ? `${pathname}?${query}` : pathname;
      // Typing replaces (one history entry per search); a chip or vendor toggle is a step back can undo.
      if (history === "push") router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [router, pathname],
  );
  return { filters, setFilters, search };
}
