"use client";

import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";

import { TableSkeleton } from "@/components/users-table/states/table-skeleton";
import { EmptyState } from "@/components/users-table/states/empty-state";
import { ErrorPanel } from "@/components/users-table/states/error-panel";
import { ListNotice } from "@/components/users-table/states/list-notice";
import { UsersToolbar } from "@/components/users-table/toolbar/users-toolbar";
import { useUsersTable } from "@/components/users-table/use-users-table";
import { UsersGrid, type Pager } from "@/components/users-table/users-grid";
import { chooseSource, rosterSideFilters } from "@/lib/directory/choose-source";
import { directoryStatusQueryOptions } from "@/lib/query/directory-api";
import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";
import { useNow } from "@/lib/users/use-now";
import type { HistoryMode } from "@/lib/navigation/search";
import { useUsersList } from "@/lib/users/use-users-list";
import { hasActiveFilters } from "@/lib/users/view-state";

type PanelProps = {
  provider: ProviderId;
  filters: UsersFilters;
  onFiltersChange: (patch: Partial<UsersFilters>, mode?: HistoryMode) => void;
  onClearFilters: () => void;
  onSourceChange: (source: UsersSource) => void;
};

/**
 * One configured provider. The source is the URL's, or chosen here
 * (lib/directory/choose-source.ts): when that choice needs the directory's
 * status, the list waits for it rather than start live and switch.
 */
export function ProviderPanel({ source, ...props }: PanelProps & { source: UsersSource | null }) {
  const needsStatus =
    source === null && rosterSideFilters(props.provider, props.filters).length > 0;
  const status = useQuery({ ...directoryStatusQueryOptions, enabled: needsStatus });
  const now = useNow();
  const choice = chooseSource({
    provider: props.provider,
    filters: props.filters,
    chosen: source,
    status: status.isError ? "unavailable" : status.data,
    now,
  });
  if (choice === null) return <TableSkeleton />;
  return <ProviderList {...props} source={choice.source} sourceNote={choice.reason} />;
}

/** One provider read from one source: its toolbar, and the list in whichever state it is. */
function ProviderList({
  provider,
  filters,
  source,
  sourceNote,
  onFiltersChange,
  onClearFilters,
  onSourceChange,
}: PanelProps & { source: UsersSource; sourceNote: string | null }) {
  const { query, users, total, rosterFilters, asOf, restart, notice, dismissNotice } = useUsersList(
    provider,
    filters,
    source,
  );
  const { table, setColumnVisible } = useUsersTable(provider, users, filters.groups);
  const emailInput = useRef<HTMLInputElement>(null);

  const pager: Pager = {
    hasNextPage: query.hasNextPage,
    isFetching: query.isFetching,
    error: query.isFetchNextPageError && !query.isFetchingNextPage ? query.error : null,
    fetchNextPage: () => void query.fetchNextPage(),
    restart,
  };

  let body;
  if (query.isPending) {
    body = <TableSkeleton />;
  } else if (query.isError && query.data === undefined) {
    body = (
      <ErrorPanel
        error={query.error}
        retrying={query.isFetching}
        onRetry={() => void query.refetch()}
      />
    );
  } else if (users.length === 0 && !query.hasNextPage) {
    const clearFilters = () => {
      onClearFilters();
      // The button goes with the empty state: the focus goes to the emptied email box, not the page.
      emailInput.current?.focus();
    };
    body = <EmptyState onClearFilters={hasActiveFilters(filters) ? clearFilters : null} />;
  } else {
    // A new view starts a fresh list at the top: the grid (and its scroll position) is per view.
    const viewKey = JSON.stringify([
      provider,
      filters.status,
      filters.email,
      filters.groups,
      source,
    ]);
    body = (
      <UsersGrid key={viewKey} provider={provider} table={table} total={total} pager={pager} />
    );
  }

  return (
    <>
      <UsersToolbar
        provider={provider}
        filters={filters}
        onFiltersChange={onFiltersChange}
        table={table}
        onToggleColumn={setColumnVisible}
        loaded={query.data ? users.length : null}
        loading={query.isPending}
        total={total}
        rosterFilters={rosterFilters}
        source={source}
        sourceNote={sourceNote}
        onSourceChange={onSourceChange}
        asOf={asOf}
        emailInput={emailInput}
      />
      {notice && <ListNotice text={notice} onDismiss={dismissNotice} />}
      {body}
    </>
  );
}
