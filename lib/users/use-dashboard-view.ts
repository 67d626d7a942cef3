"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

import { navigateToSearch, type HistoryMode } from "@/lib/navigation/search";

import type { ProviderId, UsersFilters, UsersSource } from "./schema";
import {
  dashboardViewToSearch,
  parseDashboardView,
  type ConfiguredProviders,
  type DashboardView,
} from "./view-state";

export interface DashboardViewControls {
  view: DashboardView;
  setProvider: (provider: ProviderId) => void;
  setFilters: (patch: Partial<UsersFilters>, mode?: HistoryMode) => void;
  clearFilters: () => void;
  setSource: (source: UsersSource) => void;
}

/**
 * The view lives in the URL. Native `history.pushState`/`replaceState` are
 * integrated with Next's router (useSearchParams follows them, back and
 * forward restore them) without a server round trip per keystroke.
 */
export function useDashboardView(configured: ConfiguredProviders): DashboardViewControls {
  const searchParams = useSearchParams();
  const view = useMemo(
    () => parseDashboardView(searchParams, configured),
    [searchParams, configured],
  );

  const navigate = useCallback((next: DashboardView, mode: HistoryMode) => {
    navigateToSearch(dashboardViewToSearch(next), mode);
  }, []);

  const setProvider = useCallback(
    (provider: ProviderId) => navigate({ ...view, provider }, "push"),
    [navigate, view],
  );

  const setFilters = useCallback(
    (patch: Partial<UsersFilters>, mode: HistoryMode = "push") => {
      const filters: UsersFilters = { ...view.filters, ...patch };
      // `undefined` in a patch means "remove this filter".
      if (filters.status === undefined) delete filters.status;
      if (!filters.email) delete filters.email;
      navigate({ ...view, filters }, mode);
    },
    [navigate, view],
  );

  const clearFilters = useCallback(
    () => navigate({ ...view, filters: { groups: view.filters.groups } }, "push"),
    [navigate, view],
  );

  const setSource = useCallback(
    (source: UsersSource) => navigate({ ...view, source }, "push"),
    [navigate, view],
  );

  return { view, setProvider, setFilters, clearFilters, setSource };
}
