"use client";

import { useTable } from "@tanstack/react-table";
import { useCallback, useMemo } from "react";

import { useColumnVisibility, type ColumnVisibility } from "@/lib/users/column-preferences";
import type { ProviderId, User } from "@/lib/users/schema";

import { TABLE_COLUMNS } from "./columns";
import { userTableFeatures } from "./table-features";

const getRowId = (user: User) => user.id;

/**
 * The table for one provider's rows. Column visibility is the admin's saved
 * choice, except that the groups/projects column only shows while "Show
 * groups" is on (without it the API sends no groups to show).
 */
export function useUsersTable(provider: ProviderId, users: User[], showGroups: boolean) {
  const [saved, setSaved] = useColumnVisibility(provider);

  const columnVisibility = useMemo<ColumnVisibility>(
    () => ({ ...saved, groups: showGroups && saved.groups !== false }),
    [saved, showGroups],
  );

  const setColumnVisible = useCallback(
    (columnId: string, visible: boolean) => setSaved((old) => ({ ...old, [columnId]: visible })),
    [setSaved],
  );

  const table = useTable({
    features: userTableFeatures,
    columns: TABLE_COLUMNS[provider],
    data: users,
    getRowId,
    state: { columnVisibility },
    onColumnVisibilityChange: (updater) =>
      setSaved((old) => {
        const next = { ...(typeof updater === "function" ? updater(columnVisibility) : updater) };
        // While the switch is off the groups column is hidden by it, not by the admin: keep their choice.
        if (!showGroups) {
          delete next.groups;
          if (old.groups !== undefined) next.groups = old.groups;
        }
        return next;
      }),
  });

  return { table, setColumnVisible };
}

export type UsersTable = ReturnType<typeof useUsersTable>["table"];
