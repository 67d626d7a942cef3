"use client";

import { useCallback, useMemo } from "react";

import { useColumnVisibility } from "@/lib/users/column-preferences";
import { USER_COLUMNS, type UserColumn } from "@/lib/users/columns";
import type { ProviderId, User } from "@/lib/users/schema";

import { visibleColumnsOf } from "./columns";

/** One provider's rows and its columns, as the grid, the chooser and the export read them. */
export interface UsersTable {
  provider: ProviderId;
  /** Every column of the provider, in display order (lib/users/columns.ts). */
  columns: readonly UserColumn[];
  /** The columns on screen, in display order. */
  visibleColumns: readonly UserColumn[];
  rows: readonly User[];
}

/**
 * The table for one provider's rows. Column visibility is the admin's saved
 * choice, except that the groups/projects column only shows while "Show
 * groups" is on (without it the API sends no groups to show).
 */
export function useUsersTable(provider: ProviderId, users: User[], showGroups: boolean) {
  const [saved, setSaved] = useColumnVisibility(provider);

  const setColumnVisible = useCallback(
    (columnId: string, visible: boolean) => setSaved((old) => ({ ...old, [columnId]: visible })),
    [setSaved],
  );

  const table = useMemo<UsersTable>(() => {
    const columns = USER_COLUMNS[provider];
    return {
      provider,
      columns,
      visibleColumns: visibleColumnsOf(columns, saved, showGroups),
      rows: users,
    };
  }, [provider, saved, showGroups, users]);

  return { table, setColumnVisible };
}
